"""Notices said once, where they matter, instead of on every command.

Tutor 22 warns on every config load that RUN_MEILISEARCH=false while MEILISEARCH_URL
still has its default (`tutor.config._check_meilisearch_url`, a CONFIG_LOADED action).
With the eks plugin RUN_MEILISEARCH is always false and MEILISEARCH_URL is filled in by
`tutor eks infra apply`, so a new user meets that paragraph on every `tutor config
save`, `tutor plugins list`... before there is anything to do about it. Tutor has no
hook to silence one of its own actions: this module takes Tutor's callback off
CONFIG_LOADED and says the same thing itself, once per command, in:

- `tutor eks check` and `tutor k8s start` (the render would point Open edX at a host
  that does not exist);
- `tutor eks infra apply`, after the apply, if the outputs did not set it.

When Tutor no longer has that function (or changed it), nothing is taken off: the
warning is Tutor's to give again.
"""

from __future__ import annotations

import inspect
import sys
import typing as t

import click
from tutor import config as tutor_config
from tutor import fmt, hooks

# Commands (path below `tutor`) that warn when the config they load still has it.
WARN_ON_LOAD = (("eks", "check"), ("k8s", "start"))
# Commands that warn when they end and the config still has it.
WARN_AFTER = (("eks", "infra", "apply"),)

_said: set[str] = set()


def _tutor_check() -> t.Optional[t.Callable[..., t.Any]]:
    check = getattr(tutor_config, "_check_meilisearch_url", None)
    if check is None or list(inspect.signature(check).parameters) != ["config"]:
        return None
    return check


def default_url() -> str:
    return str(getattr(tutor_config, "MEILISEARCH_URL_DEFAULT", "http://meilisearch:7700"))


def meilisearch_message() -> str:
    return (
        f"MEILISEARCH_URL is still Tutor's default {default_url()!r}, a host that does not "
        "exist with the eks plugin (Meilisearch runs outside the cluster). `tutor eks infra "
        "apply` sets it from stage 1; with your own Meilisearch run `tutor config save "
        "--set MEILISEARCH_URL=http://<private address>:7700`."
    )


def _unset(config: dict[str, t.Any]) -> bool:
    return str(config.get("MEILISEARCH_URL", "")) == default_url()


def _say_once() -> None:
    if "meilisearch" not in _said:
        _said.add("meilisearch")
        fmt.echo_alert(meilisearch_message())


def _command_path() -> tuple[str, ...]:
    context = click.get_current_context(silent=True)
    return tuple(context.command_path.split()[1:]) if context else ()


def on_config_loaded(config: dict[str, t.Any]) -> None:
    from .config import problems

    path = _command_path()
    if path not in WARN_ON_LOAD + WARN_AFTER or problems(config):
        return  # a config with a problem stops the command: its message is the only one
    if path in WARN_ON_LOAD and _unset(config):
        _say_once()
    elif path in WARN_AFTER and "after" not in _said:
        _said.add("after")
        context = click.get_current_context()
        root = getattr(context.find_root().obj, "root", None)
        if root:
            context.call_on_close(lambda: _after(root))


def _after(root: str) -> None:
    if sys.exc_info()[0] is not None:
        return  # the command failed (click closes the context while it unwinds): its
        # own message is the only one
    # The config as the apply left it, defaults included (MEILISEARCH_URL is a Tutor
    # default), without firing CONFIG_LOADED again.
    config = tutor_config.get_user(root)
    tutor_config.update_with_base(config)
    tutor_config.update_with_defaults(config)
    tutor_config.render_full(config)
    if _unset(config):
        _say_once()


def register() -> None:
    """Swap Tutor's every-command warning for ``on_config_loaded``."""
    check = _tutor_check()
    if check is None:
        return
    action = hooks.Actions.CONFIG_LOADED
    action.callbacks = [c for c in action.callbacks if c.func is not check]
    action.add()(on_config_loaded)
