"""Render fixtures: real tutor 22 + real `kubectl kustomize`, one temp root per case.

What the gates run on a case (its strict schema validation per Kubernetes version, its
`tutor eks check`) is kept per case name too, for the files that assert on the same case
(tests/render/test_gates.py and test_datastores.py): the same pass on the same render
runs once per test process. A render is never changed by a test (the tests read
`objects` and `config`; a test that needs another root copies its config.yml)."""

from __future__ import annotations

import subprocess
import typing as t

import pytest
from checkov_runner import CheckovRunner
from tutor_cli import Rendered, render, run_tutor

from tutor_eks_plugin.render import schemas

_CACHE: dict[str, Rendered] = {}
_SCHEMAS: dict[tuple[str, str], schemas.SchemaResult] = {}
_CHECKS: dict[str, subprocess.CompletedProcess[str]] = {}


@pytest.fixture(scope="session")
def render_case(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str):
    """render_case(name, plugins=..., settings=...) -> Rendered, cached per name."""

    def _render(name: str, plugins: t.Sequence[str] = ("eks", "mfe"),
                settings: dict[str, t.Any] | None = None) -> Rendered:
        if name not in _CACHE:
            root = tmp_path_factory.mktemp(f"render-{name}")
            _CACHE[name] = render(root, kubectl_bin, plugins, settings)
        return _CACHE[name]

    return _render


@pytest.fixture(scope="session")
def default_render(render_case) -> Rendered:
    """The default install: eks + mfe, nothing else set."""
    return render_case("default")


@pytest.fixture(scope="session")
def strict_schemas():
    """strict_schemas(name, rendered, version) -> SchemaResult, validated once per case
    and version."""

    def _validate(name: str, rendered: Rendered, version: str) -> schemas.SchemaResult:
        if (name, version) not in _SCHEMAS:
            _SCHEMAS[name, version] = schemas.validate(rendered.objects, version)
        return _SCHEMAS[name, version]

    return _validate


@pytest.fixture(scope="session")
def eks_check():
    """eks_check(name, rendered) -> the real `tutor eks check` on the case's root (a
    subprocess: its exit code and output are what is asserted), run once per case."""

    def _check(name: str, rendered: Rendered) -> subprocess.CompletedProcess[str]:
        if name not in _CHECKS:
            _CHECKS[name] = run_tutor(rendered.root, "eks", "check", check=False)
        return _CHECKS[name]

    return _check


@pytest.fixture(scope="session")
def checkov_runner(checkov_bin: str) -> t.Iterator[CheckovRunner]:
    """The real checkov CLI, imported once for the session (checkov_runner.py)."""
    runner = CheckovRunner(checkov_bin)
    yield runner
    runner.close()
