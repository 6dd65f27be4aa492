"""Make `tutor k8s init`, `tutor k8s do` and `tutor k8s launch` work without Caddy.

Tutor's DO_JOB callback (tutor/commands/k8s.py) waits for a Deployment named caddy
before every job, and fails with "no matching resources found" once this plugin has
removed it. The callback is created inside the `do` command, so a plugin cannot
remove it through hooks; it looks up `wait_for_deployment_ready` in its module at
call time, so wrapping that one function is enough. Every other wait (and every
wait when the plugin is disabled) goes through unchanged.
"""

from __future__ import annotations

import typing as t

from tutor import fmt
from tutor import plugins as tutor_plugins

from .config import PLUGIN_NAME

# Deployments this plugin removes from the render and Tutor may still wait for.
NOT_DEPLOYED = {"caddy"}


def register() -> None:
    from tutor.commands import k8s as tutor_k8s

    original = tutor_k8s.wait_for_deployment_ready
    if getattr(original, "_eks_wrapped", False):
        return

    def wait_for_deployment_ready(config: dict[str, t.Any], service: str) -> None:
        if service in NOT_DEPLOYED and tutor_plugins.is_loaded(PLUGIN_NAME):
            fmt.echo_info(
                f"Not waiting for a {service} deployment: the eks plugin routes traffic "
                "through the NGINX Ingress Controller instead."
            )
            return
        original(config, service)

    wait_for_deployment_ready._eks_wrapped = True  # type: ignore[attr-defined]
    tutor_k8s.wait_for_deployment_ready = wait_for_deployment_ready
