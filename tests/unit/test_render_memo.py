"""The render-derived template variables (render/network_policies.py) are computed once
per config and set of patches within a process: a render with another config must get
its own result, never the first one's."""

from __future__ import annotations

import typing as t

import pytest
import yaml
from eks_in_process import eks_plugin_in_process
from tutor import config as tutor_config
from tutor import env as tutor_env

from tutor_eks_plugin.render import network_policies

TEMPLATE = "eks/k8s/network-policies.yml"


@pytest.fixture
def plugin_loaded() -> t.Iterator[None]:
    with eks_plugin_in_process(mark_loaded=True):
        yield


def _policies(config: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    rendered = tutor_env.Renderer(config).render_template(TEMPLATE)
    return [d for d in yaml.safe_load_all(rendered) if d]


def _cidrs(policies: list[dict[str, t.Any]]) -> set[str]:
    return {peer["ipBlock"]["cidr"] for p in policies for rule in p["spec"].get("egress", [])
            for peer in rule.get("to", []) if "ipBlock" in peer}


def test_each_config_gets_its_own_policies(plugin_loaded: None, tmp_path: t.Any) -> None:
    base = tutor_config.load_full(str(tmp_path))
    extra = {**base, "EKS_NETWORK_POLICY_EXTRA_EGRESS": [
        {"cidr": "10.99.0.0/24", "port": 27017, "reason": "Atlas peering"}]}
    network_policies._MEMO.clear()
    first, with_extra, again = _policies(base), _policies(extra), _policies(base)
    assert "10.99.0.0/24" not in _cidrs(first)
    assert "10.99.0.0/24" in _cidrs(with_extra)
    assert again == first
    network_policies._MEMO.clear()
    assert _policies(extra) == with_extra  # what a fresh process would render
    assert _policies({**base, "EKS_NETWORK_POLICIES": False}) == []
