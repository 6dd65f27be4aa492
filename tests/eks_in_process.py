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
import sys
import typing as t

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
