"""Session fixtures of the chart tests: the stack's releases, each rendered once."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from . import hcl_eval, stack
from .render import Rendered, probe_kubernetes_version, render


def release_labels() -> list[str]:
    """helm_release labels of the stack, read at collection time (no evaluation)."""
    return sorted(
        b.labels[1]
        for b in hcl_eval.load_blocks(stack.CLUSTER_STACK)
        if b.kind == "resource" and b.labels[0] == "helm_release"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "release_label" in metafunc.fixturenames:
        metafunc.parametrize("release_label", release_labels())


@pytest.fixture(scope="session")
def chart_stack() -> stack.Stack:
    return stack.load()


@pytest.fixture(scope="session")
def releases(chart_stack: stack.Stack) -> dict[str, stack.Release]:
    return chart_stack.releases()


@pytest.fixture(scope="session")
def renders(
    releases: dict[str, stack.Release], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Rendered]:
    workdir = tmp_path_factory.mktemp("charts")
    return {label: render(release, workdir) for label, release in releases.items()}


@pytest.fixture(scope="session")
def render_kubernetes_version(tmp_path_factory: pytest.TempPathFactory) -> str:
    return probe_kubernetes_version(tmp_path_factory.mktemp("probe"))


def rendered_or_fail(renders: dict[str, Rendered], label: str) -> Rendered:
    """The release's render; a missing chart or a Helm error fails with its message."""
    result = renders[label]
    if result.error:
        pytest.fail(result.error, pytrace=False)
    return result


@pytest.fixture
def rendered(renders: dict[str, Rendered], release_label: str) -> Rendered:
    return rendered_or_fail(renders, release_label)


@pytest.fixture(scope="session")
def by_chart(renders: dict[str, Rendered]) -> t.Callable[[str], Rendered]:
    """The render of the release that installs a given chart (fails if absent)."""

    def find(chart: str) -> Rendered:
        for label, result in renders.items():
            if Path(result.release.chart).name == chart or result.release.chart == chart:
                return rendered_or_fail(renders, label)
        pytest.fail(f"no helm_release installs chart {chart}", pytrace=False)

    return find
