"""Hook registration for the `eks` Tutor plugin. Logic lives in the other modules."""

from __future__ import annotations

import os
from importlib import resources

from tutor import hooks

from . import config, jobs, notices
from .commands import eks_command
from .hooks import INGRESS_ROUTES
from .render import routes, secrets, settings_patches
from .settings import datastores, media, search

# Configuration: EKS_* defaults, and the Tutor keys this plugin owns while it is
# enabled (applied when the config loads; gone again after `tutor plugins disable eks`).
hooks.Filters.CONFIG_DEFAULTS.add_items(config.defaults())
hooks.Filters.CONFIG_OVERRIDES.add_items(config.OVERRIDES)
config.guard_config_loads()
config.guard_config_writes()
# Tutor's MEILISEARCH_URL warning, said where it matters instead of on every command.
notices.register()

# Templates: rendered into env/plugins/eks/.
hooks.Filters.ENV_TEMPLATE_ROOTS.add_item(os.path.join(os.path.dirname(__file__), "templates"))
hooks.Filters.ENV_TEMPLATE_TARGETS.add_items([("eks", "plugins")])
# Partials are included by the patches, never written to env/ on their own.
hooks.Filters.ENV_PATTERNS_IGNORE.add_item("eks/partials/")
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items([("eks_ingresses", routes.ingresses_for_template)])
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(datastores.TEMPLATE_VARIABLES)
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(media.TEMPLATE_VARIABLES)
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(settings_patches.TEMPLATE_VARIABLES)
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(secrets.TEMPLATE_VARIABLES)

# Routes: the public Meilisearch host goes through the ingress to the external server.
INGRESS_ROUTES.add()(search.meilisearch_route)

# Patches: one file per Tutor patch name, from the top-level patches/ folder.
for _patch in resources.files("tutor_eks_plugin.patches").iterdir():
    if _patch.is_file() and not _patch.name.startswith((".", "__")):
        hooks.Filters.ENV_PATCHES.add_item((_patch.name, _patch.read_text(encoding="utf-8")))

# Other plugins' Django services: Redis/MySQL/MongoDB wiring in each settings patch,
# after the plugins' own items.
hooks.Filters.ENV_PATCHES.add(priority=hooks.priorities.LOW)(settings_patches.add_wiring)

# Jobs: `tutor k8s init/do` must not wait for the Caddy deployment we removed.
jobs.register()

# CLI: `tutor eks ...`
hooks.Filters.CLI_COMMANDS.add_item(eks_command)
