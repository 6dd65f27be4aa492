"""Capacity figures: the Python profile table agrees with terraform/stacks/aws/profiles.tf
and the system-pod table with the stage-2 values (both read with python-hcl2, the
parser Terraform's own syntax needs), and the formulas give the published figures."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest
from hcl2 import SerializationOptions

from tutor_eks_plugin import capacity

REPO = Path(__file__).resolve().parents[2]
OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False,
                               with_comments=False)


def _hcl(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return hcl2.load(handle, serialization_options=OPTIONS)


def _locals(path: Path) -> dict:
    merged: dict = {}
    for block in _hcl(path).get("locals", []):
        merged.update(block)
    return merged


def test_profiles_match_the_terraform_profiles() -> None:
    profiles = _locals(REPO / "terraform/stacks/aws/profiles.tf")["profiles"]
    assert set(profiles) == set(capacity.PROFILES)
    for name, tf in profiles.items():
        ours = capacity.PROFILES[name]
        assert tf["node_instance_types"][0] == ours.node_instance_type, name
        assert int(tf["node_max_size"]) == ours.node_max_size, name
        assert tf["mysql_instance_class"] == ours.mysql_instance_class, name
        # Every instance type the node group may use has figures here (the smallest
        # decides what fits on one node).
        for instance_type in tf["node_instance_types"]:
            assert instance_type in capacity.INSTANCE_TYPES, instance_type
        assert tf["mysql_instance_class"] in capacity.RDS_CLASSES


def _system(name: str) -> capacity.SystemPod:
    return next(s for s in capacity.SYSTEM_PODS if s.name == name)


def _mib(quantity: str) -> int:
    assert quantity.endswith("Mi"), quantity
    return int(quantity[:-2])


def test_system_pods_match_the_cluster_stack() -> None:
    values = _locals(REPO / "terraform/stacks/cluster/values.tf")
    variables = {name: body for block in _hcl(REPO / "terraform/stacks/cluster/variables.tf")
                 ["variable"] for name, body in block.items()}
    nginx = values["nginx_values"]["controller"]["resources"]["requests"]
    assert (_system("nginx-ingress").cpu_m, _system("nginx-ingress").memory_mib) == (
        int(nginx["cpu"].rstrip("m")), _mib(nginx["memory"]))
    assert _system("nginx-ingress").replicas == int(variables["nginx_replicas"]["default"])
    autoscaler = values["autoscaler_values"]["resources"]["requests"]
    assert (_system("cluster-autoscaler").cpu_m, _system("cluster-autoscaler").memory_mib) == (
        int(autoscaler["cpu"].rstrip("m")), _mib(autoscaler["memory"]))
    lbc = values["lbc_values"]["resources"]["requests"]
    assert (_system("aws-load-balancer-controller").cpu_m,
            _system("aws-load-balancer-controller").memory_mib) == (
        int(lbc["cpu"].rstrip("m")), _mib(lbc["memory"]))
    assert _system("aws-load-balancer-controller").replicas == int(
        values["lbc_values"]["replicaCount"])


def test_node_allocatable_follows_the_eks_ami_formula() -> None:
    # m5.large: the figures AWS's formula is usually quoted with (29 pods, 70m CPU and
    # 574 MiB reserved for the kubelet).
    m5 = capacity.node("m5.large")
    assert m5.max_pods == 29
    assert m5.cpu_capacity_m - m5.cpu_allocatable_m == 70
    assert m5.memory_capacity - m5.memory_allocatable == (574 + 100) * capacity.MIB
    xl = capacity.node("m6i.xlarge")
    assert xl.max_pods == 58
    assert xl.cpu_allocatable_m == 4000 - 80
    assert xl.memory_capacity - xl.memory_allocatable == (255 + 11 * 58 + 100) * capacity.MIB
    assert capacity.kube_reserved_cpu_millis(16) == 60 + 10 + 5 + 5 + 12 * 2.5


@pytest.mark.parametrize(("instance_class", "expected"),
                         [("db.t4g.medium", 307), ("db.m7g.large", 614)])
def test_mysql_max_connections_follow_the_rds_formula(instance_class: str,
                                                      expected: int) -> None:
    memory = capacity.RDS_CLASSES[instance_class] * capacity.GIB * 0.9
    assert capacity.mysql_max_connections(instance_class) == int(memory // 12582880) == expected
