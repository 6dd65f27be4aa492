"""A recording kubectl stand-in, and the cluster state it serves.

Stands for a kubectl talking to a live EKS cluster, which cannot run here (no
Kubernetes API server on this machine). `kubectl version` and `kubectl kustomize` go
to the real kubectl (the render is real); every other call is answered from a
responses file and recorded (argv and stdin) so a test can see what was asked and that
the connectivity Job was deleted.

The objects it serves are the objects this plugin renders (`kubectl kustomize` of a real
Tutor root), completed the way the API server completes them (uid, generation,
creationTimestamp, status with conditions) in the shape of `kubectl get -o json`
(a `List`). They are built, not captured: no cluster was available to capture from.
"""

from __future__ import annotations

import copy
import json
import stat
import sys
import typing as t
from pathlib import Path

SCRIPT = r'''#!PYTHON
import json, os, sys
folder = os.environ["STANDIN_DIR"]
args = sys.argv[1:]
if args and args[0] in ("version", "kustomize"):
    os.execv(os.environ["STANDIN_REAL_KUBECTL"], [os.environ["STANDIN_REAL_KUBECTL"], *args])
stdin = sys.stdin.read() if "-" in args else ""
with open(os.path.join(folder, "calls.jsonl"), "a") as log:
    log.write(json.dumps({"args": args, "stdin": stdin}) + "\n")
ns = args[args.index("--namespace") + 1] if "--namespace" in args else "-"
verb = args[0]
if verb == "get":
    key = "get %s %s" % (args[1], ns)
elif verb == "logs":
    key = "logs %s" % ns
elif verb in ("create", "delete"):
    print("%s ok" % verb)
    sys.exit(0)
else:
    sys.stderr.write("stand-in: unexpected kubectl %s\n" % " ".join(args))
    sys.exit(2)
responses = json.load(open(os.path.join(folder, "responses.json")))
if key not in responses:
    sys.stderr.write('error: the server doesn\'t have a resource type "%s"\n' % args[1])
    sys.exit(1)
answer = responses[key]
if isinstance(answer, list):  # a sequence: one per call, the last one repeats
    counter = os.path.join(folder, "count-" + key.replace(" ", "_").replace("/", "_"))
    n = int(open(counter).read()) if os.path.exists(counter) else 0
    open(counter, "w").write(str(n + 1))
    answer = answer[min(n, len(answer) - 1)]
sys.stdout.write(answer if isinstance(answer, str) else json.dumps(answer))
'''

ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")
NGINX_NS = "nginx-ingress"
TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/edge/0123456789abcdef"


def install(folder: Path, real_kubectl: str) -> dict[str, str]:
    """Write the stand-in; returns the environment that makes the plugin use it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kubectl"
    path.write_text(SCRIPT.replace("#!PYTHON", "#!" + sys.executable, 1))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return {"EKS_KUBECTL": str(path), "STANDIN_DIR": str(folder),
            "STANDIN_REAL_KUBECTL": real_kubectl}


def serve(folder: Path, responses: dict[str, t.Any]) -> None:
    (folder / "responses.json").write_text(json.dumps(responses))
    for counter in folder.glob("count-*"):
        counter.unlink()


def calls(folder: Path) -> list[dict[str, t.Any]]:
    log = folder / "calls.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def _api(obj: dict[str, t.Any], n: int) -> dict[str, t.Any]:
    obj = copy.deepcopy(obj)
    meta = obj.setdefault("metadata", {})
    meta.setdefault("namespace", "openedx")
    meta.update({"uid": f"00000000-0000-4000-8000-{n:012d}", "generation": 1,
                 "resourceVersion": str(1000 + n),
                 "creationTimestamp": "2026-11-29T09:00:00Z"})
    return obj


def _list(items: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
            "items": items}


def _cond(kind: str, status: str, reason: str = "") -> dict[str, t.Any]:
    return {"type": kind, "status": status, "reason": reason or kind,
            "lastTransitionTime": "2026-11-29T09:01:00Z", "message": ""}


def healthy_cluster(rendered: list[dict[str, t.Any]], namespace: str = "openedx",
                    replicas: int = 2) -> dict[str, t.Any]:
    """The responses of a cluster running exactly the render, everything healthy."""
    by_kind: dict[str, list[dict[str, t.Any]]] = {}
    for n, obj in enumerate(rendered):
        by_kind.setdefault(obj["kind"], []).append(_api(obj, n))
    deployments, pods = [], []
    for dep in by_kind.get("Deployment", []):
        dep["status"] = {"observedGeneration": 1, "replicas": replicas,
                         "readyReplicas": replicas, "availableReplicas": replicas,
                         "updatedReplicas": replicas,
                         "conditions": [_cond("Available", "True", "MinimumReplicasAvailable"),
                                        _cond("Progressing", "True", "NewReplicaSetAvailable")]}
        deployments.append(dep)
        for i in range(replicas):
            spec = dep["spec"]["template"]["spec"]
            pods.append({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": f"{dep['metadata']['name']}-7d9f8c6b5-{i:05d}",
                             "namespace": namespace,
                             "labels": dep["spec"]["template"]["metadata"].get("labels", {})},
                "spec": spec,
                "status": {"phase": "Running", "containerStatuses": [
                    {"name": c["name"], "image": c["image"], "ready": True, "restartCount": 0,
                     "state": {"running": {"startedAt": "2026-11-29T09:02:00Z"}}}
                    for c in spec["containers"]]},
            })
    hpas = []
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        hpa["status"] = {
            "currentReplicas": replicas, "desiredReplicas": replicas,
            "currentMetrics": [{"type": "Resource", "resource": {
                "name": "cpu", "current": {"averageValue": "120m", "averageUtilization": 12}}}],
            "conditions": [_cond("AbleToScale", "True", "ReadyForNewScale"),
                           _cond("ScalingActive", "True", "ValidMetricFound"),
                           _cond("ScalingLimited", "False", "DesiredWithinRange")],
        }
        hpas.append(hpa)
    pvcs = []
    for pvc in by_kind.get("PersistentVolumeClaim", []):
        pvc["status"] = {"phase": "Bound", "accessModes": ["ReadWriteMany"],
                         "capacity": {"storage": "8Gi"}}
        pvcs.append(pvc)
    nodes = [{
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": f"ip-10-0-{i}-10.ec2.internal",
                     "labels": {"topology.kubernetes.io/zone": ZONES[i % 3]}},
        "status": {"conditions": [_cond("Ready", "True", "KubeletReady")]},
    } for i in range(3)]
    nginx = {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "nginx-ingress-controller", "namespace": NGINX_NS,
                          "generation": 1},
             "spec": {"replicas": 2},
             "status": {"replicas": 2, "readyReplicas": 2,
                        "conditions": [_cond("Available", "True")]}}
    tgb = {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding",
           "metadata": {"name": "nginx-ingress-edge", "namespace": NGINX_NS, "generation": 1},
           "spec": {"serviceRef": {"name": "nginx-ingress-controller", "port": 80},
                    "targetGroupARN": TG_ARN, "targetType": "ip"},
           "status": {"observedGeneration": 1}}
    return {
        "get nodes -": _list(nodes),
        f"get deployments {namespace}": _list(deployments),
        f"get horizontalpodautoscalers {namespace}": _list(hpas),
        f"get persistentvolumeclaims {namespace}": _list(pvcs),
        f"get pods {namespace}": _list(pods),
        f"get deployments {NGINX_NS}": _list([nginx]),
        f"get pods {NGINX_NS}": _list([]),
        f"get targetgroupbindings.elbv2.k8s.aws {NGINX_NS}": _list([tgb]),
        f"get job {namespace}": {"apiVersion": "batch/v1", "kind": "Job",
                                 "status": {"succeeded": 1}},
        f"logs {namespace}": "TUTOR-EKS-PROBE " + json.dumps({
            "mysql": ["ok", "MySQL 8.4.3, TLS TLSv1.3"],
            "mongodb": ["ok", "ping ok, TLS True"],
            "redis": ["ok", "PING ok, SSLConnection"],
            "meilisearch": ["ok", "health available"],
        }) + "\n",
    }


def broken_cluster(rendered: list[dict[str, t.Any]], namespace: str = "openedx") -> dict[str, t.Any]:
    """The failing cases: the lms HPA reads no metric (`<unknown>`), a cms pod is in
    CrashLoopBackOff, the media claim is Pending."""
    responses = healthy_cluster(rendered, namespace)
    for hpa in responses[f"get horizontalpodautoscalers {namespace}"]["items"]:
        if hpa["metadata"]["name"] == "lms":
            hpa["status"].pop("currentMetrics")
            hpa["status"]["conditions"][1] = _cond("ScalingActive", "False",
                                                   "FailedGetResourceMetric")
    pod = next(p for p in responses[f"get pods {namespace}"]["items"]
               if p["metadata"]["name"].startswith("cms-"))
    pod["status"]["containerStatuses"][0].update(
        ready=False, restartCount=7,
        state={"waiting": {"reason": "CrashLoopBackOff",
                           "message": "back-off 5m0s restarting failed container"}})
    for pvc in responses[f"get persistentvolumeclaims {namespace}"]["items"]:
        pvc["status"] = {"phase": "Pending"}
    return responses

