"""The rendered Django settings with the values only in the environment equal the
settings rendered with the values inline.

Both Tutor roots are rendered by the real CLI with the same data stores; the settings
modules are executed with edx-platform's imports stood in by
tests/datastores/edx_settings_standin.py (edx-platform cannot be installed here; its
docstring says what it stands for). The secretsmanager root's rendered files hold only
placeholders; its pods get the values from the Kubernetes Secret as environment
variables, played here by monkeypatch.setenv.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from edx_settings_standin import evaluate
from secrets_cases import VALUES, pod_environment

from tutor_eks_plugin.settings import secrets

COMPARED = (
    "DATABASES", "CACHES", "BROKER_URL", "BROKER_USE_SSL", "CELERY_BROKER_TRANSPORT",
    "EVENT_BUS_REDIS_CONNECTION_URL", "DOC_STORE_CONFIG", "CONTENTSTORE", "MODULESTORE",
    "FORUM_MONGODB_CLIENT_PARAMETERS", "MEILISEARCH_URL", "MEILISEARCH_API_KEY",
    "MEILISEARCH_MASTER_KEY", "EMAIL_HOST_PASSWORD",
)


def _settings(root: Path, ca_dir: Path, variant: str) -> dict[str, t.Any]:
    # The plugin's own helpers (_EKS_*) are not settings a consumer reads.
    return {
        k: v for k, v in evaluate(root, ca_dir, variant).items()
        if k.isupper() and not k.startswith("_")
    }


def _rendered_text(root: Path) -> str:
    env = root / "env"
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in env.rglob("*") if p.is_file()
    )


@pytest.mark.parametrize("variant", ["lms", "cms"])
def test_settings_from_the_environment_equal_the_inline_render(
    inline_root: Path,
    referenced_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variant: str,
) -> None:
    inline = _settings(inline_root, tmp_path, variant)
    for name, value in pod_environment().items():
        monkeypatch.setenv(name, value)
    from_env = _settings(referenced_root, tmp_path, variant)

    for name in COMPARED:
        assert name in inline, f"{name} is not set by the inline render"
        assert from_env[name] == inline[name], name
    # Not only the named ones: every setting is the same.
    assert sorted(from_env) == sorted(inline)
    different = [k for k in inline if from_env[k] != inline[k]]
    assert different == []
    # The values reached the consumers' settings (not two equal placeholders).
    assert inline["DATABASES"]["default"]["PASSWORD"] == VALUES["OPENEDX_MYSQL_PASSWORD"]
    assert inline["DOC_STORE_CONFIG"]["password"] == VALUES["MONGODB_PASSWORD"]
    assert inline["MEILISEARCH_MASTER_KEY"] == VALUES["MEILISEARCH_MASTER_KEY"]
    assert "${EKS_SECRET_" not in repr(from_env)


def test_referenced_render_holds_no_value(referenced_root: Path, inline_root: Path) -> None:
    """Every file of the secretsmanager env (settings ConfigMaps, lms.env.yml, the k8s
    objects) holds placeholders; the inline env holds the values (the search works)."""
    referenced, inline = _rendered_text(referenced_root), _rendered_text(inline_root)
    for key, value in VALUES.items():
        assert value not in referenced, key
        if key == "MYSQL_ROOT_PASSWORD":
            continue  # only in the mysql-job script (tests/secrets/test_init_scripts.py)
        assert value in inline, key
        assert secrets.BY_KEY[key].placeholder in referenced, key
    config = (referenced_root / "config.yml").read_text()
    assert not [key for key, value in VALUES.items() if value in config]


def test_a_missing_variable_stops_the_import_naming_it(
    referenced_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in pod_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("EKS_SECRET_REDIS_PASSWORD")
    with pytest.raises(RuntimeError, match="EKS_SECRET_REDIS_PASSWORD are not set") as caught:
        evaluate(referenced_root, tmp_path, "lms")
    assert "eks-datastore-secrets" in str(caught.value)
    assert not [v for v in VALUES.values() if v in str(caught.value)]
