"""What `tutor eks infra apply|output` writes to config.yml for the stage-1 secrets,
per EKS_SECRETS_SOURCE (docs/secrets.md). Real tutor CLI, real terraform on the
fixture stacks, real boto3 against moto's Secrets Manager on 127.0.0.1."""

from __future__ import annotations

import yaml
from tutor import utils as tutor_utils

from .conftest import Instance, Secrets

APP_PASSWORD_NOTICE = "OPENEDX_MYSQL_PASSWORD now comes from the stage-1 secret"


def _config(instance: Instance) -> dict:
    return yaml.safe_load(instance.config_bytes())


def test_config_source_fetches_the_values_and_the_switch_removes_them(
    instance: Instance, fixture_secrets: Secrets
) -> None:
    # EKS_SECRETS_SOURCE=config, chosen in config.yml: plain Tutor's behaviour.
    assert instance.tutor("config", "save", "--set", "EKS_SECRETS_SOURCE=config").returncode == 0
    result = instance.infra("apply", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    config = _config(instance)
    assert config["EKS_SECRETS_SOURCE"] == "config"
    for key, value in fixture_secrets.values.items():
        assert config[key] == value, key
    # The stack's app password replaced Tutor's generated one: the init job must run.
    assert APP_PASSWORD_NOTICE in result.stdout + result.stderr
    # The API key Meilisearch accepts follows the master key the stack made.
    assert config["MEILISEARCH_API_KEY"] == tutor_utils.uid_master_hash(
        fixture_secrets.values["MEILISEARCH_MASTER_KEY"], config["MEILISEARCH_API_KEY_UID"]
    )

    # Switching to Secrets Manager: the next sync replaces every value by its reference.
    result = instance.tutor("config", "save", "--set", "EKS_SECRETS_SOURCE=secretsmanager")
    assert result.returncode == 0, result.stderr
    result = instance.infra("output")
    assert result.returncode == 0, result.stdout + result.stderr
    raw = instance.config_bytes().decode()
    leaked = fixture_secrets.leaked_in(raw)
    assert leaked == [], f"values left in config.yml: {leaked}"
    config = _config(instance)
    assert set(config["EKS_SECRETS_REFERENCES"]) == set(fixture_secrets.values)


def test_a_placeholder_with_the_source_off_is_refused_by_name(instance: Instance) -> None:
    before = instance.config_bytes()
    result = instance.tutor(
        "config", "save", "--set", "EKS_SECRETS_SOURCE=config",
        "--set", "REDIS_PASSWORD=${EKS_SECRET_REDIS_PASSWORD}",
    )
    assert result.returncode == 1
    assert "REDIS_PASSWORD holds the Secrets Manager placeholder" in result.stderr
    assert "Traceback" not in result.stderr
    assert instance.config_bytes() == before


def _env_text(instance: Instance) -> str:
    files = [p for p in (instance.root / "env").rglob("*") if p.is_file()]
    assert files, "infra apply rendered no env/"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def test_default_source_moves_every_stage1_secret_including_the_app_password(
    instance: Instance, fixture_secrets: Secrets
) -> None:
    """The first sync (no source in config.yml) chooses Secrets Manager and moves every
    secret of the stack, the Open edX MySQL user's password too: neither Tutor's
    generated value nor the stack's is left in config.yml or env/, and no key is named
    as not moved."""
    generated = _config(instance)["OPENEDX_MYSQL_PASSWORD"]
    assert generated and not generated.startswith("${")
    result = instance.infra("apply", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "Still in config.yml" not in out
    config = _config(instance)
    assert config["EKS_SECRETS_SOURCE"] == "secretsmanager"
    assert config["OPENEDX_MYSQL_PASSWORD"] == "${EKS_SECRET_OPENEDX_MYSQL_PASSWORD}"
    assert config["EKS_SECRETS_REFERENCES"]["OPENEDX_MYSQL_PASSWORD"] == {
        "secret": fixture_secrets.arns["mysql_app_secret_arn"], "property": ""
    }
    raw, env = instance.config_bytes().decode(), _env_text(instance)
    assert generated not in raw and generated not in env, "Tutor's app password is left"
    assert not fixture_secrets.leaked_in(raw + env + out)
    # The database user still has Tutor's password: the sync says to run the init job,
    # once (the next sync changes nothing).
    assert APP_PASSWORD_NOTICE in out
    again = instance.infra("output")
    assert again.returncode == 0, again.stdout + again.stderr
    assert APP_PASSWORD_NOTICE not in again.stdout + again.stderr


def test_default_source_names_a_value_set_by_hand_that_did_not_move(
    instance: Instance, fixture_secrets: Secrets
) -> None:
    """An SMTP password has no secret in the stack: the sync names it (never its value)."""
    smtp = "smtp-" + "x7Qm2Lr9Vb4N"
    assert instance.tutor("config", "save", "--set", f"SMTP_PASSWORD={smtp}").returncode == 0
    result = instance.infra("apply", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "Still in config.yml, no Secrets Manager secret behind them: SMTP_PASSWORD." in out
    assert smtp not in out
    assert not fixture_secrets.leaked_in(instance.config_bytes().decode() + out)
