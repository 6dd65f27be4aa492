"""The reachability evaluator and the derivation's pieces, without a render (fast)."""

from __future__ import annotations

import pytest
from tutor import exceptions

from tutor_eks_plugin import hooks as eks_hooks
from tutor_eks_plugin.render import network_policies as derive
from tutor_eks_plugin.render.reachability import Pod, allowed, selects, unrestricted_egress

WEB = Pod("web", "app", {"role": "web"}, ip="10.0.1.5")
DB = Pod("db", "app", {"role": "db"}, ip="10.0.2.5")
OTHER = Pod("x", "other", {"role": "web"}, ip="10.0.3.5", namespace_labels={"team": "b"})


def netpol(name, selector, types, ingress=None, egress=None, namespace="app"):
    spec = {"podSelector": selector, "policyTypes": types}
    if ingress is not None:
        spec["ingress"] = ingress
    if egress is not None:
        spec["egress"] = egress
    return {"kind": "NetworkPolicy", "metadata": {"name": name, "namespace": namespace},
            "spec": spec}


DENY = netpol("deny", {}, ["Ingress", "Egress"])


def test_no_policy_means_open() -> None:
    assert allowed([], WEB, DB, 5432)
    assert allowed([], WEB, "203.0.113.9", 443)


def test_default_deny_closes_both_directions() -> None:
    assert not allowed([DENY], WEB, DB, 5432)
    assert not allowed([DENY], WEB, "203.0.113.9", 443)
    # Policies of another namespace do not select its pods.
    assert allowed([DENY], OTHER, "203.0.113.9", 443)


def test_connection_needs_egress_and_ingress() -> None:
    out = netpol("web-out", {"matchLabels": {"role": "web"}}, ["Egress"],
                 egress=[{"to": [{"podSelector": {"matchLabels": {"role": "db"}}}],
                          "ports": [{"protocol": "TCP", "port": 5432}]}])
    into = netpol("db-in", {"matchLabels": {"role": "db"}}, ["Ingress"],
                  ingress=[{"from": [{"podSelector": {"matchLabels": {"role": "web"}}}],
                            "ports": [{"port": 5432}]}])
    assert not allowed([DENY, out], WEB, DB, 5432)
    assert not allowed([DENY, into], WEB, DB, 5432)
    assert allowed([DENY, out, into], WEB, DB, 5432)
    assert not allowed([DENY, out, into], WEB, DB, 5433)
    assert not allowed([DENY, out, into], WEB, DB, 5432, "UDP")
    assert not allowed([DENY, out, into], DB, WEB, 5432)


def test_namespace_and_pod_selector_together() -> None:
    into = netpol("from-b", {}, ["Ingress"], ingress=[{"from": [{
        "namespaceSelector": {"matchLabels": {"team": "b"}},
        "podSelector": {"matchExpressions": [{"key": "role", "operator": "In",
                                              "values": ["web"]}]}}]}])
    assert allowed([into], OTHER, DB, 80)
    assert not allowed([into], WEB, DB, 80)  # same namespace, not team b
    other_role = Pod("y", "other", {"role": "db"}, namespace_labels={"team": "b"})
    assert not allowed([into], other_role, DB, 80)


def test_ip_blocks_with_except_and_port_ranges() -> None:
    out = netpol("out", {}, ["Egress"], egress=[{
        "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/16"]}}],
        "ports": [{"protocol": "TCP", "port": 8000, "endPort": 8100}]}])
    assert allowed([out], WEB, "203.0.113.9", 8050)
    assert not allowed([out], WEB, "203.0.113.9", 8101)
    assert not allowed([out], WEB, "10.0.9.9", 8050)
    assert not allowed([out], WEB, DB, 8050)  # DB's address is in the except range


def test_selector_operators() -> None:
    labels = {"a": "1"}
    assert selects({"matchExpressions": [{"key": "b", "operator": "DoesNotExist"}]}, labels)
    assert not selects({"matchExpressions": [{"key": "a", "operator": "NotIn",
                                              "values": ["1"]}]}, labels)
    assert selects({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, labels)
    assert selects({}, labels)


def test_unrestricted_egress_is_reported() -> None:
    wide = netpol("wide", {}, ["Egress"], egress=[{}])
    assert unrestricted_egress([wide], WEB)
    narrow = netpol("narrow", {}, ["Egress"], egress=[{"to": [{"ipBlock": {
        "cidr": "0.0.0.0/0"}}], "ports": [{"port": 443}]}])
    assert not unrestricted_egress([narrow], WEB)
    assert unrestricted_egress([], WEB)  # selected by nothing: open


def test_stores_from_the_config() -> None:
    found = derive.stores({
        "MYSQL_HOST": "db.example", "MYSQL_PORT": 3306,
        "MONGODB_HOST": "mongodb+srv://user:pw@cluster0.example.net/db",
        "REDIS_HOST": "10.0.4.4", "REDIS_PORT": 6380,
        "MEILISEARCH_URL": "https://search.example", "EKS_OPENSEARCH_ENDPOINT": "os.example",
        "SMTP_HOST": "", "SMTP_PORT": 25,
    })
    assert [(s.name, s.host, s.port) for s in found] == [
        ("mysql", "db.example", 3306), ("mongodb", "cluster0.example.net", 27017),
        ("redis", "10.0.4.4", 6380), ("meilisearch", "search.example", 443),
        ("opensearch", "os.example", 443)]
    config = {"EKS_VPC_CIDR": "10.0.0.0/16"}
    assert derive.store_cidrs(config, found[2]) == [{"cidr": "10.0.4.4/32"}]
    assert derive.store_cidrs(config, found[0]) == [{"cidr": "10.0.0.0/16"}]


def test_mentions_is_a_whole_token() -> None:
    assert derive.mentions('"HOST": "mysql"', "mysql")
    assert not derive.mentions("django.db.backends.mysql", "mysql")
    assert not derive.mentions("mysql-job", "mysql")
    assert derive.mentions("http://lms:8000/oauth2", "lms:8000")
    assert not derive.mentions("http://lms:80001", "lms:8000")


def test_hook_items_are_validated() -> None:
    config = {"EKS_VPC_CIDR": "10.0.0.0/16", "EKS_INGRESS_CONTROLLER": "f5-nginx",
              "EKS_NETWORK_POLICY_EXTRA_EGRESS": []}

    def bad(items, _config):
        return [*items, {"cidr": "0.0.0.0/0", "port": 443}]

    eks_hooks.NETWORK_POLICY_EGRESS.add()(bad)
    try:
        with pytest.raises(exceptions.TutorError, match="NETWORK_POLICY_EGRESS hook item"):
            derive.build(config, [], {}, [])
    finally:
        eks_hooks.NETWORK_POLICY_EGRESS.callbacks.clear()


def test_extra_egress_reaches_only_the_named_workloads() -> None:
    config = {"EKS_VPC_CIDR": "10.0.0.0/16", "EKS_INGRESS_CONTROLLER": "f5-nginx",
              "EKS_NETWORK_POLICY_EXTRA_EGRESS": [
                  {"cidr": "203.0.113.0/24", "port": 443, "workloads": ["lms"]}]}
    found = [derive.Workload(n, "Deployment", "", {derive.NAME_LABEL: n})
             for n in ("lms", "mfe")]
    found.append(derive.Workload("lms-job", "Job", "", {derive.NAME_LABEL: "lms-job"}))
    policies = derive.build(config, found, {}, [])
    pods = {w.name: Pod(w.name, "app", w.pod_labels) for w in found}
    assert allowed(policies, pods["lms"], "203.0.113.7", 443)
    assert allowed(policies, pods["lms-job"], "203.0.113.7", 443)
    assert not allowed(policies, pods["mfe"], "203.0.113.7", 443)


NAMED = Pod("acme", "app", {"role": "acme"}, ip="10.0.4.5", named_ports={"http": 8080})


def test_a_named_target_port_is_the_destination_pods_container_port() -> None:
    """A third-party Service may say `targetPort: http`: the connection lands on the
    pod's container port of that name, and a policy may allow it by number or name."""
    by_number = [DENY, netpol("in", {"matchLabels": {"role": "acme"}}, ["Ingress"],
                              ingress=[{"ports": [{"port": 8080}]}]),
                 netpol("out", {"matchLabels": {"role": "web"}}, ["Egress"],
                        egress=[{"ports": [{"port": 8080}]}])]
    assert allowed(by_number, WEB, NAMED, 80, target_port="http")
    assert not allowed(by_number, WEB, NAMED, 80, target_port="grpc")  # no such port
    by_name = [DENY, netpol("in", {"matchLabels": {"role": "acme"}}, ["Ingress"],
                            ingress=[{"ports": [{"port": "http"}]}]),
               netpol("out", {}, ["Egress"], egress=[{"ports": [{"port": "http"}]}])]
    assert allowed(by_name, WEB, NAMED, 80, target_port="http")
    assert allowed(by_name, WEB, NAMED, 80, target_port=8080)
    assert not allowed(by_name, WEB, NAMED, 80, target_port=9090)
    # A named policy port never matches a bare address (it has no container ports).
    assert not allowed(by_name, WEB, "203.0.113.9", 8080)


def test_the_controller_reaches_a_plugin_service_with_a_named_target_port() -> None:
    """The policy check `tutor eks check` runs (policies/network.services_reachable) on
    a render where a plugin's Service routes to `targetPort: http`: the derived policies
    (which copy the Service's targetPort) let the controller through, and a pod without
    that port name is reported."""
    from tutor_eks_plugin.policies import network as network_policy

    def deployment(port_name: str) -> dict:
        return {"kind": "Deployment", "metadata": {"name": "acme", "namespace": "openedx"},
                "spec": {"template": {
                    "metadata": {"labels": {derive.NAME_LABEL: "acme"}},
                    "spec": {"containers": [{"name": "acme", "ports": [
                        {"name": port_name, "containerPort": 8080}]}]}}}}

    service = {"kind": "Service", "metadata": {"name": "acme", "namespace": "openedx"},
               "spec": {"selector": {derive.NAME_LABEL: "acme"},
                        "ports": [{"port": 80, "targetPort": "http"}]}}
    ingress = {"kind": "Ingress", "metadata": {"name": "acme", "namespace": "openedx"},
               "spec": {"rules": [{"http": {"paths": [{"backend": {"service": {
                   "name": "acme", "port": {"number": 80}}}}]}}]}}
    config = {"EKS_NETWORK_POLICIES": True, "K8S_NAMESPACE": "openedx",
              "EKS_NETWORK_POLICY_INGRESS_NAMESPACE": "nginx-ingress",
              "EKS_INGRESS_CONTROLLER": "f5"}
    ns, label = derive.controller(config)
    policies = [
        netpol("deny", {}, ["Ingress", "Egress"], namespace="openedx"),
        netpol("from-controller", {"matchLabels": {derive.NAME_LABEL: "acme"}}, ["Ingress"],
               ingress=[{"from": [{"namespaceSelector": {"matchLabels": {
                   "kubernetes.io/metadata.name": ns}}, "podSelector": {"matchLabels": {
                       derive.NAME_LABEL: label}}}], "ports": [{"port": "http"}]}],
               namespace="openedx"),
    ]
    good = [deployment("http"), service, ingress, *policies]
    assert network_policy.services_reachable(good, config) == []
    renamed = [deployment("web"), service, ingress, *policies]
    assert network_policy.services_reachable(renamed, config) != []
