"""The two Terraform stages and the order they run in."""

from __future__ import annotations

import typing as t

from tutor import exceptions

from ..settings.infra import STAGES

AWS = "aws"
CLUSTER = "cluster"


def selected(config: dict[str, t.Any], only: t.Optional[str] = None) -> list[str]:
    """Stages to run, in apply order: ``--stage`` if given, else EKS_INFRA_STAGES."""
    configured = [s for s in STAGES if s in config.get("EKS_INFRA_STAGES", list(STAGES))]
    if only is None:
        return configured
    if only not in STAGES:
        raise exceptions.TutorError(f"Unknown stage {only!r}: use one of {', '.join(STAGES)}.")
    return [only]


def reverse(stages: list[str]) -> list[str]:
    """Destroy order: stage 2 (in-cluster) first, then the AWS resources it runs on."""
    return list(reversed(stages))
