"""What the config sync writes for the stage-1 secrets (infra/secret_refs.py): references
and placeholders (EKS_SECRETS_SOURCE=secretsmanager) or the fetched values' extras
(=config), and the notices it prints, decision by decision.

Fast enough to run once per mutant (scripts/mutation.sh): pure functions of the
outputs and config.yml's values, no terraform, no Secrets Manager (the end-to-end sync
against moto is test_secret_sync.py). The Meilisearch API key is checked against
Tutor's own derivation (tutor.utils.uid_master_hash).
"""

from __future__ import annotations

import typing as t

import pytest
from tutor import utils as tutor_utils

from tutor_eks_plugin.infra import contract, secret_refs
from tutor_eks_plugin.settings import secrets

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
OUTPUTS: dict[str, dict[str, t.Any]] = {
    "mysql_admin_secret_arn": {"value": ARN + "admin"},
    "mysql_app_secret_arn": {"value": ARN + "app"},
    "mongodb_admin_secret_arn": {"value": ARN + "mongo"},
    "redis_auth_secret_arn": {"value": ARN + "redis"},
    "meilisearch_master_key_secret_arn": {"value": ARN + "meili"},
    "mysql_host": {"value": "db.example.com"},
}


def placeholder(key: str) -> str:
    return "${EKS_SECRET_" + key + "}"


# ---- secret_refs --------------------------------------------------------------------


def test_source_is_config_yml_choice_else_secrets_manager() -> None:
    assert secret_refs.source({}) == "secretsmanager"
    assert secret_refs.source({"EKS_SECRETS_SOURCE": ""}) == "secretsmanager"
    assert secret_refs.source({"EKS_SECRETS_SOURCE": "config"}) == "config"


def test_references_of_every_stack_secret() -> None:
    values = secret_refs.references(OUTPUTS, {})
    assert values["EKS_SECRETS_SOURCE"] == "secretsmanager"
    assert values["EKS_SECRETS_REFERENCES"] == {
        "MYSQL_ROOT_PASSWORD": {"secret": ARN + "admin", "property": "password"},
        "OPENEDX_MYSQL_PASSWORD": {"secret": ARN + "app", "property": ""},
        "MONGODB_PASSWORD": {"secret": ARN + "mongo", "property": "password"},
        "REDIS_PASSWORD": {"secret": ARN + "redis", "property": ""},
        "MEILISEARCH_MASTER_KEY": {"secret": ARN + "meili", "property": ""},
    }
    for key in values["EKS_SECRETS_REFERENCES"]:
        assert values[key] == placeholder(key)
    assert values["MEILISEARCH_API_KEY"] == placeholder("MEILISEARCH_API_KEY")
    # A plain output is no secret: no reference, no placeholder.
    assert "MYSQL_HOST" not in values


def test_references_keep_hand_made_ones_and_skip_missing_outputs() -> None:
    smtp = {"secret": "smtp-secret", "property": "password"}
    user = {"EKS_SECRETS_REFERENCES": {"SMTP_PASSWORD": smtp}}
    outputs = {"redis_auth_secret_arn": {"value": ARN + "redis"},
               "mysql_app_secret_arn": {"value": None}, "mysql_admin_secret_arn": None}
    values = secret_refs.references(outputs, user)
    assert values["EKS_SECRETS_REFERENCES"] == {
        "SMTP_PASSWORD": smtp,
        "REDIS_PASSWORD": {"secret": ARN + "redis", "property": ""},
    }
    assert values["SMTP_PASSWORD"] == placeholder("SMTP_PASSWORD")
    assert "MEILISEARCH_API_KEY" not in values
    assert "OPENEDX_MYSQL_PASSWORD" not in values
    assert user["EKS_SECRETS_REFERENCES"] == {"SMTP_PASSWORD": smtp}  # not modified


def test_references_only_for_movable_secret_entries() -> None:
    movable = {e.key for e in contract.ENTRIES if e.secret}
    assert movable <= set(secrets.BY_KEY)
    assert set(secret_refs.references(OUTPUTS, {})["EKS_SECRETS_REFERENCES"]) == movable


def test_fetched_extras_drop_fetched_references_and_derive_the_api_key() -> None:
    smtp = {"secret": "smtp", "property": ""}
    refs = {"REDIS_PASSWORD": {"secret": "r", "property": ""}, "SMTP_PASSWORD": smtp}
    user = {"EKS_SECRETS_REFERENCES": refs, "MEILISEARCH_API_KEY_UID": "uid-1"}
    values = secret_refs.fetched_extras(
        {"REDIS_PASSWORD": "token", "MEILISEARCH_MASTER_KEY": "master"}, user
    )
    assert values == {
        "EKS_SECRETS_SOURCE": "config",
        "EKS_SECRETS_REFERENCES": {"SMTP_PASSWORD": smtp},
        "MEILISEARCH_API_KEY": tutor_utils.uid_master_hash("master", "uid-1"),
    }
    # Nothing to drop, no master key, or no uid: those keys are not written.
    assert secret_refs.fetched_extras({"MEILISEARCH_MASTER_KEY": "m"}, {}) == {
        "EKS_SECRETS_SOURCE": "config"
    }
    assert secret_refs.fetched_extras({"REDIS_PASSWORD": "t"}, {"MEILISEARCH_API_KEY_UID": "u"}) \
        == {"EKS_SECRETS_SOURCE": "config"}
    assert secret_refs.fetched_extras({"MEILISEARCH_MASTER_KEY": ""},
                                      {"MEILISEARCH_API_KEY_UID": "u"}) \
        == {"EKS_SECRETS_SOURCE": "config"}


def test_unmoved_notice_names_only_values_left_in_config_yml() -> None:
    values = secret_refs.references(OUTPUTS, {})
    assert secret_refs.unmoved_notice(values, {"SMTP_PASSWORD": ""}) is None
    assert secret_refs.unmoved_notice(values, {"SMTP_PASSWORD": placeholder("SMTP_PASSWORD")}) \
        is None
    assert secret_refs.unmoved_notice(values, {"SMTP_PASSWORD": None}) is None
    notice = secret_refs.unmoved_notice(values, {"SMTP_PASSWORD": "hunter2",
                                                 "MONGODB_PASSWORD": "old"})
    assert notice is not None
    assert notice.startswith("Still in config.yml, no Secrets Manager secret behind them: "
                             "SMTP_PASSWORD. ")
    assert "hunter2" not in notice
    # A referenced key never counts, whatever config.yml still holds.
    assert secret_refs.unmoved_notice({}, {"EKS_SECRETS_REFERENCES": {"SMTP_PASSWORD": {}},
                                           "SMTP_PASSWORD": "x"}) is None
    two = secret_refs.unmoved_notice({}, {"SMTP_PASSWORD": "x", "REDIS_PASSWORD": "y"})
    assert two is not None and ": REDIS_PASSWORD, SMTP_PASSWORD." in two


def test_app_password_notice_only_when_the_source_changed() -> None:
    key = "OPENEDX_MYSQL_PASSWORD"
    ref = {"secret": ARN + "app", "property": ""}
    values = {key: placeholder(key), "EKS_SECRETS_REFERENCES": {key: ref}}
    assert secret_refs.app_password_notice({"MYSQL_HOST": "h"}, {}) is None
    # Same placeholder, same reference: nothing changed.
    same = {key: placeholder(key), "EKS_SECRETS_REFERENCES": {key: dict(ref)}}
    assert secret_refs.app_password_notice(values, same) is None
    # Tutor's generated password -> the stack's secret.
    notice = secret_refs.app_password_notice(values, {key: "generated"})
    assert notice is not None and notice.startswith(f"{key} now comes from the stage-1 secret")
    # Same placeholder, another secret.
    other = {key: placeholder(key),
             "EKS_SECRETS_REFERENCES": {key: {"secret": ARN + "old", "property": ""}}}
    assert secret_refs.app_password_notice(values, other) is not None
    # Fetched value (config source) that changed.
    assert secret_refs.app_password_notice({key: "new"}, {key: "old"}) is not None
    assert secret_refs.app_password_notice({key: "same"}, {key: "same"}) is None
    assert secret_refs.app_password_notice({key: "zzz"}, {key: "aaa"}) is not None


def test_secret_outputs_of_keys_that_cannot_move_are_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A secret output whose Tutor key is not movable (none in today's contract) gets no
    reference: the pods could not read it from the environment."""
    extra = contract.Entry("future_secret_arn", "EKS_FUTURE_TOKEN", contract.FETCHED_STRING)
    monkeypatch.setattr(contract, "ENTRIES", (*contract.ENTRIES, extra))
    values = secret_refs.references({**OUTPUTS, "future_secret_arn": {"value": ARN + "f"}}, {})
    assert "EKS_FUTURE_TOKEN" not in values["EKS_SECRETS_REFERENCES"]
    assert "EKS_FUTURE_TOKEN" not in values
