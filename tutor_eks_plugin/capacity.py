"""Cluster capacity per EKS_PROFILE: what one node can give pods, what the system pods
take, and how many MySQL connections the RDS instance accepts.

The profile -> node instance type, node count and RDS class mapping is defined in
``terraform/stacks/aws/profiles.tf``. ``PROFILES`` below repeats the three facts this
module needs; ``tests/unit/test_capacity.py`` reads profiles.tf with python-hcl2 and
fails when they drift apart. The formulas and where their figures come from are in
docs/workloads.md, "Capacity".

Pure Python, no heavy import: the config rules use it on every `tutor config save`.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

MIB = 2**20
GIB = 2**30


@dataclass(frozen=True)
class Profile:
    node_instance_type: str
    node_max_size: int
    mysql_instance_class: str


# Copy of terraform/stacks/aws/profiles.tf (node_instance_types[0], node_max_size,
# mysql_instance_class), kept honest by a drift test.
PROFILES: dict[str, Profile] = {
    "small": Profile("m6i.large", 4, "db.t4g.medium"),
    "production": Profile("m6i.xlarge", 9, "db.m7g.large"),
}


@dataclass(frozen=True)
class InstanceType:
    vcpus: int
    memory_gib: int
    # Elastic network interfaces and private IPv4 addresses per interface: with the VPC
    # CNI (no prefix delegation) they bound the pods a node takes.
    enis: int
    ipv4_per_eni: int


# EC2 instance type figures (EC2 user guide: "Amazon EC2 instance type specifications"
# and "Maximum IP addresses per network interface"). Only general-purpose sizes a
# profile may use; a profile naming another type fails the drift test.
INSTANCE_TYPES: dict[str, InstanceType] = {
    f"{family}.{size}": InstanceType(vcpus, memory, enis, ips)
    for family in ("m5", "m6i", "m7i")
    for size, vcpus, memory, enis, ips in (
        ("large", 2, 8, 3, 10),
        ("xlarge", 4, 16, 4, 15),
        ("2xlarge", 8, 32, 4, 15),
        ("4xlarge", 16, 64, 8, 30),
    )
}

# RDS DB instance classes: memory in GiB (RDS user guide, "DB instance classes").
RDS_CLASSES: dict[str, int] = {
    "db.t4g.micro": 1,
    "db.t4g.small": 2,
    "db.t4g.medium": 4,
    "db.t4g.large": 8,
    "db.t4g.xlarge": 16,
    "db.m6g.large": 8,
    "db.m6g.xlarge": 16,
    "db.m6g.2xlarge": 32,
    "db.m7g.large": 8,
    "db.m7g.xlarge": 16,
    "db.m7g.2xlarge": 32,
    "db.r6g.large": 16,
    "db.r6g.xlarge": 32,
    "db.r7g.large": 16,
    "db.r7g.xlarge": 32,
}

# Karpenter's default VM_MEMORY_OVERHEAD_PERCENT: a node reports less memory than the
# instance type's nominal size (firmware, kernel); 7.5 % is the figure Karpenter uses.
VM_MEMORY_OVERHEAD = 0.075
# The EKS AMI's kubelet eviction threshold (evictionHard memory.available).
EVICTION_HARD_MIB = 100
# RDS MySQL's default parameter group: max_connections = {DBInstanceClassMemory/12582880}.
RDS_MAX_CONNECTIONS_DIVISOR = 12582880
# DBInstanceClassMemory is the class memory minus what the OS and RDS processes keep;
# AWS does not publish it per class. 10 % is taken off the nominal size (conservative).
RDS_RESERVED_MEMORY = 0.10
# Share of max_connections the application may plan for: the rest is for init jobs,
# migrations, `tutor k8s exec` shells, monitoring and rolling updates (old + new pods).
MYSQL_CONNECTIONS_BUDGET = 0.80


def max_pods(instance_type: str) -> int:
    """The EKS AMI's max pods without prefix delegation: ENIs x (IPs per ENI - 1) + 2."""
    it = INSTANCE_TYPES[instance_type]
    return it.enis * (it.ipv4_per_eni - 1) + 2


def kube_reserved_cpu_millis(vcpus: int) -> float:
    """EKS AMI kube-reserved CPU: 6 % of the first core, 1 % of the second, 0.5 % of the
    third and fourth, 0.25 % of every further core."""
    shares = [60.0, 10.0, 5.0, 5.0]
    return sum(shares[:vcpus]) + max(0, vcpus - 4) * 2.5


@dataclass(frozen=True)
class Node:
    instance_type: str
    cpu_capacity_m: float
    memory_capacity: int
    cpu_allocatable_m: float
    memory_allocatable: int
    max_pods: int


def node(instance_type: str) -> Node:
    """Capacity and allocatable of one node of this type (EKS AMI defaults)."""
    it = INSTANCE_TYPES[instance_type]
    pods = max_pods(instance_type)
    cpu = it.vcpus * 1000.0
    memory = int(it.memory_gib * GIB * (1 - VM_MEMORY_OVERHEAD))
    reserved = (255 + 11 * pods + EVICTION_HARD_MIB) * MIB
    return Node(
        instance_type,
        cpu,
        memory,
        cpu - kube_reserved_cpu_millis(it.vcpus),
        memory - reserved,
        pods,
    )


def profile_node(config: dict[str, t.Any]) -> Node:
    return node(PROFILES[config["EKS_PROFILE"]].node_instance_type)


def mysql_max_connections(instance_class: str) -> int:
    memory = RDS_CLASSES[instance_class] * GIB * (1 - RDS_RESERVED_MEMORY)
    return int(memory // RDS_MAX_CONNECTIONS_DIVISOR)


@dataclass(frozen=True)
class SystemPod:
    """Pods the cluster runs besides Open edX, with their requests."""

    name: str
    cpu_m: int
    memory_mib: int
    replicas: int  # 0: a DaemonSet, one pod per node
    source: str


# Requests of the pods that are not Open edX. Stage-2 releases: the figures of
# terraform/stacks/cluster/values.tf (checked by the drift test). EKS add-ons: their
# manifests' requests. Where an add-on's request is not pinned down here, a reserve is
# counted instead ("estimate") so that the check errs on the safe side.
SYSTEM_PODS: tuple[SystemPod, ...] = (
    SystemPod("aws-node", 25, 0, 0, "vpc-cni add-on"),
    SystemPod("kube-proxy", 100, 0, 0, "kube-proxy add-on"),
    SystemPod("ebs-csi-node", 30, 120, 0, "aws-ebs-csi-driver add-on, 3 containers"),
    SystemPod("efs-csi-node", 50, 100, 0, "aws-efs-csi-driver add-on (estimate)"),
    SystemPod("eks-pod-identity-agent", 25, 50, 0, "eks-pod-identity-agent add-on (estimate)"),
    SystemPod("coredns", 100, 70, 2, "coredns add-on"),
    SystemPod("metrics-server", 100, 200, 2, "metrics-server add-on"),
    SystemPod("ebs-csi-controller", 60, 240, 2, "aws-ebs-csi-driver add-on, 6 containers"),
    SystemPod("efs-csi-controller", 50, 100, 2, "aws-efs-csi-driver add-on (estimate)"),
    SystemPod("aws-load-balancer-controller", 50, 128, 2, "stage 2, values.tf lbc_values"),
    SystemPod("nginx-ingress", 100, 128, 2, "stage 2, values.tf nginx_values"),
    SystemPod("cluster-autoscaler", 100, 300, 1, "stage 2, values.tf autoscaler_values"),
)
