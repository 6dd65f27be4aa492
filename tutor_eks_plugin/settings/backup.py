"""Backups (terraform/modules/backup, `tutor eks backup|restore`)."""

from __future__ import annotations

import typing as t

from . import Rule, Setting
from .infra import REGION_RE
from .validators import Pattern

SETTINGS: list[Setting] = [
    Setting(
        "BACKUP_COPY_REGION",
        "",
        Pattern(REGION_RE, "an AWS region code such as 'eu-central-1' or '' (no copy)", True),
        "Second region that receives a copy of every daily and monthly AWS Backup "
        "recovery point (its own vault and KMS key there). '' makes no copy.",
    ),
]


def _copy_region_rule(config: dict[str, t.Any]) -> list[str]:
    copy, region = config.get("EKS_BACKUP_COPY_REGION"), config.get("EKS_AWS_REGION")
    if copy and copy == region:
        return [
            f"EKS_BACKUP_COPY_REGION={copy!r} is the deployment's own region "
            "(EKS_AWS_REGION): a copy there does not survive a regional outage; choose "
            "another region or '' for no copy."
        ]
    return []


RULES: list[Rule] = [_copy_region_rule]
