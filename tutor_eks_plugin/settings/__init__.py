"""Declarative EKS_* settings: name, default, what is allowed, and why it exists.

Each concern (ingress, workloads, data stores, infra, ...) lists its settings in a
module of this package. ``tutor_eks_plugin.config`` gathers them into Tutor's
CONFIG_DEFAULTS and validates a loaded config against them; the README's config
table is generated from the same list, so the docs cannot drift from the code.

This module holds the table's types (``Setting``, ``Rule``, ``PREFIX``); what a value
may be is said by the validators in ``settings/validators.py``.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from .validators import Validator

PREFIX = "EKS_"


@dataclass(frozen=True)
class Setting:
    """One EKS_* config key. ``name`` is written without the prefix."""

    name: str
    default: t.Any
    validator: Validator
    help: str

    @property
    def key(self) -> str:
        return PREFIX + self.name


# A cross-key rule: takes the full config, returns problems as sentences.
Rule = t.Callable[[dict[str, t.Any]], list[str]]
