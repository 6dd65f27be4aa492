"""Render fixtures: real tutor 22 + real `kubectl kustomize`, one temp root per case."""

from __future__ import annotations

import typing as t

import pytest
from tutor_cli import Rendered, render

_CACHE: dict[str, Rendered] = {}


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
