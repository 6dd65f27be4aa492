"""Shared fixtures: the real tools every test layer runs against.

A missing tool fails the test with the tool's name and how to install it; nothing
is skipped silently (see README, "Tests").
"""

from __future__ import annotations

import pytest

from tutor_eks_plugin import tools


def _require(finder) -> str:  # type: ignore[no-untyped-def]
    try:
        return finder()
    except tools.ToolMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def kubectl_bin() -> str:
    return _require(tools.kubectl)


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    return _require(tools.terraform)


@pytest.fixture(scope="session")
def provider_mirror() -> str:
    return _require(lambda: tools.provider_mirror(required=True))


@pytest.fixture(scope="session")
def checkov_bin() -> str:
    return _require(tools.checkov)
