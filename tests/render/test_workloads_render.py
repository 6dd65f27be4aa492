"""Workload shape on the real render (tutor + kubectl kustomize): resources, HPAs,
PDBs, spread, probes, graceful stop, media volume; alone and beside tutor-k8s."""

from __future__ import annotations

import typing as t

import pytest
from cases import CASES as ALL_CASES
from tutor_cli import Rendered

from tutor_eks_plugin.render import schemas

# Render cases of this concern (defined with the others in cases.py, so the gates run
# on them too and the render cache is shared).
CASES = {name: ALL_CASES[name] for name in ("default", "media-s3", "k8s-pair")}
SHAPED = ("lms", "cms", "lms-worker", "cms-worker", "mfe")
WEB = {"lms": 8000, "cms": 8000, "mfe": 8002}
MEDIA_PATHS = {"/openedx/media", "/openedx/media-private", "/openedx/data/ora2"}


@pytest.fixture(params=sorted(CASES))
def case(request, render_case) -> Rendered:
    plugins, settings = CASES[request.param]
    return render_case(request.param, plugins=plugins, settings=settings)


def _container(obj: dict[str, t.Any]) -> dict[str, t.Any]:
    return obj["spec"]["template"]["spec"]["containers"][0]


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def test_resources_and_no_pinned_replicas(case: Rendered) -> None:
    for name in SHAPED:
        deployment = case.get("Deployment", name)
        assert "replicas" not in deployment["spec"], name
        container = _container(deployment)
        assert container["name"] == name
        resources = container["resources"]
        for key in ("cpu", "memory"):
            assert resources["requests"][key] and resources["limits"][key], name


def test_one_hpa_per_deployment(case: Rendered) -> None:
    hpas = case.of_kind("HorizontalPodAutoscaler").values()
    targets = sorted(h["spec"]["scaleTargetRef"]["name"] for h in hpas)
    assert targets == sorted(SHAPED)
    deployments = case.names("Deployment")
    for hpa in hpas:
        spec = hpa["spec"]
        assert spec["scaleTargetRef"]["kind"] == "Deployment"
        assert spec["scaleTargetRef"]["name"] in deployments
        assert 1 <= spec["minReplicas"] <= spec["maxReplicas"]
        assert spec["metrics"][0]["resource"]["name"] == "cpu"
        assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] > 0


def test_one_pdb_per_deployment(case: Rendered) -> None:
    pdbs = list(case.of_kind("PodDisruptionBudget").values())
    for name in SHAPED:
        labels = case.get("Deployment", name)["spec"]["template"]["metadata"]["labels"]
        matching = [p for p in pdbs if _selects(p["spec"]["selector"]["matchLabels"], labels)]
        assert len(matching) == 1, (name, [p["metadata"]["name"] for p in matching])
        assert matching[0]["spec"]["maxUnavailable"] == 1
    assert len(pdbs) == len(SHAPED)


def test_spread_over_zones_and_nodes(case: Rendered) -> None:
    zone_policy = case.config.get("EKS_ZONE_SPREAD", "ScheduleAnyway")
    for name in SHAPED:
        spec = case.get("Deployment", name)["spec"]["template"]["spec"]
        labels = case.get("Deployment", name)["spec"]["template"]["metadata"]["labels"]
        spread = {c["topologyKey"]: c for c in spec["topologySpreadConstraints"]}
        assert spread["topology.kubernetes.io/zone"]["whenUnsatisfiable"] == zone_policy
        assert spread["kubernetes.io/hostname"]["whenUnsatisfiable"] == "ScheduleAnyway"
        for constraint in spread.values():
            assert _selects(constraint["labelSelector"]["matchLabels"], labels)


def test_probes(case: Rendered) -> None:
    for name, port in WEB.items():
        container = _container(case.get("Deployment", name))
        startup = container["startupProbe"]
        if name == "mfe":
            assert startup["httpGet"]["port"] == port
        else:
            assert startup["httpGet"]["path"] == "/heartbeat"
            assert startup["httpGet"]["httpHeaders"] == [{"name": "Host", "value": name}]
        # Neither readiness nor liveness may depend on the shared databases.
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe] == {
                "tcpSocket": {"port": port},
                "periodSeconds": container[probe]["periodSeconds"],
                "timeoutSeconds": 5,
                "failureThreshold": container[probe]["failureThreshold"],
            }, (name, probe)
    for name in ("lms-worker", "cms-worker"):
        container = _container(case.get("Deployment", name))
        assert not {"startupProbe", "readinessProbe", "livenessProbe"} & set(container)
        assert sum(a.startswith("--concurrency=") for a in container["args"]) == 1


def test_graceful_stop(case: Rendered) -> None:
    for name in WEB:
        spec = case.get("Deployment", name)["spec"]["template"]["spec"]
        sleep = _container(case.get("Deployment", name))["lifecycle"]["preStop"]["sleep"]
        assert 0 < sleep["seconds"] < spec["terminationGracePeriodSeconds"]
    for name in ("lms-worker", "cms-worker"):
        spec = case.get("Deployment", name)["spec"]["template"]["spec"]
        assert spec["terminationGracePeriodSeconds"] == 300


def _media_pods(case: Rendered) -> list[dict[str, t.Any]]:
    return [case.get("Deployment", n) for n in ("lms", "cms", "lms-worker", "cms-worker")] + [
        case.get("Job", n) for n in ("lms-job", "cms-job")
    ]


def test_efs_media_volume(render_case) -> None:
    case = render_case("default", plugins=CASES["default"][0], settings=CASES["default"][1])
    claim = case.get("PersistentVolumeClaim", "openedx-media")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    assert claim["spec"]["storageClassName"] == "efs-sc"
    for pod in _media_pods(case):
        spec = pod["spec"]["template"]["spec"]
        claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
                  for v in spec["volumes"] if "persistentVolumeClaim" in v}
        assert claims == {"media": "openedx-media"}, pod["metadata"]["name"]
        mounts = {m["mountPath"] for m in spec["containers"][0]["volumeMounts"]
                  if m["name"] == "media"}
        assert mounts == MEDIA_PATHS, pod["metadata"]["name"]
        assert spec["securityContext"]["fsGroup"] == 1000
    assert "ServiceAccount" not in {o["kind"] for o in case.objects}


def test_s3_media(render_case) -> None:
    case = render_case("media-s3", plugins=CASES["media-s3"][0], settings=CASES["media-s3"][1])
    assert not case.of_kind("PersistentVolumeClaim")
    account = case.get("ServiceAccount", "openedx")
    annotations = account["metadata"]["annotations"]
    role = CASES["media-s3"][1]["EKS_MEDIA_ROLE_ARN"]
    assert annotations["eks.amazonaws.com/role-arn"] == role
    for pod in _media_pods(case):
        spec = pod["spec"]["template"]["spec"]
        assert spec["serviceAccountName"] == "openedx", pod["metadata"]["name"]
        assert not any("persistentVolumeClaim" in v for v in spec["volumes"])
    for variant in ("lms", "cms"):
        settings = (case.root / "env/apps/openedx/settings" / variant / "production.py").read_text()
        compile(settings, f"{variant}/production.py", "exec")
        assert 'AWS_STORAGE_BUCKET_NAME = "openedx-media-example"' in settings
        # What django-storages does with these settings: tests/datastores/test_s3_media.py.
        assert 'STORAGES["default"] = {\n    "BACKEND": "storages.backends.s3boto3.S3Boto3Storage"' \
            in settings
        assert 'ORA2_FILEUPLOAD_BACKEND = "s3"' in settings
        assert "AWS_ACCESS_KEY_ID = None" in settings
    lms = (case.root / "env/apps/openedx/settings/lms/production.py").read_text()
    assert '"class": "storages.backends.s3boto3.S3Boto3Storage"' in lms


def test_k8s_pair_keeps_one_of_each(render_case) -> None:
    """Beside tutor-k8s: this plugin's HPAs and PDBs replace tutor-k8s's, and its
    probes and resources win over tutor-k8s's k8s-override (no mixed handlers)."""
    case = render_case("k8s-pair", plugins=CASES["k8s-pair"][0], settings=CASES["k8s-pair"][1])
    assert case.names("HorizontalPodAutoscaler") == set(SHAPED)
    assert case.names("PodDisruptionBudget") == set(SHAPED)
    lms = _container(case.get("Deployment", "lms"))
    assert lms["resources"]["limits"]["cpu"] == "2"  # tutor-k8s would set 100m
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        handlers = {"httpGet", "tcpSocket", "exec", "grpc"} & set(lms[probe])
        assert len(handlers) == 1, (probe, lms[probe])
    # tutor-k8s's VerticalPodAutoscalers stay (recommendations only, updateMode Off);
    # the one for the removed caddy Deployment goes.
    vpas = {o["metadata"]["name"] for o in case.objects if o["kind"] == "VerticalPodAutoscaler"}
    assert vpas == {f"{n}-vpa" for n in SHAPED}


@pytest.mark.parametrize("version", ["1.34", "1.37"])
def test_strict_schemas(case: Rendered, version: str) -> None:
    """Every object validates; the only exception is tutor-k8s's VPA custom resources,
    which have no upstream schema."""
    result = schemas.validate(case.objects, version)
    unexplained = [f for f in result.failures if "VerticalPodAutoscaler/" not in f]
    assert not unexplained, "\n".join(unexplained)
