"""The config sync's decisions (infra/config_sync.py), one by one (what it writes for
the secrets: test_secret_refs_unit.py).

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

from tutor_eks_plugin.infra import config_sync, contract

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
