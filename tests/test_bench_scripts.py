"""The benchmarks still start: their imports follow the code they measure.

They are not run here (speed is measured by `make bench`, not asserted in tests);
`--help` is enough to load every module a benchmark uses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_benchmark_loads(script: str) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=BENCH.parent,
    )
    assert run.returncode == 0, run.stderr
    assert "usage" in run.stdout.lower()
