"""Read rendered Django settings modules the way Django does: by executing them.

Each settings file under env/ starts with a star import of its application's base
settings (edx-platform's `lms.envs.production`, `credentials.settings.production`,
discovery's `..production`) and then mutates what it imported
(`ELASTICSEARCH_DSL['default'].update(...)`, `CACHES[...]["LOCATION"] = ...`, this
plugin's own wiring loops). Only executing the file gives the values the application
ends up with; reading its syntax tree cannot follow those mutations (see
docs/decisions.md).

What is real and what stands in:

- modules in SAFE_MODULES (side-effect-free standard library: json, ssl, urllib.parse,
  ...) are imported for real;
- every other import (the application's base settings, edx-platform, `os`) is a
  `Stand` module: any attribute is a `Stand`, `from x import *` brings nothing;
- a name the file never defined (because it came from the base settings) is an
  `Unknown`: an empty dict that keeps what the file writes into it;
- top-level statements run one at a time; one that fails (a value only the real base
  settings would have) is recorded in `Settings.skipped` and the rest still runs.

Nothing touches the disk or the network: `os` is a stand-in, so `os.makedirs(...)`
in a settings file does nothing.
"""

from __future__ import annotations

import ast
import builtins
import copy
import importlib
import types
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

SAFE_MODULES = frozenset(
    {
        "base64",
        "collections",
        "copy",
        "datetime",
        "functools",
        "itertools",
        "json",
        "math",
        "re",
        "ssl",
        "string",
        "typing",
        "urllib",
        "urllib.parse",
    }
)
# Files under a `settings` folder that never run in a Kubernetes pod.
DEV_ONLY = frozenset({"__init__.py", "development.py", "test.py", "assets.py", "i18n.py"})


class Stand:
    """Whatever the real base settings would have held: accepts every operation."""

    def __init__(self, name: str = "?") -> None:
        object.__setattr__(self, "_name", name)

    def __repr__(self) -> str:
        return f"<unknown {self._name}>"

    def __getattr__(self, name: str) -> Stand:
        return Stand(f"{self._name}.{name}")

    def __setattr__(self, name: str, value: t.Any) -> None:
        pass

    def __getitem__(self, key: t.Any) -> Stand:
        return Stand(f"{self._name}[{key!r}]")

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        pass

    def __delitem__(self, key: t.Any) -> None:
        pass

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> Stand:
        return Stand(f"{self._name}()")

    def __iter__(self) -> t.Iterator[t.Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __contains__(self, item: t.Any) -> bool:
        return False

    def __add__(self, other: t.Any) -> t.Any:
        return other

    __radd__ = __add__

    def __or__(self, other: t.Any) -> t.Any:
        return other

    __ror__ = __or__

    def __mro_entries__(self, bases: tuple[t.Any, ...]) -> tuple[type, ...]:
        return (object,)


class _StandModule(types.ModuleType):
    def __getattr__(self, name: str) -> t.Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return Stand(f"{self.__name__}.{name}")


class _SecretEnviron(dict):  # type: ignore[type-arg]
    """The pod's environment as far as the settings read it offline: each EKS_SECRET_*
    variable (EKS_SECRETS_SOURCE=secretsmanager, docs/secrets.md) holds its own
    placeholder, as the value itself is only known inside the cluster."""

    def __missing__(self, key: str) -> str:
        if key.startswith("EKS_SECRET_"):
            return "${" + key + "}"
        raise KeyError(key)

    def get(self, key: str, default: t.Any = None) -> t.Any:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


def _import(name: str, globals_: t.Any = None, locals_: t.Any = None,
            fromlist: t.Sequence[str] = (), level: int = 0) -> types.ModuleType:
    if level == 0 and name == "os":
        stand_os = types.ModuleType("os")
        stand_os.environ = _SecretEnviron()  # type: ignore[attr-defined]
        return stand_os
    if level == 0 and name in SAFE_MODULES:
        module = importlib.import_module(name)
        return module if fromlist else importlib.import_module(name.split(".")[0])
    stand = _StandModule(name or "relative")
    stand.__all__ = []  # `from x import *` brings nothing: missing names stand in
    return stand


class Unknown(dict):  # type: ignore[type-arg]
    """A setting the base settings define: a dict that grows what the file writes into
    it (`ELASTICSEARCH_DSL['default'].update({...})` keeps the hosts)."""

    def __missing__(self, key: t.Any) -> Unknown:
        self[key] = Unknown()
        return self[key]


class _Namespace(dict):  # type: ignore[type-arg]
    """Module globals where a missing name is an Unknown (after the builtins)."""

    def __missing__(self, key: str) -> t.Any:
        if hasattr(builtins, key):
            return getattr(builtins, key)
        self[key] = Unknown()
        return self[key]


@dataclass
class Settings:
    path: Path
    values: dict[str, t.Any]
    skipped: list[str] = field(default_factory=list)


def execute(path: Path, seed: dict[str, t.Any] | None = None) -> Settings:
    """The settings names (UPPER_CASE) a rendered settings file defines, starting from
    `seed` (what its base settings are known to import)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    safe_builtins = {k: getattr(builtins, k) for k in dir(builtins)}
    safe_builtins.update(__import__=_import, open=_no_open, exec=None, eval=None)
    namespace = _Namespace(__builtins__=safe_builtins, __name__="settings", __file__=str(path))
    namespace.update(copy.deepcopy(seed or {}))
    skipped = []
    for node in tree.body:
        code = compile(ast.Module(body=[node], type_ignores=[]), str(path), "exec")
        try:
            exec(code, namespace)  # noqa: S102 - the user's own rendered settings, stubbed
        except Exception as exc:  # noqa: BLE001 - a statement needing real base settings
            skipped.append(f"line {node.lineno}: {type(exc).__name__}: {exc}")
    values = {
        k: v
        for k, v in namespace.items()
        if k.isupper() and not k.startswith("_") and not (isinstance(v, Unknown) and not v)
    }
    return Settings(path, values, skipped)


def _no_open(*args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    raise PermissionError("settings files are read without touching files")


def settings_files(env_root: Path) -> list[Path]:
    """Every Django settings module a pod runs, under env/apps and env/plugins/*/apps."""
    found = []
    for base in [env_root / "apps", *sorted((env_root / "plugins").glob("*/apps"))]:
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(base).parts
            if "settings" in parts[:-1] and path.name not in DEV_ONLY:
                found.append(path)
    return found


def owner(env_root: Path, path: Path) -> str:
    """The plugin whose templates rendered this file ('tutor' for Tutor's own)."""
    relative = path.relative_to(env_root).parts
    return relative[1] if relative[0] == "plugins" else "tutor"


def seed(env_root: Path, path: Path) -> dict[str, t.Any]:
    """What the base settings of a Tutor-rendered file are known to hold.

    edx-platform's production settings load every key of the `<variant>.env.yml` Tutor
    renders next to them (DATABASES, CACHES, CELERY_BROKER_*, ...): seed those, so the
    LMS and CMS endpoints Tutor writes there are read too.
    """
    relative = path.relative_to(env_root).parts
    if relative[:3] != ("apps", "openedx", "settings") or len(relative) != 5:
        return {}
    config = env_root / "apps" / "openedx" / "config" / f"{relative[3]}.env.yml"
    if not config.is_file():
        return {}
    import yaml  # only `tutor eks check` reads settings

    loaded = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return {k: v for k, v in loaded.items() if isinstance(k, str) and k.isupper()}
