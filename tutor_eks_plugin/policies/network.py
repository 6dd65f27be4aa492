"""Namespace isolation over the kustomize render: the NetworkPolicies let the ingress
controller reach every Service behind an Ingress, no Open edX pod may send anywhere on
any port, and every pod meets the Pod Security level its namespace enforces."""

from __future__ import annotations

import typing as t

from ..render import network_policies as derive
from ..render import reachability
from . import Objects, named

RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                      "persistentVolumeClaim", "projected", "secret"}


def _namespace(config: dict[str, t.Any]) -> str:
    return str(config.get("K8S_NAMESPACE", "openedx"))


def _policies(objects: Objects) -> list[dict[str, t.Any]]:
    return [o for o in objects if o.get("kind") == "NetworkPolicy"]


def routed_backends(objects: Objects) -> list[tuple[str, str, int]]:
    """(front object, service, port) for every Ingress path and VirtualServer upstream."""
    found = []
    for ingress in named(objects, "Ingress").values():
        for rule in ingress["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                service = path["backend"]["service"]
                found.append((f"Ingress/{ingress['metadata']['name']}", service["name"],
                              int(service["port"]["number"])))
    for server in named(objects, "VirtualServer").values():
        for upstream in server["spec"].get("upstreams", []):
            found.append((f"VirtualServer/{server['metadata']['name']}", upstream["service"],
                          int(upstream["port"])))
    return found


def services_reachable(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    if not config.get("EKS_NETWORK_POLICIES"):
        return []
    policies = _policies(objects)
    ns, label = derive.controller(config)
    controller = reachability.Pod("ingress-controller", ns, {derive.NAME_LABEL: label})
    services = named(objects, "Service")
    pods = reachability.pods_of(objects, _namespace(config))
    found = []
    for front, service, port in routed_backends(objects):
        svc = services.get(service)
        if svc is None or not svc["spec"].get("selector"):
            continue  # ExternalName (Meilisearch): leaves the namespace, nothing to allow
        target = next((p.get("targetPort", p["port"]) for p in svc["spec"]["ports"]
                       if int(p["port"]) == port), None)
        backends = [p for p in pods if reachability.selects(
            {"matchLabels": svc["spec"]["selector"]}, p.labels)]
        if target is None or not backends:
            found.append(f"{front}: Service/{service} port {port} has no pods behind it")
            continue
        for pod in backends:
            if not reachability.allowed(policies, controller, pod, port, target_port=target):
                found.append(f"{front}: the ingress controller ({ns}) cannot reach "
                             f"{pod.name} on {target} (Service/{service}:{port}) under the "
                             "rendered NetworkPolicies")
    return found


def no_unrestricted_egress(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    if not config.get("EKS_NETWORK_POLICIES"):
        return []
    policies = _policies(objects)
    found = []
    for pod in reachability.pods_of(objects, _namespace(config)):
        found += reachability.unrestricted_egress(policies, pod)
    return found


def _restricted_problems(spec: dict[str, t.Any]) -> list[str]:
    """Pod Security Standard 'restricted' (v1.25+), the fields the render can show."""
    problems = []
    pod_sc = spec.get("securityContext") or {}
    for volume in spec.get("volumes") or []:
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUMES:
            problems.append(f"volume {volume['name']} of type {sorted(kinds)}")
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(key):
            problems.append(key)
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        sc = container.get("securityContext") or {}
        name = container["name"]
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation is not false")
        caps = sc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            problems.append(f"{name}: capabilities do not drop ALL")
        if set(caps.get("add") or []) - {"NET_BIND_SERVICE"}:
            problems.append(f"{name}: adds capabilities {caps['add']}")
        if sc.get("privileged"):
            problems.append(f"{name}: privileged")
        non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
        if non_root is not True:
            problems.append(f"{name}: runAsNonRoot is not true")
        if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
            problems.append(f"{name}: runAsUser 0")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{name}: seccompProfile is not RuntimeDefault")
    return problems


def pod_security(objects: Objects, config: dict[str, t.Any]) -> list[str]:
    namespaces = named(objects, "Namespace")
    level = (namespaces.get(_namespace(config), {}).get("metadata", {}).get("labels", {})
             .get("pod-security.kubernetes.io/enforce"))
    if level != "restricted":
        return [f"Namespace/{_namespace(config)}: enforces {level!r}, expected 'restricted'"]
    found = []
    for obj in objects:
        if obj.get("kind") in reachability.WORKLOAD_KINDS:
            for problem in _restricted_problems(obj["spec"]["template"]["spec"]):
                found.append(f"{obj['kind']}/{obj['metadata']['name']}: {problem} "
                             "(Pod Security 'restricted' rejects the pod)")
    return found


POLICIES = [services_reachable, no_unrestricted_egress, pod_security]
