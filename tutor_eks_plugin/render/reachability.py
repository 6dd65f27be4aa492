"""Answer "may pod A reach pod B (or an address) on port P" from rendered NetworkPolicies.

Kubernetes semantics (networking.k8s.io/v1): a pod selected by no policy of a type is
open in that direction; once selected, only what some rule of those policies allows gets
through. A connection needs the source's egress and, for a pod destination, the
destination's ingress. A named port (a Service's ``targetPort: http``, or a policy's
``port: http``) is the container port of that name on the destination pod, as the
kubelet and the network plugin resolve it; a name the destination pod does not have
matches nothing.
"""

from __future__ import annotations

import ipaddress
import typing as t
from dataclasses import dataclass, field

Obj = dict[str, t.Any]
# Objects whose pod template makes pods (one representative pod each).
WORKLOAD_KINDS = ("Deployment", "Job", "StatefulSet", "DaemonSet")


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: t.Mapping[str, str] = field(default_factory=dict)
    ip: str | None = None
    namespace_labels: t.Mapping[str, str] = field(default_factory=dict)
    # Container port name -> number, from the pod template.
    named_ports: t.Mapping[str, int] = field(default_factory=dict)

    def ns_labels(self) -> dict[str, str]:
        return {"kubernetes.io/metadata.name": self.namespace, **self.namespace_labels}


def selects(selector: Obj | None, labels: t.Mapping[str, str]) -> bool:
    """A LabelSelector against a label set (an empty selector selects everything)."""
    selector = selector or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _policies_for(policies: list[Obj], pod: Pod, kind: str) -> list[Obj]:
    found = []
    for policy in policies:
        if policy.get("metadata", {}).get("namespace", pod.namespace) != pod.namespace:
            continue
        spec = policy["spec"]
        types = spec.get("policyTypes") or (["Ingress", "Egress"] if "egress" in spec
                                            else ["Ingress"])
        if kind in types and selects(spec.get("podSelector"), pod.labels):
            found.append(policy)
    return found


def _port_ok(ports: list[Obj] | None, port: int, protocol: str,
             named: t.Mapping[str, int]) -> bool:
    """``named``: the destination pod's container ports by name (empty for an address)."""
    if not ports:
        return True
    for item in ports:
        if item.get("protocol", "TCP") != protocol:
            continue
        number = item.get("port")
        if number is None:
            return True
        if isinstance(number, str):
            if named.get(number) == port:
                return True
            continue
        if number <= port <= int(item.get("endPort", number)):
            return True
    return False


def _in_block(block: Obj, ip: str | None) -> bool:
    if ip is None:
        return False
    address = ipaddress.ip_address(ip)
    if address not in ipaddress.ip_network(block["cidr"]):
        return False
    return not any(address in ipaddress.ip_network(e) for e in block.get("except") or [])


def _peer_ok(peers: list[Obj] | None, policy_ns: str, other: Pod | str) -> bool:
    if peers is None:
        return True  # no `to`/`from`: every peer
    for peer in peers:
        if "ipBlock" in peer:
            if _in_block(peer["ipBlock"], other if isinstance(other, str) else other.ip):
                return True
            continue
        if isinstance(other, str):
            continue  # a pod or namespace selector never matches a bare address
        if "namespaceSelector" in peer:
            if not selects(peer["namespaceSelector"], other.ns_labels()):
                continue
        elif other.namespace != policy_ns:
            continue
        if selects(peer.get("podSelector"), other.labels):
            return True
    return False


def _direction_ok(policies: list[Obj], pod: Pod, kind: str, other: Pod | str,
                  port: int, protocol: str, named: t.Mapping[str, int]) -> bool:
    selecting = _policies_for(policies, pod, kind)
    if not selecting:
        return True
    key, peers_key = ("egress", "to") if kind == "Egress" else ("ingress", "from")
    for policy in selecting:
        for rule in policy["spec"].get(key) or []:
            if _port_ok(rule.get("ports"), port, protocol, named) and _peer_ok(
                rule.get(peers_key), pod.namespace, other
            ):
                return True
    return False


def allowed(policies: list[Obj], source: Pod, destination: Pod | str, port: int,
            protocol: str = "TCP", target_port: int | str | None = None) -> bool:
    """May ``source`` open a connection to ``destination`` (a pod or an IP address)?

    ``target_port``: for a Service, the pod port the connection lands on (the port
    NetworkPolicies see), a number or the name of a container port of the destination
    pod; defaults to ``port``.
    """
    named = destination.named_ports if isinstance(destination, Pod) else {}
    landing = target_port if target_port is not None else port
    if isinstance(landing, str):
        if landing not in named:
            return False  # no container port of that name: the Service has no endpoint
        landing = named[landing]
    if not _direction_ok(policies, source, "Egress", destination, landing, protocol, named):
        return False
    if isinstance(destination, str):
        return True
    return _direction_ok(policies, destination, "Ingress", source, landing, protocol, named)


def unrestricted_egress(policies: list[Obj], pod: Pod) -> list[str]:
    """Rules that let ``pod`` reach the whole internet on every port (none expected)."""
    found = []
    selecting = _policies_for(policies, pod, "Egress")
    if not selecting:
        return [f"{pod.name}: selected by no egress policy"]
    for policy in selecting:
        for rule in policy["spec"].get("egress") or []:
            anywhere = rule.get("to") is None or any(
                "ipBlock" in p and ipaddress.ip_network(p["ipBlock"]["cidr"]).prefixlen == 0
                and not p["ipBlock"].get("except") for p in rule["to"]
            )
            if anywhere and not rule.get("ports"):
                found.append(f"{pod.name}: NetworkPolicy/{policy['metadata']['name']} "
                             "allows every port to every address")
    return found


def pods_of(objects: list[Obj], namespace: str) -> list[Pod]:
    """One representative pod per workload of a kustomize render."""
    found = []
    for obj in objects:
        if obj.get("kind") in WORKLOAD_KINDS:
            template = obj["spec"]["template"]
            labels = template.get("metadata", {}).get("labels") or {}
            named = {port["name"]: int(port["containerPort"])
                     for container in (template.get("spec") or {}).get("containers") or []
                     for port in container.get("ports") or [] if port.get("name")}
            found.append(Pod(obj["metadata"]["name"],
                             obj["metadata"].get("namespace", namespace), labels,
                             named_ports=named))
    return found
