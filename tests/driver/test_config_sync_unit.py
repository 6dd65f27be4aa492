"""The config sync's decisions (infra/config_sync.py, infra/secret_refs.py), one by one.

Fast enough to run once per mutant (scripts/mutation.sh): no terraform, no moto, no
`tutor` subprocess. config.yml is a real file in a temporary Tutor root, read and
written by Tutor's own config functions. The end-to-end sync (terraform outputs,
Secrets Manager in moto, the env rendered) is tested in test_lifecycle.py and
test_secret_sync.py.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
import yaml
from tutor import config as tutor_config
from tutor import exceptions
from tutor import utils as tutor_utils

from tutor_eks_plugin.infra import config_sync, contract, secret_refs
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
    same = {key: placeholder(key), "EKS_SECRETS_REFERENCES": {key: ref}}
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


# ---- config_sync --------------------------------------------------------------------


def test_changes_are_the_keys_that_differ() -> None:
    current = {"A": 1, "B": None, "C": "x"}
    assert config_sync.changes(current, {"A": 1, "B": None, "C": "y", "D": None}) == {
        "C": "y", "D": None
    }


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A Tutor root with a config.yml. No plugin is enabled in it: Tutor would import
    and register the plugin in this process to load the full config (seconds, and hooks
    left for later tests); the sync writes the same keys either way."""
    config = {"PLUGINS": [], "EKS_NAME": "openedx", "MYSQL_HOST": "old.example.com",
              "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca", "EKS_STATE_BUCKET": "state"}
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config))
    return tmp_path


def test_write_saves_only_changes_and_leaves_an_unchanged_file_byte_identical(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tutor.env.save is replaced by a recorder: it stands for Tutor's rendering of the
    whole env (seconds; run for real in test_lifecycle.py), the sync only has to call it
    with the config it saved."""
    rendered: list[dict[str, t.Any]] = []
    monkeypatch.setattr(config_sync.tutor_env, "save", lambda r, c: rendered.append(c))
    before = (root / "config.yml").read_bytes()
    mtime = (root / "config.yml").stat().st_mtime_ns
    assert config_sync.write(str(root), {"MYSQL_HOST": "old.example.com"}) == {}
    assert (root / "config.yml").read_bytes() == before
    assert (root / "config.yml").stat().st_mtime_ns == mtime
    assert len(rendered) == 1 and rendered[0]["MYSQL_HOST"] == "old.example.com"

    changed = config_sync.write(str(root), {"MYSQL_HOST": "new.example.com", "EKS_NAME": "openedx"})
    assert changed == {"MYSQL_HOST": "new.example.com"}
    saved = yaml.safe_load((root / "config.yml").read_text())
    assert saved["MYSQL_HOST"] == "new.example.com" and saved["EKS_NAME"] == "openedx"
    assert len(rendered) == 2 and rendered[1]["MYSQL_HOST"] == "new.example.com"


def test_check_fetched_names_the_output_of_a_bad_value_and_changes_nothing(root: Path) -> None:
    before = (root / "config.yml").read_bytes()
    origins = contract.origins({"mysql_host": {"value": "bad host"}})
    with pytest.raises(exceptions.TutorError) as error:
        config_sync.check_fetched(str(root), {"MYSQL_HOST": "bad host"}, origins)
    lines = str(error.value).splitlines()
    assert lines[0].startswith("MYSQL_HOST='bad host' is not valid") or lines[0].startswith(
        "MYSQL_HOST=bad host is not valid"), lines
    assert lines[1] == origins["MYSQL_HOST"]
    assert lines[-1] == "config.yml was not changed."
    assert len(lines) == 3
    assert (root / "config.yml").read_bytes() == before


def test_check_fetched_accepts_good_values_and_ignores_problems_of_other_keys(
    root: Path,
) -> None:
    origins = contract.origins({"mysql_host": {"value": "db.example.com"}})
    config_sync.check_fetched(str(root), {"MYSQL_HOST": "db.example.com"}, origins)
    # A problem with a key no output feeds is the user's, reported by `tutor config save`.
    config = yaml.safe_load((root / "config.yml").read_text())
    config["REDIS_PORT"] = 0
    (root / "config.yml").write_text(yaml.safe_dump(config))
    config_sync.check_fetched(str(root), {"MYSQL_HOST": "db.example.com"}, origins)
    # ...and the key must match exactly: MYSQL_HOST's origin is not REDIS_PORT's.
    with pytest.raises(exceptions.TutorError) as error:
        config_sync.check_fetched(str(root), {"MYSQL_HOST": "db.example.com"},
                                  {"REDIS_PORT": "from the output redis_port"})
    assert str(error.value).splitlines()[1] == "from the output redis_port"
    assert tutor_config.load_minimal(str(root))["REDIS_PORT"] == 0


def test_summary_is_sorted_and_hides_secrets() -> None:
    lines = config_sync.summary({"MYSQL_HOST": "h", "MONGODB_PASSWORD": "p4ss", "A_KEY": 1})
    assert [line.split(" = ")[0] for line in lines] == ["A_KEY", "MONGODB_PASSWORD", "MYSQL_HOST"]
    assert "p4ss" not in "\n".join(lines)
    assert lines[2] == "MYSQL_HOST = 'h'"
