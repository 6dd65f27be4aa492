"""Namespace isolation: NetworkPolicies and the VPC range they let the pods reach.

The policies themselves are computed in ``tutor_eks_plugin.render.network_policies``
from the render (routes, Services, workloads, data-store settings); these settings
switch them on, say where the data stores live, and add what the derivation cannot
know (a third-party API, a store outside the VPC).
"""

from __future__ import annotations

import ipaddress
import re
import typing as t

from . import Setting
from .validators import Boolean, Choice, Integer, ListOf, Mapping, Pattern, PrivateCidr, k8s_name


class VpcCidr(PrivateCidr):
    """The VPC range: the network module plans its subnets in a /16 to /18."""

    allowed = "an IPv4 CIDR with a prefix from /16 to /18 such as '10.0.0.0/16'"

    def ok(self, value: t.Any) -> bool:
        if not super().ok(value):
            return False
        return 16 <= ipaddress.IPv4Network(value).prefixlen <= 18


# One extra egress entry (EKS_NETWORK_POLICY_EXTRA_EGRESS and the NETWORK_POLICY_EGRESS hook).
EGRESS_ITEM = Mapping(
    required={"cidr": PrivateCidr(), "port": Integer(1, 65535)},
    optional={
        "protocol": Choice(["TCP", "UDP"]),
        "workloads": ListOf(k8s_name()),
        "reason": Pattern(re.compile(r"^[^\n]{1,200}$"), "one line of text"),
    },
)

SETTINGS: list[Setting] = [
    Setting(
        "NETWORK_POLICIES",
        True,
        Boolean(),
        "Render a default-deny NetworkPolicy (ingress and egress) for the Open edX "
        "namespace plus the allow rules derived from the render (docs/network-isolation.md). "
        "Stage 1 turns on the VPC CNI's network policy enforcement.",
    ),
    Setting(
        "VPC_CIDR",
        "10.0.0.0/16",
        VpcCidr(),
        "IPv4 range of the VPC (stage-1 variable `vpc_cidr`). The data stores (RDS, "
        "DocumentDB, ElastiCache, OpenSearch, Meilisearch on EC2) live in it: the "
        "NetworkPolicies let pods reach this range on the stores' ports only.",
    ),
    Setting(
        "NETWORK_POLICY_INGRESS_NAMESPACE",
        "",
        k8s_name(allow_empty=True),
        "Namespace of the ingress controller pods that may reach the Services behind an "
        "Ingress. Empty: `nginx-ingress` (F5, as stage 2 installs it) or `ingress-nginx` "
        "(community).",
    ),
    Setting(
        "NETWORK_POLICY_EXTRA_EGRESS",
        [],
        ListOf(EGRESS_ITEM),
        "Extra egress for the Open edX pods, e.g. a MongoDB Atlas range or a third-party "
        "API: a list of {cidr, port, protocol (TCP), workloads (app names; all when "
        "omitted), reason}. 0.0.0.0/0 is refused: name the range.",
    ),
]
