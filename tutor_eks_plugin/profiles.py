"""The two sizing profiles, read from the one place they are defined.

`terraform/stacks/aws/profiles.tf` holds everything that differs between the
`small` and `production` profiles. Python reads that file at run time (it ships in
the wheel as the package data `tutor_eks_plugin.terraform`) instead of keeping a
copy, so the diagrams and the cost estimate follow any edit of the stack.

The block uses a small subset of HCL: nested maps of `key = value` where a value is
a string, a number, a bool, a list of those, or another map; `#` and `//` comments.
The parser below reads exactly that subset and fails loudly on anything else; a
test compares its result with python-hcl2's parse of the same file.
"""

from __future__ import annotations

import re
import typing as t
from functools import lru_cache
from importlib import resources

PROFILES_FILE = "stacks/aws/profiles.tf"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+|\#[^\n]*|//[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.-]*)
  | (?P<punct>[{}\[\]=,])
    """,
    re.VERBOSE,
)


class ProfileFileError(ValueError):
    """profiles.tf holds something outside the HCL subset this parser reads."""


def _tokens(text: str) -> t.Iterator[tuple[str, str]]:
    # Lazy: the parser stops at the brace closing the profiles map, so the HCL
    # after it (function calls, references) is never tokenized.
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            line = text.count("\n", 0, pos) + 1
            raise ProfileFileError(f"{PROFILES_FILE}:{line}: unexpected {text[pos:pos + 20]!r}")
        kind = match.lastgroup or ""
        if kind != "ws":
            yield kind, match.group()
        pos = match.end()


class _Parser:
    def __init__(self, tokens: t.Iterator[tuple[str, str]]) -> None:
        self.tokens, self.depth = tokens, 0
        self.next = next(tokens, ("eof", ""))

    def peek(self) -> tuple[str, str]:
        return self.next

    def take(self, value: t.Optional[str] = None) -> tuple[str, str]:
        token = self.next
        if value is not None and token[1] != value:
            raise ProfileFileError(f"{PROFILES_FILE}: expected {value!r}, found {token[1]!r}")
        self.depth += {"{": 1, "}": -1}.get(token[1], 0)
        # Past the brace that closes the outer map: read no further.
        self.next = next(self.tokens, ("eof", "")) if self.depth else ("eof", "")
        return token

    def value(self) -> t.Any:
        kind, text = self.peek()
        if text == "{":
            return self.mapping()
        if text == "[":
            self.take("[")
            items = []
            while self.peek()[1] != "]":
                items.append(self.value())
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("]")
            return items
        self.take()
        if kind == "string":
            return bytes(text[1:-1], "utf-8").decode("unicode_escape")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind == "word" and text in ("true", "false"):
            return text == "true"
        raise ProfileFileError(f"{PROFILES_FILE}: value {text!r} is not a literal")

    def mapping(self) -> dict[str, t.Any]:
        self.take("{")
        result: dict[str, t.Any] = {}
        while self.peek()[1] != "}":
            kind, key = self.take()
            if kind not in ("word", "string"):
                raise ProfileFileError(f"{PROFILES_FILE}: map key expected, found {key!r}")
            self.take("=")
            result[key.strip('"')] = self.value()
            if self.peek()[1] == ",":
                self.take(",")
        self.take("}")
        return result


def parse_profiles(text: str) -> dict[str, dict[str, t.Any]]:
    """The `profiles = { ... }` map of the `locals` block of profiles.tf."""
    match = re.search(r"^\s*profiles\s*=\s*\{", text, re.MULTILINE)
    if not match:
        raise ProfileFileError(f"{PROFILES_FILE}: no `profiles = {{` map in the locals block")
    parser = _Parser(_tokens(text[match.end() - 1 :]))
    return parser.mapping()


def profiles_text() -> str:
    return (resources.files("tutor_eks_plugin.terraform") / PROFILES_FILE).read_text(
        encoding="utf-8"
    )


@lru_cache(maxsize=1)
def load() -> dict[str, dict[str, t.Any]]:
    """Every profile, by name, as the stack defines it."""
    return parse_profiles(profiles_text())


def get(name: str, source: str = "EKS_PROFILE") -> dict[str, t.Any]:
    """One profile; `source` names where the name came from, for the error message."""
    profiles = load()
    if name not in profiles:
        allowed = ", ".join(repr(p) for p in sorted(profiles))
        raise ProfileFileError(
            f"{source}={name!r} is not a profile of {PROFILES_FILE}: use one of {allowed}"
        )
    return profiles[name]
