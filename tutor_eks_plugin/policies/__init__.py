"""The plugin's own policies over the rendered objects, one module per concern.

Each module exposes ``POLICIES``: functions ``(objects, config) -> list[str]`` that
return one sentence per violation, naming the object, and/or ``ENV_POLICIES``:
functions ``(env_root, config) -> list[str]`` over the rendered files themselves (the
Django settings modules). They are discovered here, so a new concern adds a module
and nothing else. A module may also expose ``FIGURES``:
functions ``(objects, config) -> list[str]`` whose lines `tutor eks check` prints
whether or not a policy fails (e.g. the capacity sums).
"""

from __future__ import annotations

import importlib
import pkgutil
import typing as t
from pathlib import Path

Objects = list[dict[str, t.Any]]
Policy = t.Callable[[Objects, dict[str, t.Any]], list[str]]
EnvPolicy = t.Callable[[Path, dict[str, t.Any]], list[str]]


def _discovered(attribute: str) -> list[tuple[str, t.Any]]:
    """Every function listed under ``attribute`` by the modules of this package, in
    module order, each with its name ``<module>.<function>``."""
    found: list[tuple[str, t.Any]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found += [(f"{info.name}.{f.__name__}", f) for f in getattr(module, attribute, [])]
    return found


def all_policies() -> list[tuple[str, Policy]]:
    return _discovered("POLICIES")


def all_env_policies() -> list[tuple[str, EnvPolicy]]:
    return _discovered("ENV_POLICIES")


def all_figures() -> list[Policy]:
    return [figure for _name, figure in _discovered("FIGURES")]


def named(objects: Objects, kind: str) -> dict[str, dict[str, t.Any]]:
    return {o["metadata"]["name"]: o for o in objects if o.get("kind") == kind}
