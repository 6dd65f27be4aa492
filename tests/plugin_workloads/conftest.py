"""One render shared by the module's tests: eks with mfe, notes, credentials, discovery,
xqueue and a third-party plugin written here (acme: a Deployment behind a Service and a
Caddy route, and a worker Deployment without a route)."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from tutor_cli import Rendered, render

PLUGINS = ("eks", "mfe", "notes", "credentials", "discovery", "xqueue", "acme")
# Discovery's search on the operator's own search server (its in-cluster
# Elasticsearch is removed by the eks plugin; tutor-discovery's URL carries no password,
# so not the managed OpenSearch domain, which requires one).
SETTINGS: dict[str, t.Any] = {
    "DISCOVERY_RUN_ELASTICSEARCH": False,
    "DISCOVERY_ELASTICSEARCH_HOST": "search.internal.example.com",
    "DISCOVERY_ELASTICSEARCH_SCHEME": "http",
    "DISCOVERY_ELASTICSEARCH_PORT": 9200,
}

# A third-party plugin as a user would write one (a single-file plugin in the Tutor
# plugins root): its web Deployment answers on container port 8080, which the
# Service's port 80 targets, and the Caddy route points at the Service.
ACME = '''
from tutor import hooks

hooks.Filters.ENV_PATCHES.add_items([
    ("k8s-deployments", """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: acme
  labels:
    app.kubernetes.io/name: acme
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: acme
  template:
    metadata:
      labels:
        app.kubernetes.io/name: acme
    spec:
      containers:
        - name: acme
          image: docker.io/example/acme:1.0.0
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: acme-worker
  labels:
    app.kubernetes.io/name: acme-worker
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: acme-worker
  template:
    metadata:
      labels:
        app.kubernetes.io/name: acme-worker
    spec:
      containers:
        - name: acme-worker
          image: docker.io/example/acme:1.0.0
          args: ["worker"]
"""),
    ("k8s-services", """
---
apiVersion: v1
kind: Service
metadata:
  name: acme
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: 8080
      protocol: TCP
  selector:
    app.kubernetes.io/name: acme
"""),
    ("caddyfile", """
acme.{{ LMS_HOST }}{$default_site_port} {
    import proxy "acme:80"
}
"""),
])
'''


@pytest.fixture(scope="module")
def all_plugins(tmp_path_factory: pytest.TempPathFactory, kubectl_bin: str) -> Rendered:
    root = tmp_path_factory.mktemp("plugin-workloads")
    plugins_root = root / ".plugins"
    plugins_root.mkdir()
    (plugins_root / "acme.py").write_text(ACME)
    return render(root, kubectl_bin, PLUGINS, SETTINGS,
                  env={"TUTOR_PLUGINS_ROOT": str(plugins_root)})


@pytest.fixture(scope="module")
def env_root(all_plugins: Rendered) -> Path:
    return all_plugins.root / "env"
