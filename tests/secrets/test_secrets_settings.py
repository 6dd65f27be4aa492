"""EKS_SECRETS_SOURCE, EKS_SECRETS_REFRESH_INTERVAL and EKS_SECRETS_REFERENCES are
validated like the other settings (one line naming the key, the value unless secret,
what is allowed), and the placeholders must agree with the source and the references."""

from __future__ import annotations

import typing as t

import pytest
from secrets_cases import VALUES, arn, inline_settings, referenced_settings

from tutor_eks_plugin import config as eks_config
from tutor_eks_plugin.diagram import config as diagram_config
from tutor_eks_plugin.settings import secrets


def _problems(**settings: t.Any) -> list[str]:
    """Tutor's and the plugin's defaults (the plugin loaded in-process), plus these."""
    return eks_config.problems(diagram_config.canonical("small", **settings))


def test_defaults_are_valid_and_keep_plain_tutor() -> None:
    defaults = dict(eks_config.defaults())
    assert defaults["EKS_SECRETS_SOURCE"] == "config"
    assert defaults["EKS_SECRETS_REFRESH_INTERVAL"] == "1h"
    assert _problems() == []


def test_fully_referenced_config_is_valid() -> None:
    assert _problems(**referenced_settings()) == []


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        ("EKS_SECRETS_SOURCE", "vault", "one of 'config', 'secretsmanager'"),
        ("EKS_SECRETS_REFRESH_INTERVAL", "30s", "at least 1m"),
        ("EKS_SECRETS_REFRESH_INTERVAL", "1 hour", "a duration such as '1h'"),
        ("EKS_SECRETS_REFRESH_INTERVAL", "", "a duration such as '1h'"),
    ],
)
def test_bad_values_are_named(key: str, value: str, allowed: str) -> None:
    found = _problems(**{key: value})
    assert len(found) == 1 and found[0].startswith(f"{key}=") and allowed in found[0], found


@pytest.mark.parametrize(
    "references",
    [
        {"SECRET_KEY": {"secret": arn("x"), "property": ""}},  # not a movable key
        {"REDIS_PASSWORD": {"secret": "arn:aws:secretsmanager:*", "property": ""}},
        {"REDIS_PASSWORD": {"secret": arn("redis")}},  # property missing
    ],
)
def test_bad_references_are_refused(references: dict) -> None:
    found = _problems(EKS_SECRETS_REFERENCES=references)
    assert len(found) == 1 and found[0].startswith("EKS_SECRETS_REFERENCES=(hidden)"), found


def test_placeholder_and_source_must_agree() -> None:
    settings = referenced_settings()
    settings["EKS_SECRETS_SOURCE"] = "config"
    found = _problems(**settings)
    assert any(f.startswith("MYSQL_ROOT_PASSWORD holds the Secrets Manager placeholder") for f in found)

    settings = referenced_settings()
    settings["REDIS_PASSWORD"] = "a-value-left-behind"
    found = _problems(**settings)
    assert found == [
        "EKS_SECRETS_REFERENCES names a Secrets Manager secret for REDIS_PASSWORD, but "
        "REDIS_PASSWORD holds a value: set REDIS_PASSWORD=${EKS_SECRET_REDIS_PASSWORD} "
        "(`tutor eks infra output` does it for the stage-1 secrets) so that the value stays "
        "out of config.yml and the rendered env."
    ]
    assert "a-value-left-behind" not in "".join(found)

    settings = referenced_settings(["MYSQL_ROOT_PASSWORD"])
    settings["MONGODB_PASSWORD"] = secrets.BY_KEY["REDIS_PASSWORD"].placeholder
    assert _problems(**settings) == [
        "MONGODB_PASSWORD holds the placeholder of another key: set it to "
        "${EKS_SECRET_MONGODB_PASSWORD} (or to its value with EKS_SECRETS_SOURCE=config)."
    ]


def test_api_key_placeholder_follows_the_master_key() -> None:
    settings = referenced_settings([k for k in secrets.BY_KEY if k != "MEILISEARCH_MASTER_KEY"])
    settings["MEILISEARCH_API_KEY"] = secrets.MEILISEARCH_API_KEY_PLACEHOLDER
    found = _problems(**settings)
    assert len(found) == 1 and found[0].startswith("MEILISEARCH_API_KEY holds the placeholder")


def test_stage_two_gets_the_source_and_the_referenced_arns_never_a_value() -> None:
    from tutor_eks_plugin.infra import variables

    settings = referenced_settings()
    values = variables.from_config(settings)
    assert values["secrets_source"] == "secretsmanager"
    assert values["external_secrets_additional_secret_arns"] == sorted(
        arn(key) for key in secrets.BY_KEY
    )
    # Even from a config that still holds values, none reaches the tfvars.
    mixed = {**inline_settings(), "EKS_SECRETS_REFERENCES": settings["EKS_SECRETS_REFERENCES"]}
    text = repr(variables.from_config(mixed))
    assert not [key for key, value in VALUES.items() if value in text]
    assert variables.from_config({"EKS_SECRETS_SOURCE": "config"})["secrets_source"] == "config"
