"""What `tutor eks infra apply|output` writes to config.yml for the stage-1 secrets,
per EKS_SECRETS_SOURCE (docs/secrets.md). Real tutor CLI, real terraform on the
fixture stacks, real boto3 against moto's Secrets Manager on 127.0.0.1."""

from __future__ import annotations

import yaml
from tutor import utils as tutor_utils

from .conftest import Instance, Secrets


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


def test_default_source_writes_references_and_names_what_did_not_move(
    instance: Instance, fixture_secrets: Secrets
) -> None:
    """The first sync (no source in config.yml) chooses Secrets Manager, and says which
    movable keys still hold a value (Tutor's generated app password here)."""
    result = instance.infra("apply", "--stage", "aws")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "Still in config.yml, no Secrets Manager secret behind them: OPENEDX_MYSQL_PASSWORD." in out
    assert _config(instance)["EKS_SECRETS_SOURCE"] == "secretsmanager"
    assert not fixture_secrets.leaked_in(instance.config_bytes().decode() + out)
