"""Fixtures of the secrets tests: Tutor roots rendered by the real CLI with the same
data stores, once with the values inline (EKS_SECRETS_SOURCE=config) and once with
references only (secretsmanager). Values and configs: secrets_cases.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from datastore_roots import render_root
from secrets_cases import PLUGINS, inline_settings, referenced_settings


@pytest.fixture(scope="session")
def inline_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_root(tmp_path_factory.mktemp("secrets-inline"), inline_settings(), PLUGINS)


@pytest.fixture(scope="session")
def referenced_root(tmp_path_factory: pytest.TempPathFactory, inline_root: Path) -> Path:
    """The inline root's config (same generated keys: Django's SECRET_KEY, JWT, ...) with
    the secrets switched to references."""
    root = tmp_path_factory.mktemp("secrets-referenced")
    shutil.copyfile(inline_root / "config.yml", root / "config.yml")
    return render_root(root, referenced_settings(), PLUGINS)
