"""Boundaries generated from the settings' own validators.

Every whole-number limit declared anywhere in the settings (an EKS_* setting, an item
of a list setting, a key of a mapping setting, or a Tutor key this plugin checks) gets
four cases: min-1 and max+1 are refused, min and max accepted, through
``config.problems`` (what the config-save and config-load guards call). A new setting
with an ``Integer`` validator gets its cases without a new line here, so a dropped
``<= maximum`` (or ``>= minimum``) check fails a test by name.

Values nested in a list or mapping need a valid surrounding value: ``sample`` builds one
from the validators, and fails loudly (naming the validator) for a pattern it has no
example for, rather than leaving a setting untested.
"""

from __future__ import annotations

import copy
import re
import typing as t

import pytest
from eks_defaults import rendered_defaults

from tutor_eks_plugin import config as eks_config
from tutor_eks_plugin.settings import validators as s

# A valid example for each pattern the settings use (a new pattern fails `sample`).
PATTERN_EXAMPLES: dict[str, str] = {
    s.HOST_RE.pattern: "learn.example.com",
    s.DNS_LABEL_RE.pattern: "lms",
    s.DNS_SUBDOMAIN_RE.pattern: "lms",
    s.CPU_RE.pattern: "500m",
    s.MEMORY_RE.pattern: "512Mi",
    s.NGINX_SIZE_RE.pattern: "4m",
}


def sample(validator: s.Validator) -> t.Any:
    """A value the validator accepts (used around a nested boundary)."""
    if isinstance(validator, s.Boolean):
        value: t.Any = True
    elif isinstance(validator, s.Integer):
        value = validator.minimum
    elif isinstance(validator, s.Choice):
        value = validator.choices[0]
    elif isinstance(validator, s.Pattern):
        if validator.regex.pattern not in PATTERN_EXAMPLES:
            pytest.fail(f"no example value for pattern {validator.regex.pattern!r}: "
                        "add one to PATTERN_EXAMPLES")
        value = PATTERN_EXAMPLES[validator.regex.pattern]
    elif isinstance(validator, s.PrivateCidr):
        value = "203.0.113.0/24"
    elif isinstance(validator, s.ListOf):
        value = [sample(validator.item)]
    elif isinstance(validator, s.Mapping):
        value = {k: sample(v) for k, v in validator.required.items()}
    else:
        pytest.fail(f"no sample for validator {validator!r}: teach `sample` this kind")
    assert validator.ok(value), (validator, value)
    return value


Path = tuple[t.Union[str, int], ...]


def integers(validator: s.Validator, path: Path = ()) -> t.Iterator[tuple[Path, s.Integer]]:
    """Every Integer inside a validator, with the path from the setting's value to it."""
    if isinstance(validator, s.Integer):
        yield path, validator
    elif isinstance(validator, s.ListOf):
        yield from integers(validator.item, (*path, 0))
    elif isinstance(validator, s.Mapping):
        for key, inner in {**validator.required, **validator.optional}.items():
            yield from integers(inner, (*path, key))


def with_value(validator: s.Validator, path: Path, value: t.Any) -> t.Any:
    """A valid value of the whole setting, with `value` placed at `path`."""
    if not path:
        return value
    outer = sample(validator)
    if isinstance(validator, s.ListOf):
        outer[0] = with_value(validator.item, path[1:], value)
    else:
        assert isinstance(validator, s.Mapping)
        inner = {**validator.required, **validator.optional}[path[0]]
        outer[path[0]] = with_value(inner, path[1:], value)
    return outer


def _cases() -> list[t.Any]:
    checked = [(st.key, st.validator) for st in eks_config.all_settings()]
    checked += list(eks_config.tutor_keys().items())
    cases = []
    for key, validator in checked:
        for path, bound in integers(validator):
            where = key + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            for label, value, ok in (
                ("min-1", bound.minimum - 1, False),
                ("min", bound.minimum, True),
                ("max", bound.maximum, True),
                ("max+1", bound.maximum + 1, False),
            ):
                cases.append(pytest.param(key, validator, path, value, ok,
                                          id=f"{where}:{label}"))
                if isinstance(bound, s.RenderedInteger) and value >= 0:
                    # Rendered templates arrive as text: the digits obey the same bounds.
                    cases.append(pytest.param(key, validator, path, str(value), ok,
                                              id=f"{where}:{label}:text"))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def defaults() -> dict[str, t.Any]:
    """Tutor's base and default config plus every EKS_* default, rendered as Tutor does."""
    config = rendered_defaults()
    assert eks_config.problems(config) == [], "the defaults themselves must be valid"
    return config


def test_every_integer_limit_is_covered() -> None:
    """The generator sees the limits (a broken walk would make every case vanish)."""
    ids = {p.id for p in CASES}
    for expected in ("EKS_INGRESS_PROXY_TIMEOUT_SECONDS:max+1",
                     "EKS_INGRESS_EXTRA_ROUTES[0].port:max+1",
                     "EKS_LMS_MAX_REPLICAS:max+1:text", "REDIS_PORT:min-1"):
        assert expected in ids, sorted(ids)
    assert len(CASES) >= 4 * 40


@pytest.mark.parametrize(("key", "validator", "path", "value", "ok"), CASES)
def test_boundary(defaults: dict[str, t.Any], key: str, validator: s.Validator,
                  path: Path, value: t.Any, ok: bool) -> None:
    config = copy.deepcopy(defaults)
    config[key] = with_value(validator, path, value)
    named = [p for p in eks_config.problems(config)
             if re.match(rf"^{re.escape(key)}=.* is not valid: expected ", p)]
    if ok:
        assert named == [], f"{key}: {value!r} is inside the limits but was refused: {named}"
    else:
        assert len(named) == 1, f"{key}: {value!r} is outside the limits but was accepted"
        assert "a whole number from" in named[0] or "a list whose items" in named[0] \
            or "a mapping with keys" in named[0], named[0]
