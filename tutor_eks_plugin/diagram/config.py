"""The config a diagram or estimate is drawn from: a Tutor root's, or a canonical one.

The canonical config (Tutor's and the plugin's defaults, the profile, example
hosts) is what the README pictures and docs/cost.md show, so they do not depend
on anybody's config.yml or on which other plugins are installed.
"""

from __future__ import annotations

import typing as t

from ..render import routes

# The hosts the README pictures show (example.com is reserved for documentation).
EXAMPLE = {
    "LMS_HOST": "learn.example.com",
    "CMS_HOST": "studio.learn.example.com",
    "MFE_HOST": "apps.learn.example.com",
}


def caddy_patches(config: dict[str, t.Any]) -> dict[str, str]:
    """The Caddyfile patches of the enabled plugins: where their public hosts come from."""
    from tutor.env import Renderer

    renderer = Renderer(config)
    return {name: renderer.patch(name) for name in routes.CADDY_PATCHES}


def from_root(root: str) -> dict[str, t.Any]:
    from tutor import config as tutor_config

    return tutor_config.load(root)


def canonical(profile: str, **overrides: t.Any) -> dict[str, t.Any]:
    """Defaults of Tutor and of the enabled plugins, with the profile and example hosts."""
    from tutor import config as tutor_config
    from tutor import hooks, plugins

    if not plugins.is_loaded("eks"):
        hooks.Actions.CORE_READY.do()
        plugins.load("eks")
    config = tutor_config.get_base()
    tutor_config.update_with_defaults(config)
    config.update({**EXAMPLE, "EKS_PROFILE": profile, **overrides})
    tutor_config.render_full(config)
    return config
