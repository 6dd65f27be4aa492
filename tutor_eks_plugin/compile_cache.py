"""Compiled Jinja templates kept on disk between `tutor` commands.

Every `tutor` command that renders (config save, k8s start, ...) compiles the same
template files and patches again: Jinja turns each source into Python source and
then into a code object, about 2 ms a source, 200 sources for one `tutor config save`
with this plugin. Jinja's own answer is a bytecode cache, but Tutor renders patches
with ``from_string``, which no bytecode cache reaches. The compile wrapper in
``tutor_internals`` asks this store first.

What is stored: the code object (``marshal``) of a template file or of a plugin's patch
text, named by a SHA-256 digest of everything that shapes the code (the source, its
name and filename, the environment's compile-time inputs, Jinja's version and the
interpreter's bytecode magic number), so an edited template, another Jinja or another
Python never reads a stale entry. Config values are never stored: a value is a
string the user wrote, possibly a password.

Where: ``$TUTOR_EKS_COMPILE_CACHE`` if set (``off`` turns the store off), else
``$XDG_CACHE_HOME/tutor-eks/jinja`` (``~/.cache/tutor-eks/jinja``). The directory is
made private (0700); a directory that another user owns or that others may write to
is not used, as loading code from it would run what they wrote. Entries are written
to a temporary file and renamed, so a reader never sees half of one; past
``MAX_ENTRIES`` the store starts over. Any error reading or writing turns into a
normal compile: the store only ever saves time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import types
import typing as t

ENV_VAR = "TUTOR_EKS_COMPILE_CACHE"
MAX_ENTRIES = 4000


def default_directory() -> str | None:
    """Where the store lives, or None when it is turned off."""
    chosen = os.environ.get(ENV_VAR)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "false") else chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tutor-eks", "jinja")


def stable(value: t.Any) -> t.Any:
    """A form of a compile input whose repr is the same in every process (a function's
    repr holds its memory address; its module and name do not)."""
    if isinstance(value, (tuple, list)):
        return tuple(stable(v) for v in value)
    if callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
    return value


# The environment's compile-time inputs (the last part) are the same for nearly every
# compile of a process: their stable text is worked out once per distinct value.
_INPUTS_TEXT: dict[t.Any, str] = {}


def digest(parts: tuple[t.Any, ...]) -> str:
    """SHA-256 of (source, name, filename, defer_init, environment inputs), Jinja's
    version and the interpreter's bytecode tag."""
    import jinja2

    *head, inputs = parts
    inputs_text = _INPUTS_TEXT.get(inputs)
    if inputs_text is None:
        inputs_text = _INPUTS_TEXT[inputs] = repr(stable(inputs))
    text = repr((stable(tuple(head)), inputs_text, jinja2.__version__,
                 importlib.util.MAGIC_NUMBER.hex(), sys.implementation.cache_tag))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    """Code objects on disk, one file per digest."""

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        self._usable: bool | None = None if directory else False

    def usable(self) -> bool:
        if self._usable is None:
            self._usable = self._prepare()
        return self._usable

    def _prepare(self) -> bool:
        assert self.directory
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            found = os.stat(self.directory)
        except OSError:
            return False
        if not stat.S_ISDIR(found.st_mode):
            return False
        if hasattr(os, "getuid") and found.st_uid != os.getuid():
            return False
        return not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)

    def get(self, key: str) -> types.CodeType | None:
        if not self.usable():
            return None
        assert self.directory
        try:
            with open(os.path.join(self.directory, key), "rb") as stream:
                code = marshal.load(stream)  # noqa: S302 - a private folder (checked above)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return code if isinstance(code, types.CodeType) else None

    def put(self, key: str, code: t.Any) -> None:
        if not isinstance(code, types.CodeType) or not self.usable():
            return
        assert self.directory
        try:
            if len(os.listdir(self.directory)) >= MAX_ENTRIES:
                self.clear()
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    marshal.dump(code, stream)
                os.replace(temporary, os.path.join(self.directory, key))
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, ValueError):
            return

    def clear(self) -> None:
        assert self.directory
        for name in os.listdir(self.directory):
            try:
                os.unlink(os.path.join(self.directory, name))
            except OSError:
                continue


_store: Store | None = None


def store() -> Store:
    """The process's store, at the directory the environment names at first use."""
    global _store
    if _store is None:
        _store = Store(default_directory())
    return _store


def reset() -> None:
    """Forget the process's store (tests point it elsewhere through the variable)."""
    global _store
    _store = None
