"""Hook registration for the `eks` Tutor plugin. Logic lives in the other modules.

Tutor imports this module on every command, `tutor --help` included. Everything that
costs (the settings tables, the render helpers, the patch files) is registered through
callbacks that import it when Tutor first asks: loading the config, rendering, or
running a `tutor eks` command. bench/bench_startup.py measures the result.
"""

from __future__ import annotations

import importlib
import os
import typing as t
from importlib import resources

from tutor import hooks

from . import notices, tutor_internals
from .commands import eks_command
from .hooks import INGRESS_ROUTES

# (module, attribute) of every list of template variables the plugin provides.
TEMPLATE_VARIABLE_SOURCES: tuple[tuple[str, str], ...] = (
    ("render.routes", "TEMPLATE_VARIABLES"),
    ("render.datastores", "TEMPLATE_VARIABLES"),
    ("render.media", "TEMPLATE_VARIABLES"),
    ("render.settings_patches", "TEMPLATE_VARIABLES"),
    ("render.network_policies", "TEMPLATE_VARIABLES"),
    ("render.secrets", "TEMPLATE_VARIABLES"),
    ("workloads.template", "TEMPLATE_VARIABLES"),
)


def _load(module: str, attribute: str) -> t.Any:
    return getattr(importlib.import_module(f"{__package__}.{module}"), attribute)


# Configuration: EKS_* defaults, and the Tutor keys this plugin owns while it is
# enabled (applied when the config loads; gone again after `tutor plugins disable eks`).
@hooks.Filters.CONFIG_DEFAULTS.add()
def _defaults(items: list[tuple[str, t.Any]]) -> list[tuple[str, t.Any]]:
    return items + _load("config", "defaults")()


@hooks.Filters.CONFIG_OVERRIDES.add()
def _overrides(items: list[tuple[str, t.Any]]) -> list[tuple[str, t.Any]]:
    return items + list(_load("config", "OVERRIDES"))


# Validation before config.yml is written and after every load, the Caddy-less job
# waits, and a cheaper render of the plugin's own defaults: Tutor has no hook for
# these, so the functions are wrapped, all in one module.
tutor_internals.install(
    lambda config: _load("config", "raise_on_problems")(config),
    lambda user_config: _load("config", "full_config_from_user")(user_config),
)
# Tutor's MEILISEARCH_URL warning, said where it matters instead of on every command.
notices.register()

# Templates: rendered into env/plugins/eks/.
hooks.Filters.ENV_TEMPLATE_ROOTS.add_item(os.path.join(os.path.dirname(__file__), "templates"))
hooks.Filters.ENV_TEMPLATE_TARGETS.add_items([("eks", "plugins")])
# Partials are included by the patches, never written to env/ on their own.
hooks.Filters.ENV_PATTERNS_IGNORE.add_item("eks/partials/")


# Tutor iterates the template variables for every Renderer it builds (one per config
# string it renders): the modules are looked up once, on the first render.
_template_variable_items: list[tuple[str, t.Any]] = []


@hooks.Filters.ENV_TEMPLATE_VARIABLES.add()
def _template_variables(items: list[tuple[str, t.Any]]) -> list[tuple[str, t.Any]]:
    if not _template_variable_items:
        for module, attribute in TEMPLATE_VARIABLE_SOURCES:
            _template_variable_items.extend(_load(module, attribute))
    return items + _template_variable_items


# Routes: the public Meilisearch host goes through the ingress to the external server.
@INGRESS_ROUTES.add()
def _meilisearch_route(
    routes: list[dict[str, t.Any]], config: dict[str, t.Any]
) -> list[dict[str, t.Any]]:
    return _load("render.search", "meilisearch_route")(routes, config)


# Patches: one file per Tutor patch name, from the top-level patches/ folder, read the
# first time Tutor renders.
_patch_files: list[tuple[str, str]] = []


@hooks.Filters.ENV_PATCHES.add()
def _patches(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if not _patch_files:
        for patch in sorted(resources.files("tutor_eks_plugin.patches").iterdir(),
                            key=lambda p: p.name):
            if patch.is_file() and not patch.name.startswith((".", "__")):
                _patch_files.append((patch.name, patch.read_text(encoding="utf-8")))
    return items + _patch_files


# Other plugins' Django services: Redis/MySQL/MongoDB wiring in each settings patch,
# after the plugins' own items.
@hooks.Filters.ENV_PATCHES.add(priority=hooks.priorities.LOW)
def _wiring(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return _load("render.settings_patches", "add_wiring")(items)


# CLI: `tutor eks ...`
hooks.Filters.CLI_COMMANDS.add_item(eks_command)
