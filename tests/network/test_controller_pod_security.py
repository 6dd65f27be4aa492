"""Stage 2 labels the NGINX controller's namespace Pod Security `restricted`: the F5 chart,
rendered offline with the stack's own values, gives pods that meet it."""

from __future__ import annotations

from pathlib import Path

from tests.charts import hcl_eval, stack
from tests.charts.render import render
from tutor_eks_plugin.policies.network import _restricted_problems


def test_nginx_namespace_enforces_restricted_and_the_controller_meets_it(
    tmp_path: Path,
) -> None:
    loaded = stack.load()
    namespace = next(b for b in loaded.blocks if b.kind == "resource"
                     and b.labels == ["kubernetes_namespace_v1", "nginx"])
    (metadata,) = [b for b in namespace.blocks if b.kind == "metadata"]
    labels = hcl_eval._configured(metadata, loaded.scope)["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"

    rendered = render(loaded.releases()["nginx_ingress"], tmp_path)
    pods = [o for o in rendered.objects
            if o.get("kind") in ("Deployment", "DaemonSet", "StatefulSet", "Job")]
    assert pods, "the nginx-ingress chart rendered no workload"
    for obj in pods:
        assert _restricted_problems(obj["spec"]["template"]["spec"]) == [], obj["metadata"]
