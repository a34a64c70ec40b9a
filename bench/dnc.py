"""Do-Not-Call registry: bitmap store vs a Python set, import speed, lead scrubbing speed.

Builds a synthetic registry of 50 full area codes at the national density: about
258 million registered numbers over about 350 US area codes in use, i.e.
258e6 / (350 * 10**7) = 7.4% of each area code's 10 million local numbers. Then
measures, side by side in one run:
(a) batch lookups per second: `Registry.contains_many` on 1M random numbers from
    those area codes (best of 5) vs `[n in registered for n in numbers]` on a set;
(b) single lookups per second: `Registry.contains` vs `n in registered`;
(c) memory: the bitmaps on disk (all of it mapped when in use) vs the set with its
    int objects, both extrapolated to 258M numbers;
(d) import speed of the full lists (lines per second);
(e) `scrub_csv` rows per second on a 1M-row lead file vs a plain loop of
    `phonenumbers.parse` and set membership (timed on 100k rows).

Prints one JSON object on stdout (progress on stderr). Usage: python bench/dnc.py
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import phonenumbers

from tidal.core.compliance.numbers import always_valid_area_codes
from tidal.dnc import Registry, import_registry, scrub_csv

NATIONAL_NUMBERS = 258_000_000
US_AREA_CODES = 350
DENSITY = NATIONAL_NUMBERS / (US_AREA_CODES * 10**7)  # 0.0737
AREA_CODES = 50
BATCH = 1_000_000
SINGLE = 300_000
LEAD_ROWS = 1_000_000
PLAIN_LOOP_ROWS = 100_000
TARGET_BATCH_PER_S = 20e6
TARGET_FULL_BYTES = 1.3e9
TARGET_SCRUB_ROWS_PER_S = 300_000
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def log(message: str) -> None:
    """Progress for the human watching; stdout carries only the JSON."""
    print(f"[bench/dnc] {message}", file=sys.stderr, flush=True)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Fastest wall time of `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def write_full_lists(folder: Path, npas: list[int], rng: np.random.Generator) -> np.ndarray:
    """One full list per area code (`AAA,NNNNNNN` lines); returns every registered number."""
    folder.mkdir()
    registered = []
    for npa in npas:
        local = np.flatnonzero(rng.random(10**7, dtype=np.float32) < DENSITY)
        text = np.empty((len(local), 12), dtype=np.uint8)
        text[:, 0:3] = np.frombuffer(f"{npa:03d}".encode(), dtype=np.uint8)
        text[:, 3] = ord(",")
        rest = local.copy()
        for column in range(10, 3, -1):
            text[:, column] = ord("0") + rest % 10
            rest //= 10
        text[:, 11] = ord("\n")
        (folder / f"{npa:03d}.txt").write_bytes(text.tobytes())
        registered.append(npa * 10**7 + local)
    return np.concatenate(registered)


def set_bytes(numbers: set[int]) -> int:
    """The set's table plus its int objects."""
    return sys.getsizeof(numbers) + sum(map(sys.getsizeof, numbers))


FORMATS = ("+1{}{}{}", "({}) {}-{}", "{}-{}-{}", "1-{}-{}-{}", "{}.{}.{}", "{}{}{}")


def write_leads(
    path: Path, numbers: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A lead file in the usual shape and phone formats; 0.5% junk phones."""
    internal = rng.choice(numbers, 10_000, replace=False)
    exempt = rng.choice(numbers, 10_000, replace=False)
    formats = rng.integers(0, len(FORMATS), len(numbers)).tolist()
    junk = set(rng.choice(len(numbers), len(numbers) // 200, replace=False).tolist())
    states = ["NY", "CA", "TX", "FL", "IL", "WA"]
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "first_name", "last_name", "phone", "state", "source"])
        for index, number in enumerate(numbers.tolist()):
            digits = f"{number:010d}"
            phone = FORMATS[formats[index]].format(digits[:3], digits[3:6], digits[6:])
            if index in junk:
                phone = "n/a"
            writer.writerow(
                [
                    index,
                    f"First{index % 997}",
                    f"Last {index % 991}",
                    phone,
                    states[index % 6],
                    "web",
                ]
            )
    return internal, exempt


def plain_loop(
    path: Path, out: Path, registered: set[int], internal: set[int], exempt: set[int]
) -> float:
    """What one would write without the vectorised path: rows per second on 100k rows."""
    started = time.perf_counter()
    with path.open(newline="") as source, out.open("w", newline="") as target:
        reader = csv.reader(source)
        writer = csv.writer(target)
        header = next(reader)
        writer.writerow(header)
        column = header.index("phone")
        for row in islice(reader, PLAIN_LOOP_ROWS):
            try:
                parsed = phonenumbers.parse(row[column], "US")
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(parsed):
                continue
            number = parsed.national_number
            if number in internal or (number not in exempt and number in registered):
                continue
            writer.writerow(row)
    return PLAIN_LOOP_ROWS / (time.perf_counter() - started)


def main() -> None:
    """Run every measurement and print the JSON object."""
    argparse.ArgumentParser(description=__doc__).parse_args()  # --help, nothing to set
    rng = np.random.default_rng(20261123)
    started = time.perf_counter()
    npas = sorted(rng.choice(sorted(always_valid_area_codes()), AREA_CODES, replace=False))
    npas = [int(npa) for npa in npas]
    with tempfile.TemporaryDirectory(prefix="tidal-bench-dnc-") as temporary:
        folder = Path(temporary)
        log(f"writing full lists for {AREA_CODES} area codes at density {DENSITY:.4f}")
        registered = write_full_lists(folder / "lists", npas, rng)
        registry = Registry(folder / "registry")

        log(f"importing {len(registered):,} lines")
        import_started = time.perf_counter()
        report = import_registry(registry, folder / "lists", now=NOW)
        import_seconds = time.perf_counter() - import_started
        assert report.error_count == 0 and report.numbers_added == len(registered)

        log(f"writing {LEAD_ROWS:,} leads")
        leads = folder / "leads.csv"
        lead_numbers = rng.choice(np.array(npas), LEAD_ROWS) * 10**7 + rng.integers(
            2_000_000, 10**7, LEAD_ROWS
        )
        internal, exempt = write_leads(leads, lead_numbers, rng)
        log("scrubbing")
        scrub = scrub_csv(
            leads,
            column=None,
            registry=registry,
            internal=internal,
            exempt=exempt,
            now=NOW,
            out=folder / "clean.csv",
        )
        scrub_rate = scrub.rows / scrub.seconds
        queries = rng.choice(np.array(npas), BATCH) * 10**7 + rng.integers(0, 10**7, BATCH)
        query_list = queries.tolist()
        log("building the Python set")
        registered_set = set(registered.tolist())
        found = registry.contains_many(queries)
        assert found.tolist() == [n in registered_set for n in query_list]

        log("batch lookups")
        batch_registry = BATCH / best_of(5, lambda: registry.contains_many(queries))
        batch_set = BATCH / best_of(3, lambda: [n in registered_set for n in query_list])

        log("single lookups")
        singles = query_list[:SINGLE]
        contains = registry.contains
        single_registry = SINGLE / best_of(3, lambda: [contains(n) for n in singles])
        single_set = SINGLE / best_of(3, lambda: [n in registered_set for n in singles])

        log("memory")
        registry_bytes = registry.size_bytes()
        python_set_bytes = set_bytes(registered_set)
        full_registry_bytes = US_AREA_CODES * (registry_bytes // AREA_CODES)
        full_set_bytes = python_set_bytes / len(registered_set) * NATIONAL_NUMBERS

        log("plain phonenumbers loop")
        plain_rate = plain_loop(
            leads,
            folder / "plain.csv",
            registered_set,
            set(internal.tolist()),
            set(exempt.tolist()),
        )

    result: dict[str, Any] = {
        "benchmark": "dnc",
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "registry": {
            "area_codes": AREA_CODES,
            "registered_numbers": len(registered),
            "density": round(DENSITY, 4),
            "density_basis": "258e6 registered / (350 US area codes x 1e7 local numbers)",
        },
        "batch_lookups": {
            "batch": BATCH,
            "registry_per_s": round(batch_registry),
            "python_set_per_s": round(batch_set),
            "speedup": round(batch_registry / batch_set, 1),
            "target_per_s": TARGET_BATCH_PER_S,
            "met": batch_registry >= TARGET_BATCH_PER_S,
        },
        "single_lookups": {
            "registry_per_s": round(single_registry),
            "python_set_per_s": round(single_set),
        },
        "memory": {
            "registry_bytes": registry_bytes,
            "python_set_bytes": python_set_bytes,
            "full_registry_bytes": full_registry_bytes,
            "full_python_set_bytes": round(full_set_bytes),
            "extrapolation": "bitmaps: 350 area codes x 1.25 MB; set: bytes per number x 258e6",
            "target_full_bytes": TARGET_FULL_BYTES,
            "met": full_registry_bytes <= TARGET_FULL_BYTES,
        },
        "import": {
            "files": report.files,
            "lines": report.lines,
            "seconds": round(import_seconds, 3),
            "lines_per_s": round(report.lines / import_seconds),
        },
        "scrub": {
            "rows": scrub.rows,
            "kept": scrub.kept,
            "blocked": scrub.blocked,
            "invalid": scrub.invalid,
            "seconds": round(scrub.seconds, 3),
            "rows_per_s": round(scrub_rate),
            "plain_loop_rows": PLAIN_LOOP_ROWS,
            "plain_loop_rows_per_s": round(plain_rate),
            "speedup": round(scrub_rate / plain_rate, 1),
            "target_rows_per_s": TARGET_SCRUB_ROWS_PER_S,
            "met": scrub_rate >= TARGET_SCRUB_ROWS_PER_S,
        },
    }
    result["targets_met"] = all(
        result[name]["met"] for name in ("batch_lookups", "memory", "scrub")
    )
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
