"""Shared fixtures: the real tools every test layer runs against.

A missing tool fails the test with the tool's name and how to install it; nothing
is skipped silently (see README, "Tests").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor_eks_plugin import tools

# The test files that take minutes (measured with --durations): they run first, so that
# the pytest-xdist workers (scripts/test.sh, --dist worksteal) share the cheap tests
# out at the end instead of one worker finishing a long test alone. A scheduling
# hint only: a file missing here still runs, in its usual place.
SLOW_FIRST = (
    "terraform/test_stage1_stack.py",
    "rehearsal/test_rehearsal.py",
    "lifecycle/test_up_down.py",
    "terraform/test_edge_module.py",
    "terraform/test_stage1_counts.py",
    "terraform/test_stage1_module_tests.py",
    "network/test_network_policies.py",
    "render/test_datastores.py",
    "render/test_gates.py",
)


# Go's garbage collector at 400% instead of 100% for every Go tool the tests start
# (terraform, the AWS provider, kubectl, helm), unless the caller set GOGC: terraform's
# graph walks allocate heavily. Measured (bench/bench_terraform.py, one round, shared
# provider): a `terraform test` of the stack's input checks 44.8 -> 37.3 CPU-s, `validate`
# 5.4 -> 4.4; the driver tests (tests/driver/test_lifecycle.py and test_real_stack.py,
# terraform against moto) 47.8 -> 42.7 CPU-s. The cost is memory: about twice the heap
# (terraform 270 -> 560 MB on the stack). Set in the environment, so pytest-xdist's
# workers and every child process inherit it.
GOGC = "400"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("GOGC", GOGC)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow files first, each file's tests still together and in their own order (the
    sort is stable), so module fixtures are set up once."""
    tests_dir = Path(__file__).parent
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}

    def key(item: pytest.Item) -> int:
        try:
            rel = item.path.relative_to(tests_dir).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(rel, len(rank))

    items.sort(key=key)


def _require(finder) -> str:  # type: ignore[no-untyped-def]
    try:
        return finder()
    except tools.ToolMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def kubectl_bin() -> str:
    return _require(tools.kubectl)


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    return _require(tools.terraform)


@pytest.fixture(scope="session")
def provider_mirror() -> str:
    return _require(lambda: tools.provider_mirror(required=True))


@pytest.fixture(scope="session")
def checkov_bin() -> str:
    return _require(tools.checkov)
