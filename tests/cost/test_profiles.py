"""tutor_eks_plugin.profiles reads terraform/stacks/aws/profiles.tf as HCL does."""

from __future__ import annotations

import typing as t

import hcl2
import pytest

from tutor_eks_plugin import profiles


def _unquote(value: t.Any) -> t.Any:
    """python-hcl2 8.x keeps the quotes of string literals ('"m6i.large"')."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {k: _unquote(v) for k, v in value.items()}
    return value


def test_profiles_match_python_hcl2_parse_of_the_stack_file() -> None:
    text = profiles.profiles_text()
    parsed = hcl2.loads(text)
    expected = _unquote(next(b["profiles"] for b in parsed["locals"] if "profiles" in b))
    assert profiles.parse_profiles(text) == expected
    assert set(profiles.load()) == {"small", "production"}


def test_parser_refuses_what_it_does_not_understand() -> None:
    text = 'locals {\n  profiles = {\n    small = { nodes = var.min }\n  }\n}\n'
    with pytest.raises(profiles.ProfileFileError, match="not a literal"):
        profiles.parse_profiles(text)


def test_unknown_profile_names_the_allowed_ones() -> None:
    with pytest.raises(profiles.ProfileFileError, match="EKS_PROFILE='medium' is not a profile of stacks/aws/profiles.tf: use one of 'production', 'small'"):
        profiles.get("medium")


def test_comments_and_nested_maps() -> None:
    text = (
        "locals {\n  profiles = {\n    # a comment\n    a = {\n      x = [1, 2.5, \"s\"] // c\n"
        "      m = { on = true }\n    }\n  }\n  p = merge(var.tags, {})\n}\n"
    )
    assert profiles.parse_profiles(text) == {"a": {"x": [1, 2.5, "s"], "m": {"on": True}}}
