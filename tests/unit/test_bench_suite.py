"""bench/bench_suite.py: the subset the suite-time goal of issue 20 counts stays runnable.

A test file of the subset that is renamed, split or deleted would make the benchmark fail
at run time (or, worse, measure less): this says which entry to update as soon as it
happens, without running the benchmark.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _bench_suite():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_suite", REPO / "bench" / "bench_suite.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_subset_file_exists_once() -> None:
    bench = _bench_suite()
    missing = [path for path in bench.SUBSET if not (REPO / path).is_file()]
    assert not missing, f"bench/bench_suite.py SUBSET names files that are gone: {missing}"
    assert len(set(bench.SUBSET)) == len(bench.SUBSET), "a file is listed twice"
    assert all(Path(path).name.startswith("test_") for path in bench.SUBSET)


def test_later_additions_belong_to_the_subset() -> None:
    bench = _bench_suite()
    stray = set(bench.LATER_ADDITIONS) - set(bench.SUBSET)
    assert not stray, f"LATER_ADDITIONS names files outside the subset: {sorted(stray)}"
