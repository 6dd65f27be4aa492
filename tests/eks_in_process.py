"""Load the eks plugin inside this test process, and take every hook it added away again.

`import tutor_eks_plugin.plugin` outside a hooks context leaves its callbacks (the EKS_*
defaults, the Meilisearch route of INGRESS_ROUTES, the patches) in Tutor's global
filters for the rest of the run, where they reach tests that build routes from a partial
config. Tutor loads a plugin inside the context `app:<name>` and `tutor plugins disable`
clears that context; this does the same. The module is imported afresh on the way in
and forgotten on the way out, so that a later `tutor.plugins.load("eks")` (which imports
the module to register its hooks) registers them again instead of finding it cached.

Tutor keeps the patches of the loaded plugins in a cache (`tutor.plugins._env_patches`,
a `hooks.lru_cache`) that it clears when a plugin loads or unloads through its actions;
this context does not fire those actions (they also write config and env), so it clears
that cache itself on the way in and out: a render after the block must not see the
plugin's patches without its template roots.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
import typing as t
from pathlib import Path

from tutor import hooks

MODULE = "tutor_eks_plugin.plugin"
CONTEXT = hooks.Contexts.app("eks")


@contextlib.contextmanager
def eks_plugin_in_process(mark_loaded: bool = False) -> t.Iterator[None]:
    """The plugin's hooks while the block runs; ``mark_loaded`` also makes
    `tutor.plugins.is_loaded("eks")` true (the wrappers of tutor_internals act then)."""
    unload_eks_plugin()
    with hooks.Contexts.PLUGINS.enter(), CONTEXT.enter():
        importlib.import_module(MODULE)
        if mark_loaded:
            hooks.Filters.PLUGINS_LOADED.add_item("eks")
    from tutor import plugins

    plugins._env_patches.cache_clear()
    try:
        yield
    finally:
        unload_eks_plugin()


def unload_eks_plugin() -> None:
    """Unload the plugin as `tutor plugins disable` does, and forget its module."""
    from tutor import plugins

    hooks.clear_all(context=CONTEXT.name)
    sys.modules.pop(MODULE, None)
    plugins._env_patches.cache_clear()


def config_save_set(root: str | Path, settings: t.Mapping[str, t.Any]) -> str:
    """`tutor config save --set KEY=VALUE ...` up to the write of config.yml, in this
    process and with the plugin loaded as Tutor loads it: Tutor's load_minimal, each
    value given as the CLI gets it (JSON text, which is YAML) parsed and rendered as
    Tutor's command does, then the save_config_file that the eks plugin guards. Returns
    the message of the TutorError that `tutor` would print after "Error: " (then exit 1),
    or "" when config.yml was saved. The env is not rendered (the CLI renders it only
    after a successful save). For the tests of many bad values: the real CLI (exit code,
    stderr, no traceback) is run for some of them in each file."""
    from tutor import config as tutor_config
    from tutor import env as tutor_env
    from tutor import exceptions, serialize

    with eks_plugin_in_process(mark_loaded=True):
        config = tutor_config.load_minimal(str(root))
        for key, value in settings.items():
            config[key] = tutor_env.render_unknown(config, serialize.parse(json.dumps(value)))
        try:
            tutor_config.save_config_file(str(root), config)
        except exceptions.TutorError as e:
            return str(e)
    return ""
