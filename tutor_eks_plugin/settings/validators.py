"""What an EKS_* (or plugin-owned Tutor) value may be: the validators and the patterns
they match, plus the helpers that read a validated value back.

``Setting`` (the package's ``__init__``) pairs a key with one of these; the concern
modules build their tables from them. No validator here is tied to one key.
"""

from __future__ import annotations

import ipaddress
import re
import typing as t
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

# RFC 1123 host name: what an Ingress rule and an ACM certificate accept.
_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST_RE = re.compile(rf"^(?=.{{1,253}}$){_HOST_LABEL}(\.{_HOST_LABEL})*$")
# RFC 1123 label / DNS subdomain: names of Kubernetes objects and classes.
DNS_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
DNS_SUBDOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
# Kubernetes resource quantities, restricted to the forms that make sense here.
CPU_RE = re.compile(r"^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$")
MEMORY_RE = re.compile(r"^([0-9]+)(Ki|Mi|Gi|Ti|K|M|G|T)?$")
# NGINX size: 0 (unlimited) or a number with an optional k/m/g suffix.
NGINX_SIZE_RE = re.compile(r"^[0-9]+[kKmMgG]?$")


class Validator(ABC):
    """Checks one value; ``allowed`` says in words what would pass."""

    allowed: str = "any value"

    @abstractmethod
    def ok(self, value: t.Any) -> bool:
        """True when the value is acceptable."""

    def problem(self, value: t.Any) -> t.Optional[str]:
        return None if self.ok(value) else self.allowed


class Boolean(Validator):
    allowed = "true or false"

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, bool)


@dataclass
class Integer(Validator):
    minimum: int
    maximum: int

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"a whole number from {self.minimum} to {self.maximum}"

    def ok(self, value: t.Any) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.minimum <= value <= self.maximum
        )


@dataclass
class RenderedInteger(Integer):
    """A whole number whose default is a template: Tutor renders config templates to text
    ('2'), so the digits of a whole number in range pass as well. Read it with
    ``whole_number``; templates with ``|int``."""

    def ok(self, value: t.Any) -> bool:
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)
        return super().ok(value)


def whole_number(value: t.Any) -> int:
    """A value that passed RenderedInteger, as an int."""
    return int(value)


@dataclass
class Choice(Validator):
    choices: t.Sequence[str]

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(repr(c) for c in self.choices)

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, str) and value in self.choices


@dataclass
class Pattern(Validator):
    regex: re.Pattern[str]
    allowed: str = "a matching string"  # type: ignore[assignment]
    allow_empty: bool = False

    def ok(self, value: t.Any) -> bool:
        if not isinstance(value, str):
            return False
        if value == "":
            return self.allow_empty
        return bool(self.regex.match(value))


def host(allow_empty: bool = False) -> Pattern:
    return Pattern(
        HOST_RE,
        "a lower-case DNS host name such as 'learn.example.com'"
        + (" or ''" if allow_empty else ""),
        allow_empty,
    )


def k8s_name(allow_empty: bool = False) -> Pattern:
    return Pattern(
        DNS_SUBDOMAIN_RE,
        "a Kubernetes object name (lower-case letters, digits, '-' and '.')"
        + (" or '' for none" if allow_empty else ""),
        allow_empty,
    )


def quantity_text(value: t.Any) -> str:
    """A quantity as text: `--set KEY=2` arrives as the YAML number 2, which means '2'."""
    return str(value)


@dataclass
class Quantity(Pattern):
    """A pattern that also takes the same value written as a YAML number (2, 0.5, 0)."""

    def ok(self, value: t.Any) -> bool:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = quantity_text(value)
        return super().ok(value)


def cpu() -> Quantity:
    return Quantity(CPU_RE, "a CPU quantity such as '500m' or '2'")


def memory() -> Quantity:
    return Quantity(MEMORY_RE, "a memory quantity such as '512Mi' or '2Gi'")


def nginx_size() -> Quantity:
    return Quantity(NGINX_SIZE_RE, "an NGINX size such as '4m', '250m' or '0' (no limit)")


class PrivateCidr(Validator):
    """An IPv4 CIDR that is not the whole internet (an allow-list entry)."""

    allowed = "an IPv4 CIDR such as '203.0.113.0/24' (not 0.0.0.0/0)"

    def ok(self, value: t.Any) -> bool:
        if not isinstance(value, str) or "/" not in value:
            return False
        try:
            network = ipaddress.IPv4Network(value, strict=True)
        except ValueError:
            return False
        return network.prefixlen > 0


@dataclass
class ListOf(Validator):
    item: Validator

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"a list whose items are each {self.item.allowed}"

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, list) and all(self.item.ok(v) for v in value)


@dataclass
class Mapping(Validator):
    """A dict with required and optional keys, each with its own validator."""

    required: dict[str, Validator]
    optional: dict[str, Validator] = field(default_factory=dict)

    @property
    def allowed(self) -> str:  # type: ignore[override]
        req = ", ".join(f"{k} ({v.allowed})" for k, v in self.required.items())
        opt = ", ".join(f"{k} ({v.allowed})" for k, v in self.optional.items())
        return f"a mapping with keys {req}" + (f"; optional {opt}" if opt else "")

    def ok(self, value: t.Any) -> bool:
        if not isinstance(value, dict):
            return False
        known = set(self.required) | set(self.optional)
        if set(value) - known or set(self.required) - set(value):
            return False
        validators = {**self.required, **self.optional}
        return all(validators[k].ok(v) for k, v in value.items())


# What a key moved to Secrets Manager holds instead of its value: ${EKS_SECRET_<KEY>}
# (settings/secrets.py). Defined here because Secret accepts it, and secrets.py builds
# on these validators, not the other way round.
SECRET_ENV_PREFIX = "EKS_SECRET_"  # noqa: S105 (a variable-name prefix)
SECRET_PLACEHOLDER_RE = re.compile(r"^\$\{" + SECRET_ENV_PREFIX + r"[A-Z0-9_]+\}$")


class Secret(Validator):
    """A password that Tutor's templates can carry: no quote, backslash, `$`, backtick or
    whitespace (Tutor writes passwords inside "..." in Python settings, YAML and shell)."""

    allowed = (
        "a string without quotes, backslashes, '$', '`' or whitespace "
        "(Tutor writes it inside quoted Python, YAML and shell strings)"
    )
    _BAD = re.compile(r"[\"'\\$`\s]")

    def ok(self, value: t.Any) -> bool:
        if isinstance(value, str) and value.startswith("${"):
            # The Secrets Manager placeholder (settings/secrets.py): the shell of the init
            # jobs expands it; the secrets rules check that it belongs to this key.
            return bool(SECRET_PLACEHOLDER_RE.match(value))
        return isinstance(value, str) and not self._BAD.search(value)


# Quantities as numbers, for the rules that compare them (requests, limits, node sizes).
_MEMORY_UNITS = {
    "": 1,
    "K": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def cpu_millis(value: t.Any) -> float:
    """'500m' -> 500, '2' or 2 -> 2000 (values already passed the cpu() validator)."""
    text = quantity_text(value)
    return float(text[:-1]) if text.endswith("m") else float(text) * 1000


def memory_bytes(value: t.Any) -> int:
    """'512Mi' -> bytes (values already passed the memory() validator)."""
    number, unit = MEMORY_RE.match(quantity_text(value)).groups()  # type: ignore[union-attr]
    return int(number) * _MEMORY_UNITS[unit or ""]
