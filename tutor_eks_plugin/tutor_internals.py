"""Every place where the plugin wraps a Tutor function instead of using a hook.

Tutor 22 has no hook for three things this plugin needs, so three module attributes
of Tutor are replaced by wrappers that call the original:

- ``tutor.config.save_config_file``: validate before config.yml is written (Tutor's
  CONFIG_LOADED fires only after the write), so a bad value never reaches disk;
- ``tutor.config.load_full``: validate every loaded config and stop with the plugin's
  own message (a raising CONFIG_LOADED callback would be wrapped in "Error applying
  action: func=<...>" by Tutor);
- ``tutor.commands.k8s.wait_for_deployment_ready``: `tutor k8s init/do/launch` wait
  for a Deployment named caddy before each job; the plugin removed Caddy. The DO_JOB
  callback is built inside the `do` command, so no hook can reach it, but it looks the
  function up in its module at call time.

and two are wrapped for speed:

- ``tutor.env.JinjaEnvironment.compile``: Tutor builds a new Jinja environment for each
  template target and for every string it renders, so one `tutor config save` compiles
  the same template source many times (the plugin's render-derived templates render
  Tutor's manifests again: 373 compiles of 197 distinct sources with the plugin). The
  wrapper keeps the compiled code of a source for the process and hands it to every
  environment whose compile-time inputs are the same (see ``_compile_inputs``);
- ``tutor.config.render_full``: Tutor renders every config value as a Jinja template,
  building a new Renderer (a deep copy of the whole config) for each string. The
  plugin's ~80 string defaults hold no template syntax, so rendering them returns
  them unchanged; the wrapper skips exactly those (``EKS_*`` keys whose strings
  cannot change under Jinja) and renders every other value as Tutor does, in Tutor's
  order. Measured by bench/bench_startup.py.

Each wrapper is a no-op while the plugin is not loaded, so `tutor plugins disable eks`
gives Tutor's own behaviour back. ``check_signatures`` runs before any wrapping: when a
Tutor release renames a function or changes its parameters, the plugin stops with a
message naming the function and the installed Tutor version instead of misbehaving.
tests/unit/test_tutor_internals.py runs these checks on the pinned Tutor.
"""

from __future__ import annotations

import inspect
import typing as t

from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import exceptions, fmt
from tutor import plugins as tutor_plugins
from tutor.__about__ import __version__ as tutor_version

PLUGIN_NAME = "eks"
PREFIX = "EKS_"

# Deployments this plugin removes from the render and Tutor may still wait for.
NOT_DEPLOYED = {"caddy"}

# (module path, function name, parameter names) of every Tutor function wrapped here.
WRAPPED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tutor.config", "save_config_file", ("root", "config")),
    ("tutor.config", "load_full", ("root",)),
    ("tutor.config", "render_full", ("config",)),
    ("tutor.commands.k8s", "wait_for_deployment_ready", ("config", "service")),
    ("tutor.env", "JinjaEnvironment.compile",
     ("self", "source", "name", "filename", "raw", "defer_init")),
)

_MARK = "_eks_wrapped"

# "module.function" -> the Tutor function as it was before wrapping (tests compare).
ORIGINALS: dict[str, t.Callable[..., t.Any]] = {}

Config = t.Dict[str, t.Any]


def _module(path: str) -> t.Any:
    import importlib

    return importlib.import_module(path)


def _lookup(owner: t.Any, dotted: str) -> t.Any:
    for part in dotted.split("."):
        owner = getattr(owner, part, None)
    return owner


def check_signatures(wrapped: t.Iterable[tuple[str, str, tuple[str, ...]]] = WRAPPED) -> None:
    """Fail with a clear message if a wrapped Tutor function moved or changed shape."""
    for module_path, name, expected in wrapped:
        function = _lookup(_module(module_path), name)
        if function is None:
            raise exceptions.TutorError(
                f"{module_path}.{name} does not exist in the installed tutor {tutor_version}: "
                "the eks plugin supports Tutor 22. Install a supported Tutor "
                "(pip install 'tutor>=22,<23') or disable the plugin (tutor plugins disable eks)."
            )
        found = tuple(inspect.signature(function).parameters)
        if found != expected:
            raise exceptions.TutorError(
                f"{module_path}.{name}({', '.join(found)}) no longer has the signature "
                f"{name}({', '.join(expected)}) of Tutor 22 (installed: tutor {tutor_version}): "
                "the eks plugin supports Tutor 22. Install a supported Tutor or disable the "
                "plugin (tutor plugins disable eks)."
            )


def _active() -> bool:
    return tutor_plugins.is_loaded(PLUGIN_NAME)


Wrapper = t.Callable[..., t.Any]


def _wrap(owner: t.Any, path: str, name: str, make: t.Callable[[Wrapper], Wrapper]) -> None:
    """Replace ``owner.name`` (a module's function or a class's method) by a wrapper."""
    original = getattr(owner, name)
    if getattr(original, _MARK, False):
        return  # already wrapped (the plugin module was imported twice)
    ORIGINALS[f"{path}.{name}"] = original
    wrapper = make(original)
    setattr(wrapper, _MARK, True)
    setattr(owner, name, wrapper)


# (source, name, filename, defer_init, compile-time inputs) -> compiled code.
_COMPILED: dict[tuple[t.Any, ...], t.Any] = {}
_COMPILED_MAX = 2048  # sources; a long-lived process (tests) starts over past this


def _callables_key(functions: dict[str, t.Any]) -> tuple[tuple[str, t.Any], ...]:
    # The compiler fails on an unknown filter or test and passes the context, eval
    # context or environment to one marked so: those two facts shape the code.
    return tuple(sorted((name, getattr(f, "jinja_pass_arg", None))
                        for name, f in functions.items()))


def _compile_inputs(environment: t.Any) -> tuple[t.Any, ...]:
    """What Jinja's lexer and code generator read from the environment (Jinja 3.1):
    options, extensions, and the names and pass-arguments of filters and tests."""
    return (
        type(environment), environment.is_async, environment.optimized,
        environment.autoescape, environment.finalize,
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks,
        environment.newline_sequence, environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        _callables_key(environment.filters), _callables_key(environment.tests),
    )


def unchanged_by_jinja(value: t.Any) -> bool:
    """True when Tutor's render_unknown would return ``value`` unchanged.

    A string renders to itself when it holds none of Jinja's delimiters (``{{``,
    ``{%``, ``{#``: any ``{`` is refused, to stay simple), no carriage return (Jinja
    normalises newlines) and no trailing newline (Jinja drops one, as
    keep_trailing_newline is off in Tutor's environment). Dicts and lists render item
    by item; other types are returned as they are.
    """
    if isinstance(value, str):
        return "{" not in value and "\r" not in value and not value.endswith("\n")
    if isinstance(value, dict):
        return all(unchanged_by_jinja(v) for v in value.values())
    if isinstance(value, list):
        return all(unchanged_by_jinja(v) for v in value)
    return True


def render_for_validation(config: Config) -> None:
    """Tutor's render_full, for the plugin's own validation: the same result, without
    building a Renderer for the values that Jinja cannot change (see
    ``unchanged_by_jinja``). Tutor's own renders keep rendering its keys as it does."""
    for key, value in config.items():
        if not unchanged_by_jinja(value):
            config[key] = tutor_env.render_unknown(config, value)


def install(
    validate: t.Callable[[Config], None], full_config: t.Callable[[Config], Config]
) -> None:
    """Wrap the Tutor functions listed in WRAPPED. ``validate`` raises TutorError on a
    bad full config; ``full_config`` builds the full config from a user config."""
    check_signatures()

    def make_save(original: t.Callable[[str, Config], None]) -> t.Callable[[str, Config], None]:
        def save_config_file(root: str, config: Config) -> None:
            if _active():
                validate(full_config(config))
            original(root, config)

        return save_config_file

    def make_load(original: t.Callable[[str], Config]) -> t.Callable[[str], Config]:
        def load_full(root: str) -> Config:
            config = original(root)
            if _active():
                validate(config)
            return config

        return load_full

    def make_render(original: t.Callable[[Config], None]) -> t.Callable[[Config], None]:
        def render_full(config: Config) -> None:
            if not _active():
                original(config)
                return
            for key, value in config.items():
                if key.startswith(PREFIX) and unchanged_by_jinja(value):
                    continue
                config[key] = tutor_env.render_unknown(config, value)

        return render_full

    def make_wait(original: t.Callable[[Config, str], None]) -> t.Callable[[Config, str], None]:
        def wait_for_deployment_ready(config: Config, service: str) -> None:
            if service in NOT_DEPLOYED and _active():
                fmt.echo_info(
                    f"Not waiting for a {service} deployment: the eks plugin routes traffic "
                    "through the NGINX Ingress Controller instead."
                )
                return
            original(config, service)

        return wait_for_deployment_ready

    def make_compile(original: Wrapper) -> Wrapper:
        def compile(  # noqa: A001 - the method it stands in for has this name
            self: t.Any, source: t.Any, name: str | None = None,
            filename: str | None = None, raw: bool = False, defer_init: bool = False,
        ) -> t.Any:
            if raw or not isinstance(source, str) or not _active():
                return original(self, source, name, filename, raw, defer_init)
            key = (source, name, filename, defer_init, _compile_inputs(self))
            code = _COMPILED.get(key)
            if code is None:
                code = original(self, source, name, filename, raw, defer_init)
                if len(_COMPILED) >= _COMPILED_MAX:
                    _COMPILED.clear()
                _COMPILED[key] = code
            return code

        return compile

    _wrap(tutor_config, "tutor.config", "save_config_file", make_save)
    _wrap(tutor_config, "tutor.config", "load_full", make_load)
    _wrap(tutor_config, "tutor.config", "render_full", make_render)
    _wrap(tutor_env.JinjaEnvironment, "tutor.env.JinjaEnvironment", "compile", make_compile)
    from tutor.commands import k8s as tutor_k8s

    _wrap(tutor_k8s, "tutor.commands.k8s", "wait_for_deployment_ready", make_wait)
