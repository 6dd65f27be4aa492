"""`tutor eks scale <deployment> --min N --max M`: change the autoscaling bounds.

The Open edX Deployments carry no replica count: their HorizontalPodAutoscaler owns it,
so `tutor k8s scale lms 5` (a replica count) is undone by the HPA within a minute. This
command changes what the HPA works within instead: it validates the new bounds like
`tutor config save` does (range, min <= max) plus the capacity policy of `tutor eks
check` (the maxima must fit the profile's node group and the RDS connections), patches
the live HPA with `kubectl patch`, and only then writes EKS_<DEPLOYMENT>_{MIN,MAX}_REPLICAS
into config.yml and re-renders env/, so that the next `tutor k8s start` applies the same
bounds. `--config-only` skips the cluster (before the first `tutor k8s start`).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import typing as t
from pathlib import Path

import click
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import exceptions, fmt, serialize

from .. import config as eks_config
from .. import tools
from ..settings.validators import whole_number
from ..settings.workloads import WORKLOADS

DEPLOYMENTS = tuple(w.deployment for w in WORKLOADS)


def _keys(deployment: str) -> tuple[str, str]:
    prefix = next(w.prefix for w in WORKLOADS if w.deployment == deployment)
    return f"EKS_{prefix}_MIN_REPLICAS", f"EKS_{prefix}_MAX_REPLICAS"


def _check_capacity(user_config: dict[str, t.Any]) -> list[str]:
    """The capacity policy on a throw-away render of the new config."""
    from ..policies import capacity
    from ..render import kustomize

    with tempfile.TemporaryDirectory(prefix="tutor-eks-scale-") as scratch:
        source, work_root = f"{scratch}/config", f"{scratch}/render"
        # Written directly: save_config_file would announce a file nobody needs to see.
        path = Path(tutor_config.config_path(source))
        path.parent.mkdir(parents=True)
        with path.open("w", encoding="utf-8") as handle:
            serialize.dump(user_config, handle)
        rendered = kustomize.render_copy(source, work_root)
        objects = kustomize.kustomize(work_root)
    return capacity.node_capacity(objects, rendered) + capacity.mysql_connections(
        objects, rendered
    )


def _patch_live_hpa(namespace: str, name: str, low: int, high: int) -> None:
    kubectl = tools.kubectl()
    patch = json.dumps({"spec": {"minReplicas": low, "maxReplicas": high}})
    result = subprocess.run(
        [kubectl, "patch", "horizontalpodautoscaler", name, "--namespace", namespace,
         "--type", "merge", "--patch", patch],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        # kubectl's last line says what went wrong; the lines before repeat client retries.
        lines = (result.stderr.strip() or result.stdout.strip()).splitlines() or ["no output"]
        raise exceptions.TutorError(
            f"kubectl patch horizontalpodautoscaler/{name} in namespace {namespace} failed: "
            f"{lines[-1]} Nothing was changed. Check "
            "that kubectl reaches the cluster, or pass --config-only and run "
            "`tutor k8s start` later."
        )
    fmt.echo_info(result.stdout.strip())


@click.command(
    help=f"Set the autoscaling bounds of an Open edX Deployment ({', '.join(DEPLOYMENTS)}): "
    "validate them, patch the live HorizontalPodAutoscaler, save them "
    "in config.yml. Use this instead of `tutor k8s scale`, which the HPA undoes."
)
@click.argument("deployment", type=click.Choice(DEPLOYMENTS))
@click.option("--min", "low", type=int, help="Fewest pods the HPA keeps.")
@click.option("--max", "high", type=int, help="Most pods the HPA starts.")
@click.option("--config-only", is_flag=True,
              help="Only write config.yml and env/; leave the cluster alone.")
@click.pass_obj
def scale(context: t.Any, deployment: str, low: t.Optional[int], high: t.Optional[int],
          config_only: bool) -> None:
    if low is None and high is None:
        raise exceptions.TutorError(
            f"tutor eks scale {deployment}: give --min, --max or both "
            f"(for a fixed count, --min N --max N)."
        )
    root = context.root
    user_config = tutor_config.get_user(root)
    full = tutor_config.load_full(root)
    if deployment == "mfe" and "mfe" not in full.get("PLUGINS", []):
        raise exceptions.TutorError(
            "tutor eks scale mfe: the mfe plugin is not enabled, so there is no mfe "
            "Deployment. Run `tutor plugins enable mfe` first."
        )
    keda = f"K8S_{deployment.upper().replace('-', '_')}_KEDA_ENABLE"
    if "k8s" in full.get("PLUGINS", []) and full.get(keda):
        raise exceptions.TutorError(
            f"tutor eks scale {deployment}: {keda} is on, so KEDA (tutor-k8s) scales it and "
            "the eks plugin renders no HPA for it. Change the KEDA settings instead."
        )
    min_key, max_key = _keys(deployment)
    new = dict(user_config)
    if low is not None:
        new[min_key] = low
    if high is not None:
        new[max_key] = high
    eks_config.raise_on_problems(eks_config.full_config_from_user(new))
    over = _check_capacity(new)
    if over:
        raise exceptions.TutorError("\n".join(over))
    rendered = eks_config.full_config_from_user(new)
    bounds = (whole_number(rendered[min_key]), whole_number(rendered[max_key]))
    if not config_only:
        _patch_live_hpa(str(full["K8S_NAMESPACE"]), deployment, *bounds)
    tutor_config.save_config_file(root, new)
    tutor_env.save(root, tutor_config.load_full(root))
    fmt.echo_info(
        f"{deployment}: the HorizontalPodAutoscaler keeps {bounds[0]} to {bounds[1]} pods "
        f"({min_key}={bounds[0]}, {max_key}={bounds[1]} saved in config.yml)."
    )
