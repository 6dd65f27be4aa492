"""NetworkPolicies for the Open edX namespace, derived from the render itself.

Nothing here lists Open edX components by hand. At template time the function below
renders Tutor's own k8s manifests (deployments, jobs, services: core and every enabled
plugin's patches) and the ConfigMaps the kustomization generates, and derives:

- default deny, ingress and egress, for every pod of the namespace;
- DNS to kube-dns for every pod;
- the ingress controller's pods -> each Service behind an Ingress route, on the
  Service's target port;
- workload -> in-namespace Service, when the workload's own rendered text (pod spec and
  the ConfigMaps it mounts) names ``service:port`` (CMS's SSO calls ``http://lms:8000``);
- workload -> data store, when that text names the store's host: the store's port only,
  to the host itself when it is an IP address, else to the VPC range (EKS_VPC_CIDR),
  and to the internet on that port only for public AWS endpoints (SES);
- media on S3: 443 out (S3 through the gateway endpoint and STS have public addresses)
  and the EKS Pod Identity agent (169.254.170.23:80) for the workloads that name the bucket;
- EKS_NETWORK_POLICY_EXTRA_EGRESS and the NETWORK_POLICY_EGRESS hook.

Jobs are selected by the ``app.kubernetes.io/name`` label this plugin puts on their pod
templates (Tutor renames the Job itself at run time). `tutor eks check` verifies the
result against the real kustomize output (policies/network.py).
"""

from __future__ import annotations

import ipaddress
import json
import re
import typing as t
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jinja2
import yaml
from tutor import exceptions

from .. import hooks as eks_hooks
from ..settings.ingress import COMMUNITY_NGINX, F5_NGINX
from ..settings.network import EGRESS_ITEM
from .reachability import WORKLOAD_KINDS

NAME_LABEL = "app.kubernetes.io/name"
POD_IDENTITY_AGENT = "169.254.170.23/32"  # EKS Pod Identity agent (IPv4), port 80
POD_IDENTITY_PORT = 80
# Where each controller flavour runs (stage 2 installs the F5 one in nginx-ingress) and
# the label its chart puts on the controller pods.
CONTROLLERS = {
    COMMUNITY_NGINX: ("ingress-nginx", "ingress-nginx"),
    F5_NGINX: ("nginx-ingress", "nginx-ingress"),
}
# libyaml's loader and dumper when PyYAML was built with it: the derivation reads and
# writes a few hundred kB of YAML on every `tutor config save`.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PUBLIC_AWS_RE = re.compile(r"^email-smtp(-fips)?\.[a-z0-9-]+\.amazonaws\.com$")


@dataclass
class Workload:
    name: str
    kind: str
    text: str  # its pod spec plus the ConfigMaps it mounts, as rendered
    pod_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Service:
    name: str
    selector: dict[str, str]
    ports: list[tuple[int, t.Any, str]]  # (port, targetPort, protocol)

    def target(self, port: int) -> t.Any:
        for number, target, _ in self.ports:
            if number == port:
                return target
        return None


@dataclass(frozen=True)
class Store:
    name: str
    host: str
    port: int


# ---- reading the render ---------------------------------------------------------------


def _load(text: str) -> t.Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (C or Python)


def _load_all(text: str) -> t.Iterator[t.Any]:
    return yaml.load_all(text, Loader=_LOADER)  # noqa: S506 - a safe loader (C or Python)


def _docs(text: str) -> list[dict[str, t.Any]]:
    return [d for d in _load_all(text) if isinstance(d, dict)]


def workloads(objects: list[dict[str, t.Any]], configmaps: dict[str, str],
              commands: dict[str, str] | None = None) -> list[Workload]:
    found = []
    for obj in objects:
        if obj.get("kind") not in WORKLOAD_KINDS:
            continue
        template = obj["spec"]["template"]
        spec = template.get("spec", {})
        mounted = [v["configMap"]["name"] for v in spec.get("volumes", []) if "configMap" in v]
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    mounted.append(source["configMapRef"]["name"])
        # Template-time names: kustomize adds the content hash to them later.
        text = (yaml.dump(spec, Dumper=_DUMPER) + (commands or {}).get(obj["metadata"]["name"], "")
                + "".join(configmaps.get(name, "") for name in mounted))
        labels = dict(template.get("metadata", {}).get("labels", {}) or {})
        found.append(Workload(obj["metadata"]["name"], obj["kind"], text, labels))
    return found


def services(objects: list[dict[str, t.Any]]) -> dict[str, Service]:
    found = {}
    for obj in objects:
        if obj.get("kind") != "Service" or not obj.get("spec", {}).get("selector"):
            continue
        ports = [
            (int(p["port"]), p.get("targetPort", p["port"]), p.get("protocol", "TCP"))
            for p in obj["spec"].get("ports", [])
        ]
        found[obj["metadata"]["name"]] = Service(obj["metadata"]["name"],
                                                 dict(obj["spec"]["selector"]), ports)
    return found


def stores(config: dict[str, t.Any]) -> list[Store]:
    """The data stores the config points at: host and port."""
    found: list[Store] = []

    def add(name: str, host: t.Any, port: t.Any) -> None:
        if host and port:
            found.append(Store(name, str(host), int(port)))

    add("mysql", config.get("MYSQL_HOST"), config.get("MYSQL_PORT"))
    mongo = str(config.get("MONGODB_HOST") or "")
    if mongo.startswith("mongodb"):
        # A connection string: its host part (an SRV record has no port: 27017).
        parts = urlsplit(mongo)
        for item in (parts.netloc.rsplit("@", 1)[-1]).split(","):
            host, _, port = item.partition(":")
            add("mongodb", host, port or config.get("MONGODB_PORT") or 27017)
    else:
        add("mongodb", mongo, config.get("MONGODB_PORT"))
    add("redis", config.get("REDIS_HOST"), config.get("REDIS_PORT"))
    meili = urlsplit(str(config.get("MEILISEARCH_URL") or ""))
    if meili.hostname:
        add("meilisearch", meili.hostname, meili.port or (443 if meili.scheme == "https" else 80))
    opensearch = str(config.get("EKS_OPENSEARCH_ENDPOINT") or "")
    if opensearch:
        add("opensearch", urlsplit(opensearch if "://" in opensearch else f"https://{opensearch}")
            .hostname, 443)
    add("smtp", config.get("SMTP_HOST"), config.get("SMTP_PORT"))
    return found


def mentions(text: str, token: str) -> bool:
    r"""True when ``token`` stands on its own (not inside a longer name) in ``text``: the
    character before it is not a word character, ``.`` or ``-``, and the one after is
    not a word character or ``-``, nor a ``.`` that a word character follows. (The
    regex ``(?<![\w.-])TOKEN(?![\w-]|\.\w)``, written as a scan of the occurrences
    that str.find finds: the regex tried every position of long texts.)"""

    def word(char: str) -> bool:
        return char.isalnum() or char == "_"  # what \w matches in a str pattern

    start = text.find(token)
    while start != -1:
        end = start + len(token)
        before = text[start - 1] if start else ""
        after, next_after = text[end:end + 1], text[end + 1:end + 2]
        if not (before and (word(before) or before in ".-")) and not (
            after and (word(after) or after == "-"
                       or (after == "." and next_after and word(next_after)))
        ):
            return True
        start = text.find(token, start + 1)
    return False


def store_cidrs(config: dict[str, t.Any], store: Store) -> list[dict[str, t.Any]]:
    """Where a store's host lives, as NetworkPolicy ipBlocks."""
    try:
        address = ipaddress.ip_address(store.host)
    except ValueError:
        address = None
    if address is not None:
        return [{"cidr": f"{address}/32"}]
    if PUBLIC_AWS_RE.match(store.host):
        # A public AWS endpoint (SES SMTP): anywhere outside the VPC, on its port only.
        return [{"cidr": "0.0.0.0/0", "except": [config["EKS_VPC_CIDR"]]}]
    return [{"cidr": config["EKS_VPC_CIDR"]}]


# ---- the policies ---------------------------------------------------------------------


def _selector(workload: Workload) -> dict[str, t.Any]:
    return {"matchLabels": {NAME_LABEL: workload.name}}


def _is(key: str, value: str) -> dict[str, t.Any]:
    """A selector of another namespace's pods. matchExpressions, not matchLabels:
    Tutor's kustomization adds its common labels to every matchLabels it finds, and the
    pods of kube-system or the controller's namespace do not carry them."""
    return {"matchExpressions": [{"key": key, "operator": "In", "values": [value]}]}


def _port(number: t.Any, protocol: str = "TCP") -> dict[str, t.Any]:
    return {"protocol": protocol, "port": number}


def _policy(name: str, selector: dict[str, t.Any], types: list[str],
            ingress: list[dict[str, t.Any]] | None = None,
            egress: list[dict[str, t.Any]] | None = None) -> dict[str, t.Any]:
    spec: dict[str, t.Any] = {"podSelector": selector, "policyTypes": types}
    if ingress is not None:
        spec["ingress"] = ingress
    if egress is not None:
        spec["egress"] = egress
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/component": "network-policy"}},
        "spec": spec,
    }


def controller(config: dict[str, t.Any]) -> tuple[str, str]:
    """(namespace, pod label app.kubernetes.io/name) of the ingress controller."""
    namespace, name = CONTROLLERS.get(config["EKS_INGRESS_CONTROLLER"], CONTROLLERS[F5_NGINX])
    return config.get("EKS_NETWORK_POLICY_INGRESS_NAMESPACE") or namespace, name


def build(config: dict[str, t.Any], found: list[Workload], svcs: dict[str, Service],
          routed: list[tuple[str, int]]) -> list[dict[str, t.Any]]:
    """The NetworkPolicies of the namespace. ``routed``: (service, port) behind Ingresses."""
    from ..live import inside  # the validate Job's names; not needed to load the module

    policies = [
        _policy("default-deny", {}, ["Ingress", "Egress"]),
        _policy("allow-dns", {}, ["Egress"], egress=[{
            "to": [{
                "namespaceSelector": _is("kubernetes.io/metadata.name", "kube-system"),
                "podSelector": _is("k8s-app", "kube-dns"),
            }],
            "ports": [_port(53, "UDP"), _port(53, "TCP")],
        }]),
    ]

    # Ingress controller -> Services behind an Ingress.
    ns, pod_name = controller(config)
    by_service: dict[str, list[t.Any]] = {}
    for service, port in routed:
        svc = svcs.get(service)
        if svc is None or svc.target(port) is None:
            continue  # ExternalName (Meilisearch) or not rendered: nothing to allow here
        targets = by_service.setdefault(service, [])
        if svc.target(port) not in targets:
            targets.append(svc.target(port))
    for service, targets in sorted(by_service.items()):
        policies.append(_policy(
            f"ingress-controller-to-{service}", {"matchLabels": svcs[service].selector},
            ["Ingress"], ingress=[{
                "from": [{
                    "namespaceSelector": _is("kubernetes.io/metadata.name", ns),
                    "podSelector": _is(NAME_LABEL, pod_name),
                }],
                "ports": [_port(target) for target in targets],
            }],
        ))

    # Workload -> Service it names; workload -> data stores it names.
    callers: dict[str, dict[t.Any, set[str]]] = {}
    the_stores = stores(config)
    extra = list(config.get("EKS_NETWORK_POLICY_EXTRA_EGRESS") or [])
    for item in eks_hooks.NETWORK_POLICY_EGRESS.apply([], config):
        if not EGRESS_ITEM.ok(item):
            raise exceptions.TutorError(
                f"NETWORK_POLICY_EGRESS hook item {item!r} is not allowed: expected "
                f"{EGRESS_ITEM.allowed}. Fix the plugin that adds it."
            )
        extra.append(item)
    media_s3 = config.get("EKS_MEDIA_BACKEND") == "s3" and config.get("EKS_S3_MEDIA_BUCKET")
    for workload in sorted(found, key=lambda w: w.name):
        egress: list[dict[str, t.Any]] = []
        for svc in sorted(svcs.values(), key=lambda s: s.name):
            if workload.pod_labels and all(workload.pod_labels.get(k) == v
                                           for k, v in svc.selector.items()):
                continue  # its own Service
            for number, target, protocol in svc.ports:
                if mentions(workload.text, f"{svc.name}:{number}"):
                    egress.append({"to": [{"podSelector": {"matchLabels": svc.selector}}],
                                   "ports": [_port(target, protocol)]})
                    callers.setdefault(svc.name, {}).setdefault(target, set()).add(workload.name)
        for store in the_stores:
            if mentions(workload.text, store.host):
                egress.append({"to": [{"ipBlock": block} for block in store_cidrs(config, store)],
                               "ports": [_port(store.port)]})
        if media_s3 and mentions(workload.text, str(config["EKS_S3_MEDIA_BUCKET"])):
            # S3 (gateway endpoint: public S3 addresses) and STS answer on 443.
            egress.append({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [_port(443)]})
            if config.get("EKS_MEDIA_IAM") == "pod-identity":
                egress.append({"to": [{"ipBlock": {"cidr": POD_IDENTITY_AGENT}}],
                               "ports": [_port(POD_IDENTITY_PORT)]})
        for item in extra:
            if item.get("workloads") and workload.name not in item["workloads"] and not any(
                workload.name == f"{w}-job" for w in item["workloads"]
            ):
                continue
            egress.append({"to": [{"ipBlock": {"cidr": item["cidr"]}}],
                           "ports": [_port(int(item["port"]), item.get("protocol", "TCP"))]})
        if egress:
            policies.append(_policy(f"{workload.name}-egress", _selector(workload), ["Egress"],
                                    egress=_dedupe(egress)))
            if workload.name == inside.SOURCE_DEPLOYMENT:
                # `tutor eks validate` probes the stores from a Job built from this pod
                # template (live/inside.py): it may go where the LMS goes, nothing more.
                # Its labels are not Tutor's common labels: matchExpressions, which
                # kustomize leaves alone.
                policies.append(_policy(
                    f"{inside.JOB_NAME}-egress", _is(NAME_LABEL, inside.JOB_NAME),
                    ["Egress"], egress=_dedupe(egress)))
    for service, targets in sorted(callers.items()):
        policies.append(_policy(
            f"{service}-from-callers", {"matchLabels": svcs[service].selector}, ["Ingress"],
            ingress=[{
                "from": [{"podSelector": {"matchExpressions": [{
                    "key": NAME_LABEL, "operator": "In", "values": sorted(names)}]}}],
                "ports": [_port(target)],
            } for target, names in sorted(targets.items(), key=lambda i: str(i[0]))],
        ))
    return policies


def _dedupe(rules: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    seen, out = set(), []
    for rule in rules:
        key = json.dumps(rule, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(rule)
    return out


# ---- template side --------------------------------------------------------------------

TUTOR_MANIFESTS = ("k8s/deployments.yml", "k8s/jobs.yml", "k8s/services.yml")

# One `tutor config save` renders the k8s templates in several Renderers (one per
# template target), and several templates ask for the same derivation (the security
# partial once per workload kind, the NetworkPolicies once): each is computed once per
# config and set of patches. Renders of another config (tests, `tutor eks check`) get
# their own entries; the memo is bounded so a long-lived process does not grow.
_MEMO: dict[tuple[str, str, int], t.Any] = {}
_MEMO_SIZE = 16


def _memo(context: jinja2.runtime.Context, what: str,
          compute: t.Callable[[], t.Any]) -> t.Any:
    from tutor import hooks

    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    patches = hash((tuple(hooks.Filters.ENV_PATCHES.iterate()),
                    tuple(context.environment.loader.searchpath)))  # type: ignore[union-attr]
    key = (what, repr(config), patches)
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = compute()
    return _MEMO[key]


def _render(context: jinja2.runtime.Context, name: str) -> str:
    """Template ``name`` rendered with the config of the render ``context`` belongs to.
    The config is the context's upper-case names less the environment's globals (Tutor's
    TUTOR_VERSION and the like), in Tutor's order: the text Tutor renders for the same
    template and config is then reused, not rendered again (tutor_internals.render_once)."""
    from ..tutor_internals import render_once

    environment = context.environment
    config = {k: v for k, v in context.get_all().items()
              if k.isupper() and k not in environment.globals}
    return render_once(environment, config, name)


def _configmap_texts(context: jinja2.runtime.Context) -> dict[str, str]:
    """Generated ConfigMap name -> the rendered text of its files (kustomization.yml)."""
    kustomization = _load(_render(context, "kustomization.yml")) or {}
    texts: dict[str, str] = {}
    for item in kustomization.get("configMapGenerator", []) or []:
        parts = []
        for entry in item.get("files", []) or []:
            path = str(entry).split("=", 1)[-1]
            # Plugins' templates land under env/plugins/ without that prefix in their name.
            for name in (path, path.removeprefix("plugins/")):
                try:
                    parts.append(_render(context, name))
                    break
                except (jinja2.TemplateNotFound, UnicodeDecodeError):
                    continue  # binary, or not this name
        texts[item["name"]] = "\n".join(parts)
    return texts


def _deleted(kustomization: dict[str, t.Any]) -> set[tuple[str, str]]:
    """(kind, name) of the objects a kustomization patch deletes (Caddy, data pods)."""
    gone = set()
    for item in kustomization.get("patches", []) or []:
        for doc in _docs(str(item.get("patch", ""))) if isinstance(item, dict) else []:
            if doc.get("$patch") == "delete":
                gone.add((doc.get("kind"), doc.get("metadata", {}).get("name")))
    return gone


def _job_commands(context: jinja2.runtime.Context) -> dict[str, str]:
    """Job name -> the init commands `tutor k8s init` runs in it (the mysql-job's host
    is only in its command, e.g. `mysql --host=...`)."""
    from tutor import hooks

    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    found: dict[str, str] = {}
    for service, command in hooks.Filters.CLI_DO_INIT_TASKS.iterate():
        try:
            if isinstance(command, str):
                text = context.environment.from_string(command).render(**config)
            else:  # a template path (older plugins)
                text = _render(context, "/".join(command))
        except (jinja2.exceptions.UndefinedError, exceptions.TutorError):
            # A task that needs a key of a plugin that is not enabled (tutor-credentials'
            # init names DISCOVERY_HOST): it fails at `tutor k8s init` on its own; its raw
            # text still names literal hosts.
            text = command if isinstance(command, str) else ""
        found[f"{service}-job"] = found.get(f"{service}-job", "") + "\n" + text
    return found


def rendered_objects(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    """Tutor's Deployments, Jobs and Services as the kustomization will keep them (the
    same list for every caller of one render: do not change it)."""
    return _memo(context, "objects", lambda: _rendered_objects(context))  # type: ignore[no-any-return]


def _rendered_objects(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    # The kustomization-patches patch, not kustomization.yml: that one includes the
    # k8s-override patch, which asks for this list (the security partial).
    patches = _load(context["patch"]("kustomization-patches"))
    gone = _deleted({"patches": patches or []})
    objects: list[dict[str, t.Any]] = []
    for name in TUTOR_MANIFESTS:
        objects += [o for o in _docs(_render(context, name))
                    if (o.get("kind"), o.get("metadata", {}).get("name")) not in gone]
    return objects


@jinja2.pass_context
def network_policies_for_template(context: jinja2.runtime.Context) -> list[dict[str, t.Any]]:
    """Template variable `eks_network_policies()`: [] when EKS_NETWORK_POLICIES is off."""
    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    if not config.get("EKS_NETWORK_POLICIES"):
        return []
    return _memo(context, "policies",  # type: ignore[no-any-return]
                 lambda: _network_policies(context, config))


def _network_policies(context: jinja2.runtime.Context,
                      config: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    from . import routes

    objects = rendered_objects(context)
    found = workloads(objects, _configmap_texts(context), _job_commands(context))
    patch = context["patch"]
    ingresses = routes.build_ingresses(config, {n: patch(n) for n in routes.CADDY_PATCHES})
    routed = [(r.service, r.port) for i in ingresses for r in i.routes]
    return build(config, found, services(objects), routed)


@jinja2.pass_context
def job_names_for_template(context: jinja2.runtime.Context) -> list[tuple[str, str]]:
    """Template variable `eks_jobs()`: (name, first container) of every rendered Job."""
    return [
        (o["metadata"]["name"], o["spec"]["template"]["spec"]["containers"][0]["name"])
        for o in _docs(_render(context, "k8s/jobs.yml")) if o.get("kind") == "Job"
    ]


@jinja2.pass_context
def workloads_for_template(context: jinja2.runtime.Context) -> list[tuple[str, str, list[str]]]:
    """Template variable `eks_workloads()`: (kind, name, container names) of every
    Deployment and Job the kustomization keeps (core and other plugins)."""
    return [
        (o["kind"], o["metadata"]["name"],
         [c["name"] for c in o["spec"]["template"]["spec"]["containers"]])
        for o in rendered_objects(context) if o.get("kind") in ("Deployment", "Job")
    ]


TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [
    ("eks_workloads", workloads_for_template),
    ("eks_network_policies", network_policies_for_template),
    ("eks_jobs", job_names_for_template),
]
