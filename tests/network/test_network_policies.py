"""NetworkPolicies on the real render, read by the reachability evaluator; Pod Security;
the MFE root redirect for both controller flavours; checkov with no NetworkPolicy skip."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from cases import OTHER_PLUGINS_WORKLOADS
from tutor_cli import Rendered, new_root, run_tutor

from tests.charts.cache import cache_dir
from tutor_eks_plugin import config as eks_config
from tutor_eks_plugin.policies import network as network_policy
from tutor_eks_plugin.render import reachability, schemas
from tutor_eks_plugin.render.network_policies import POD_IDENTITY_AGENT

REPO = Path(__file__).resolve().parents[2]
SKIPS = yaml.safe_load((REPO / "tests" / "render" / "checkov_skips.yml").read_text())
NS = "openedx"
VPC_STORE = "10.0.7.20"  # an address in EKS_VPC_CIDR's default 10.0.0.0/16
F5 = reachability.Pod("controller", "nginx-ingress", {"app.kubernetes.io/name": "nginx-ingress"})
COMMUNITY = reachability.Pod("controller", "ingress-nginx",
                            {"app.kubernetes.io/name": "ingress-nginx"})


def full(case: Rendered) -> dict:
    """The config as `tutor eks check` sees it: config.yml holds no default values."""
    return {**dict(eks_config.defaults()), **case.config}


def lms_host(case: Rendered) -> str:
    return case.get("Ingress", "lms")["spec"]["rules"][0]["host"]


def policies(case: Rendered) -> list[dict]:
    return [o for o in case.objects if o["kind"] == "NetworkPolicy"]


def pod(case: Rendered, name: str) -> reachability.Pod:
    found = {p.name: p for p in reachability.pods_of(case.objects, NS)}
    assert name in found, f"{name} not rendered; have {sorted(found)}"
    return found[name]


def may(case: Rendered, src: str | reachability.Pod, dst: str, port: int,
        protocol: str = "TCP") -> bool:
    source = src if isinstance(src, reachability.Pod) else pod(case, src)
    destination: reachability.Pod | str = dst if dst[0].isdigit() else pod(case, dst)
    return reachability.allowed(policies(case), source, destination, port, protocol)


# (source, destination pod or address, port, allowed) on the default render.
FLOWS = [
    (F5, "lms", 8000, True),
    (F5, "cms", 8000, True),
    (F5, "mfe", 8002, True),
    (F5, "notes", 8000, True),
    (F5, "credentials", 8000, True),
    (F5, "discovery", 8000, True),
    (F5, "lms-worker", 8000, False),  # no Service, no Ingress
    (F5, "lms", 22, False),
    (COMMUNITY, "lms", 8000, False),  # wrong namespace for the F5 flavour
    ("cms", "lms", 8000, True),  # CMS SSO: http://lms:8000
    ("lms", "cms", 8000, False),  # nothing in the LMS render calls cms:8000
    ("mfe", "lms", 8000, True),  # the MFE's Caddy proxies runtime config to lms:8000
    ("lms", "notes", 8000, True),
    ("credentials", "lms", 8000, True),
    ("discovery", "lms", 8000, True),
    ("lms-job", "lms", 8000, True),  # init jobs mount both settings (CMS's names lms:8000)
    ("cms-job", "lms", 8000, True),  # init job: the same as its Deployment
    ("lms", "0.0.0.0", 443, False),
    ("lms", "52.95.1.1", 443, False),  # an S3 address: only with media on S3
    ("lms", VPC_STORE, 3306, True),
    ("lms-worker", VPC_STORE, 3306, True),
    ("lms-job", VPC_STORE, 3306, True),
    ("mysql-job", VPC_STORE, 3306, True),
    ("lms-worker", VPC_STORE, 6379, True),
    ("cms-worker", VPC_STORE, 6379, True),
    ("lms", VPC_STORE, 27017, True),
    ("lms", "10.0.3.12", 7700, True),  # Meilisearch on EC2, by its address
    ("lms", "10.0.3.13", 7700, False),
    ("lms", VPC_STORE, 22, False),
    ("lms", "52.95.1.1", 587, True),  # SES SMTP: public, on its port only
    ("lms", VPC_STORE, 587, False),
    ("mfe", VPC_STORE, 3306, False),
    ("mfe", VPC_STORE, 6379, False),
    ("mfe", "52.95.1.1", 443, False),
    ("mysql-job", VPC_STORE, 6379, False),
    ("lms", POD_IDENTITY_AGENT.split("/")[0], 80, False),
]


@pytest.mark.parametrize("src,dst,port,expected", FLOWS,
                         ids=[f"{getattr(s, 'namespace', s)}->{d}:{p}" for s, d, p, _ in FLOWS])
def test_flows(on: Rendered, src, dst, port, expected) -> None:
    assert may(on, src, dst, port) is expected


def test_dns_for_every_pod(on: Rendered) -> None:
    dns = reachability.Pod("coredns", "kube-system", {"k8s-app": "kube-dns"})
    for item in reachability.pods_of(on.objects, NS):
        for protocol in ("UDP", "TCP"):
            assert reachability.allowed(policies(on), item, dns, 53, protocol), item.name
        assert not reachability.allowed(policies(on), item, dns, 80), item.name


S3_FLOWS = [
    ("lms", "52.95.1.1", 443, True),
    ("cms", "52.95.1.1", 443, True),
    ("lms-worker", "52.95.1.1", 443, True),
    ("lms", POD_IDENTITY_AGENT.split("/")[0], 80, True),
    ("lms", "52.95.1.1", 80, False),
    ("mfe", "52.95.1.1", 443, False),
    ("mfe", POD_IDENTITY_AGENT.split("/")[0], 80, False),
    (COMMUNITY, "lms", 8000, True),
    (F5, "lms", 8000, False),
]


@pytest.mark.parametrize("src,dst,port,expected", S3_FLOWS)
def test_flows_media_on_s3_community(s3: Rendered, src, dst, port, expected) -> None:
    assert may(s3, src, dst, port) is expected


def test_default_deny_both_ways(on: Rendered) -> None:
    deny = next(p for p in policies(on) if p["metadata"]["name"] == "default-deny")
    assert deny["spec"]["podSelector"] == {} and set(deny["spec"]["policyTypes"]) == {
        "Ingress", "Egress"}
    assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]


def test_policies_off(off: Rendered, on: Rendered) -> None:
    assert not policies(off)
    assert policies(on)
    # Everything open again, as before this plugin rendered policies.
    assert may(off, "mfe", VPC_STORE, 3306)
    assert network_policy.services_reachable(off.objects, full(off)) == []


def test_check_policies_pass_and_catch_a_missing_rule(on: Rendered) -> None:
    assert network_policy.services_reachable(on.objects, full(on)) == []
    assert network_policy.no_unrestricted_egress(on.objects, full(on)) == []
    assert network_policy.pod_security(on.objects, full(on)) == []
    broken = [o for o in on.objects if o["metadata"]["name"] != "ingress-controller-to-lms"
              or o["kind"] != "NetworkPolicy"]
    problems = network_policy.services_reachable(broken, full(on))
    assert problems and all("lms" in p for p in problems), problems
    wide = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "wide"},
            "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{}]}}
    assert network_policy.no_unrestricted_egress([*on.objects, wide], full(on))


def test_pod_security_restricted(on: Rendered) -> None:
    namespace = on.get("Namespace", NS)["metadata"]["labels"]
    assert namespace["pod-security.kubernetes.io/enforce"] == "restricted"
    mfe = on.get("Deployment", "mfe")["spec"]["template"]["spec"]
    assert mfe["securityContext"]["runAsNonRoot"] is True
    assert mfe["securityContext"]["runAsUser"] == 1000
    job = on.get("Job", "mysql-job")["spec"]["template"]["spec"]
    assert job["securityContext"]["runAsUser"] == 999
    # A pod spec that lost its fixes fails the check.
    bad = json.loads(json.dumps(on.objects))
    for obj in bad:
        if obj["kind"] == "Deployment" and obj["metadata"]["name"] == "notes":
            del obj["spec"]["template"]["spec"]["securityContext"]
    assert any("Deployment/notes" in p for p in network_policy.pod_security(bad, full(on)))


def test_job_pods_labelled_like_the_policies_select_them(on: Rendered) -> None:
    for name, job in on.of_kind("Job").items():
        labels = job["spec"]["template"]["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == name


@pytest.mark.parametrize("mode", ["on", "off", "s3"])
def test_strict_schemas(request, mode: str) -> None:
    case = request.getfixturevalue(mode)
    for version in ("1.34", "1.37"):
        result = schemas.validate(case.objects, version)
        assert not result.failures, "\n".join(result.failures)


def _crd_schema(kind_file: str) -> dict:
    path = cache_dir() / "nginx-ingress" / "crds" / kind_file
    if not path.is_file():
        pytest.fail(f"the F5 nginx-ingress chart's CRD {kind_file} is needed: set "
                    "EKS_CHART_CACHE to the chart cache (tests/charts/cache.py)", pytrace=False)
    crd = yaml.safe_load(path.read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    return version["schema"]["openAPIV3Schema"]


def test_mfe_root_redirect_f5(on: Rendered) -> None:
    """F5: a VirtualServer (snippets are off) whose exact route `=/` redirects to the
    LMS, valid against the controller's own VirtualServer CRD schema."""
    import jsonschema

    server = on.get("VirtualServer", "mfe")
    jsonschema.validate(server, _crd_schema("k8s.nginx.org_virtualservers.yaml"))
    lms = lms_host(on)
    routes = server["spec"]["routes"]
    assert routes[0] == {"path": "=/", "action": {"redirect": {"url": f"https://{lms}/",
                                                               "code": 302}}}
    upstream = server["spec"]["upstreams"][0]
    assert {"service": "mfe", "port": 8002}.items() <= upstream.items()
    assert routes[1] == {"path": "/", "action": {"pass": upstream["name"]}}
    assert "mfe" not in on.names("Ingress")  # one resource per host for the F5 controller
    assert not network_policy.services_reachable(on.objects, full(on))


def test_mfe_root_redirect_community(s3: Rendered) -> None:
    root = s3.get("Ingress", "mfe-root")
    lms = lms_host(s3)
    assert root["metadata"]["annotations"][
        "nginx.ingress.kubernetes.io/temporal-redirect"] == f"https://{lms}/"
    (path,) = root["spec"]["rules"][0]["http"]["paths"]
    assert path["path"] == "/" and path["pathType"] == "Exact"
    main = s3.get("Ingress", "mfe")
    assert "nginx.ingress.kubernetes.io/temporal-redirect" not in main["metadata"]["annotations"]
    assert main["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "Prefix"
    assert not s3.names("VirtualServer")


def test_checkov_without_networkpolicy_skip(on: Rendered, checkov_bin: str,
                                            tmp_path: Path) -> None:
    assert "CKV2_K8S_6" not in SKIPS
    manifest = tmp_path / "render.yaml"
    # Other plugins' workloads are theirs to shape (tests/render/cases.py); the
    # NetworkPolicy check (CKV2_K8S_6) still runs on every pod of this plugin's.
    owned = [o for o in on.objects
             if o["metadata"]["name"].removesuffix("-job") not in OTHER_PLUGINS_WORKLOADS]
    manifest.write_text(yaml.safe_dump_all(owned))
    result = subprocess.run(
        [checkov_bin, "-f", str(manifest), "--framework", "kubernetes", "--skip-download",
         "--compact", "-o", "json", "--skip-check", ",".join(SKIPS)],
        capture_output=True, text=True, check=False,
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    failed = report.get("results", {}).get("failed_checks", [])
    assert not failed, sorted({f"{f['check_id']} {f['resource']}" for f in failed})
    passed = report["results"]["passed_checks"]
    assert any(p["check_id"] == "CKV2_K8S_6" for p in passed), "CKV2_K8S_6 did not run"
    print(f"checkov: {report['summary']['passed']} passed, {len(failed)} failed, "
          f"CKV2_K8S_6 passed on {sum(p['check_id'] == 'CKV2_K8S_6' for p in passed)}")


def test_extra_egress_is_validated(tmp_path: Path) -> None:
    new_root(tmp_path)
    before = (tmp_path / "config.yml").read_text()
    bad = run_tutor(tmp_path, "config", "save", "--set",
                    'EKS_NETWORK_POLICY_EXTRA_EGRESS=[{"cidr": "0.0.0.0/0", "port": 443}]',
                    check=False)
    assert bad.returncode == 1
    assert "EKS_NETWORK_POLICY_EXTRA_EGRESS" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
    assert (tmp_path / "config.yml").read_text() == before


def test_validate_probe_job_goes_where_the_lms_goes(on: Rendered) -> None:
    """`tutor eks validate` runs its store probe as a Job built from the LMS pod template:
    under default deny it gets the LMS egress (and nothing else)."""
    from tutor_eks_plugin.live import inside
    from tutor_eks_plugin.live.context import Target
    from tutor_eks_plugin.live.resolve import Resolver

    target = Target(config={"K8S_NAMESPACE": NS, **full(on)}, outputs={}, render=lambda: on.objects,
                    resolver=Resolver())
    job = inside.job_manifest(target)
    probe = reachability.Pod(job["metadata"]["name"], NS,
                             job["spec"]["template"]["metadata"]["labels"])
    assert reachability.allowed(policies(on), probe, VPC_STORE, 3306)
    assert reachability.allowed(policies(on), probe, VPC_STORE, 6379)
    assert reachability.allowed(policies(on), probe, "10.0.3.12", 7700)
    assert not reachability.allowed(policies(on), probe, "52.95.1.1", 443)
    assert not reachability.allowed(policies(on), probe, pod(on, "cms"), 8000)


def test_vendored_virtualserver_schema_is_the_pinned_charts_and_checks_strictly(
    on: Rendered,
) -> None:
    """`tutor eks check` validates the VirtualServer against render/crd_schemas/ (no
    "custom resource without a schema"): that copy must be the pinned chart's CRD, and a
    misspelt field in the rendered object must be an error there."""
    from tutor_eks_plugin.render import custom_resources

    vendored = json.loads((custom_resources.SCHEMA_DIR
                           / "k8s.nginx.org_v1_VirtualServer.json").read_text())
    assert vendored == _crd_schema("k8s.nginx.org_virtualservers.yaml")
    server = on.get("VirtualServer", "mfe")
    assert custom_resources.has_schema(server)
    assert custom_resources.validate(server) == []
    broken = copy.deepcopy(server)
    broken["spec"]["routes"][1]["acton"] = broken["spec"]["routes"][1].pop("action")
    assert any("acton" in problem for problem in custom_resources.validate(broken))
