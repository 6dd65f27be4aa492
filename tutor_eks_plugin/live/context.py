"""Everything a live check may look at, gathered once per run.

A check receives this object and asks it for what it needs: the Tutor config, the
Terraform outputs of both stages, the objects the config renders, a boto3 client, a
kubectl call, an HTTPS connection honouring --resolve. Tests give it moto's endpoint,
a stubbed client, or a kubectl stand-in on PATH; the checks do not know the difference.
"""

from __future__ import annotations

import json
import subprocess
import typing as t
from dataclasses import dataclass, field

from .. import tools
from .resolve import Resolver

Outputs = dict[str, t.Any]  # output name -> value (null outputs left out)


class KubectlError(Exception):
    """kubectl exited non-zero; the message is its stderr."""


@dataclass
class Target:
    config: dict[str, t.Any]
    outputs: dict[str, Outputs]  # stage name ("aws", "cluster") -> outputs
    resolver: Resolver = field(default_factory=Resolver)
    cacert: t.Optional[str] = None  # CA bundle for the HTTPS checks (default: system)
    timeout: float = 10.0
    render: t.Callable[[], list[dict[str, t.Any]]] = lambda: []
    # (service, region) -> client; filled lazily, or in advance by tests (Stubber).
    clients: dict[tuple[str, str], t.Any] = field(default_factory=dict)
    _rendered: t.Optional[list[dict[str, t.Any]]] = None
    _kubectl: t.Optional[str] = None

    # -- Tutor side ---------------------------------------------------------------
    @property
    def namespace(self) -> str:
        return str(self.config["K8S_NAMESPACE"])

    @property
    def production(self) -> bool:
        return self.config.get("EKS_PROFILE") == "production"

    @property
    def region(self) -> str:
        return str(self.output("aws", "region") or self.config.get("EKS_AWS_REGION", "us-east-1"))

    def rendered(self, kind: t.Optional[str] = None) -> list[dict[str, t.Any]]:
        """The objects `tutor k8s start` would apply with this config (rendered once)."""
        if self._rendered is None:
            self._rendered = self.render()
        return [o for o in self._rendered if kind is None or o.get("kind") == kind]

    def output(self, stage: str, name: str) -> t.Any:
        return self.outputs.get(stage, {}).get(name)

    # -- AWS ----------------------------------------------------------------------
    def client(self, service: str, region: t.Optional[str] = None) -> t.Any:
        key = (service, region or self.region)
        if key not in self.clients:
            import boto3  # heavy: only when a check talks to AWS

            self.clients[key] = boto3.client(service, region_name=key[1])
        return self.clients[key]

    # -- Kubernetes -----------------------------------------------------------------
    def kubectl(self, *args: str, stdin: t.Optional[str] = None, timeout: float = 60) -> str:
        if self._kubectl is None:
            self._kubectl = tools.kubectl()
        result = subprocess.run(
            [self._kubectl, *args], capture_output=True, text=True, input=stdin,
            timeout=timeout, check=False,
        )
        if result.returncode != 0:
            raise KubectlError(
                result.stderr.strip() or f"kubectl {args[0]} exited {result.returncode}"
            )
        return result.stdout

    def kube_items(self, kind: str, namespace: t.Optional[str] = None) -> list[dict[str, t.Any]]:
        """`kubectl get KIND -o json` in the namespace (the Open edX one by default)."""
        args = ["get", kind, "--output", "json"]
        if namespace != "":
            args += ["--namespace", namespace or self.namespace]
        return list(json.loads(self.kubectl(*args) or "{}").get("items", []))
