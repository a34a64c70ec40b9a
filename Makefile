# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Debian packages the test suite needs: PostgreSQL for the store tests, Chromium for the
# browser tests (Playwright drives /usr/bin/chromium), rtpengine (userspace) and sox for
# the media plane tests; SIP signalling adds sip-tester, kamailio and baresip.
DEB_PACKAGES ?= postgresql chromium rtpengine-daemon sox
# Packages whose code must stay mypy --strict clean.
TYPED := tidal/core tidal/wfm tidal/config tidal/metrics tidal/sim tidal/dnc tidal/store tidal/telephony tidal/live tidal/api tidal/web

.PHONY: demo test lint typecheck pytest deb bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

deb:
	@bash scripts/ensure-deb.sh $(DEB_PACKAGES)

demo: $(BIN)/.installed
	$(BIN)/tidal demo

lint: $(BIN)/.installed
	$(BIN)/ruff check tidal tests bench
	$(BIN)/ruff format --check tidal tests bench

typecheck: $(BIN)/.installed
	$(BIN)/mypy $(TYPED)

pytest: $(BIN)/.installed deb
	$(BIN)/pytest -q -n 2 --dist loadgroup

test: lint typecheck pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/sim_speed.py
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/dnc.py
	$(BIN)/python bench/pacing.py
	$(BIN)/python bench/live.py

clean:
	rm -rf $(VENV) .tidal .pytest_cache .mypy_cache .ruff_cache
