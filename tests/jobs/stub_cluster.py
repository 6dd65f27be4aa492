"""Test doubles for a Kubernetes cluster: there is no cluster (and no API server binary)
on the machines that run these tests.

- ``install_stub_kubectl`` writes a `kubectl` script that records every call. It hands
  `kubectl kustomize` and `kubectl version` to the real kubectl (Tutor renders its jobs
  with it), and answers the rest the way a cluster where jobs complete would:
  `wait` succeeds only for Deployments the stub cluster runs and otherwise fails like
  the real kubectl ("error: no matching resources found", exit 1).
- ``StubJobsApi`` is a minimal HTTP server on 127.0.0.1 for the two Jobs list calls of
  Tutor's K8sTaskRunner (made with the kubernetes Python client, not kubectl): no job
  is active, and every job asked for by name has succeeded.
"""

from __future__ import annotations

import json
import sys
import threading
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

STUB = r'''#!{python}
import json, os, sys
args = sys.argv[1:]
entry = {{"args": args}}
real = {real!r}
if args[:1] == ["apply"] and "-f" in args:
    with open(args[args.index("-f") + 1], encoding="utf-8") as manifest:
        entry["manifest"] = manifest.read()
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(entry) + "\n")
if args[:1] in (["kustomize"], ["version"]):
    os.execv(real, [real, *args])
if args[:1] == ["wait"]:
    selector = next(a.split("=", 1)[1] for a in args if a.startswith("--selector="))
    labels = dict(pair.split("=", 1) for pair in selector.split(","))
    name = labels.get("app.kubernetes.io/name")
    if name in {deployments!r}:
        print(f"deployment.apps/{{name}} condition met")
        sys.exit(0)
    print("error: no matching resources found", file=sys.stderr)
    sys.exit(1)
if args[:1] == ["get"]:
    if "json" in args:
        with open({objects!r}, encoding="utf-8") as objects:
            print(objects.read())
    else:
        print("NAME      STATUS   AGE\nopenedx   Active   1d")
    sys.exit(0)
if args[:1] == ["delete"]:
    for ref in args[1:]:
        if "/" in ref and not ref.startswith("-"):
            print(ref.replace("/", " ", 1).split()[0] + ' "' + ref.split("/", 1)[1] + '" deleted')
    sys.exit(0)
if args[:1] == ["apply"]:
    print("applied")
    sys.exit(0)
print("stub kubectl: unexpected call " + " ".join(args), file=sys.stderr)
sys.exit(2)
'''


def install_stub_kubectl(
    bin_dir: Path,
    real_kubectl: str,
    deployments: t.Iterable[str] = (),
    objects: t.Sequence[dict[str, t.Any]] = (),
) -> tuple[Path, Path]:
    """Write bin_dir/kubectl; return (its path, the call log)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    log = bin_dir / "kubectl-calls.jsonl"
    log.write_text("")
    objects_file = bin_dir / "cluster-objects.json"
    objects_file.write_text(json.dumps({"apiVersion": "v1", "kind": "List",
                                        "items": list(objects)}))
    script = bin_dir / "kubectl"
    script.write_text(STUB.format(python=sys.executable, real=real_kubectl, log=str(log),
                                  deployments=sorted(deployments), objects=str(objects_file)))
    script.chmod(0o755)
    return script, log


def calls(log: Path) -> list[dict[str, t.Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if not url.path.startswith("/apis/batch/v1/namespaces/") or not url.path.endswith(
            "/jobs"
        ):
            self.send_error(404)
            return
        items = []
        for selector in query.get("fieldSelector", []):
            if selector.startswith("metadata.name="):
                name = selector.split("=", 1)[1]
                items.append({"metadata": {"name": name}, "status": {"succeeded": 1}})
        body = json.dumps({"apiVersion": "batch/v1", "kind": "JobList",
                           "metadata": {}, "items": items}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: t.Any) -> None:
        """Quiet: the test reads `requests` instead."""


class StubJobsApi:
    """The Jobs API of a cluster where every job has completed, on 127.0.0.1."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[str]:
        return self.server.requests  # type: ignore[attr-defined]

    def __enter__(self) -> StubJobsApi:
        self.thread.start()
        return self

    def __exit__(self, *exc: t.Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def kubeconfig(self, path: Path, namespace: str) -> Path:
        port = self.server.server_address[1]
        path.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters:\n- name: stub\n  cluster:\n    server: http://127.0.0.1:{port}\n"
            "users:\n- name: stub\n  user:\n    token: stub-token\n"
            f"contexts:\n- name: stub\n  context:\n    cluster: stub\n    user: stub\n"
            f"    namespace: {namespace}\n"
            "current-context: stub\n"
        )
        return path
