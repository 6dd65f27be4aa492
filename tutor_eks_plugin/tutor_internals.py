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
- ``tutor.env.Renderer.render_template``: the plugin derives NetworkPolicies, security
  contexts and workload shapes from Tutor's rendered manifests, settings and
  kustomization, which Tutor renders too in the same `tutor config save` (the settings
  files alone cost about 40 ms each: every one imports the JWT RSA key). The wrapper
  keeps each rendered text for the process, keyed by the template's name and every
  input of the render (the config, the patches, the template roots and the
  environment's global names, see ``_render_inputs``), and the plugin's own renders ask
  for the same texts through ``render_once``; each template is rendered once;
- ``tutor.config.render_full``: Tutor renders every config value as a Jinja template,
  building a new Renderer (a new Jinja environment and a deep copy of the whole
  config) for each string, and the plugin's ~150 keys make every copy dearer. The
  wrapper renders the values in Tutor's order with one Renderer reading the config
  itself (``render_values``), and skips the ``EKS_*`` values that Jinja cannot change
  (``unchanged_by_jinja``). Measured by bench/bench_startup.py.

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
    ("tutor.env", "Renderer.render_template", ("self", "template_name")),
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


# (template name, inputs of the render) -> rendered text; see render_once.
_OUTPUTS: dict[tuple[t.Any, ...], str] = {}
_OUTPUTS_MAX = 512  # texts; a long-lived process (tests) starts over past this


def _render_inputs(config_text: str, environment: t.Any) -> tuple[t.Any, ...]:
    """What a template's text depends on besides its name: the config (its repr), the
    patches, the template roots and the environment's global names (template
    variables), in full (not a hash of them: two inputs never share an entry)."""
    from tutor import hooks

    return (config_text, tuple(hooks.Filters.ENV_PATCHES.iterate()),
            tuple(environment.loader.searchpath), tuple(environment.globals))


def _config_text(renderer: t.Any) -> str:
    # Tutor's Renderer holds its own copy of the config and never changes it (one
    # Renderer per template target): its repr is taken once per Renderer.
    cached = renderer.__dict__.get("_eks_config_text")
    if cached is None or cached[0] is not renderer.config:
        cached = (renderer.config, repr(renderer.config))
        renderer.__dict__["_eks_config_text"] = cached
    return cached[1]  # type: ignore[no-any-return]


def _remember(key: tuple[t.Any, ...], text: str) -> None:
    if len(_OUTPUTS) >= _OUTPUTS_MAX:
        _OUTPUTS.clear()
    _OUTPUTS[key] = text


def render_once(environment: t.Any, config: Config, name: str) -> str:
    """The text of template ``name`` rendered with ``config`` (Tutor's upper-case config
    keys, in Tutor's order) in ``environment``, rendered at most once per process:
    a text Tutor rendered already with the same inputs is handed back, and one rendered
    here is handed to Tutor when it comes to the same template."""
    key = (name, _render_inputs(repr(config), environment))
    text = _OUTPUTS.get(key)
    if text is None:
        text = environment.get_template(name).render(**config)
        _remember(key, text)
    return text


_patch_texts: set[str] = set()


def _is_patch(source: str) -> bool:
    """True for the text of a plugin patch (read once per process)."""
    if not _patch_texts:
        from tutor import hooks

        _patch_texts.update(text for _, text in hooks.Filters.ENV_PATCHES.iterate())
    return source in _patch_texts


def _compile_through_disk(original: Wrapper, environment: t.Any,
                          key: tuple[t.Any, ...]) -> t.Any:
    """Compile, asking the on-disk store (``compile_cache``) first. Only template files
    and plugin patches go there, never a config value (it may be a secret)."""
    source, name, filename, defer_init, _inputs = key
    if name is None and not _is_patch(source):
        return original(environment, source, name, filename, False, defer_init)
    from . import compile_cache

    store = compile_cache.store()
    if not store.usable():
        return original(environment, source, name, filename, False, defer_init)
    digest = compile_cache.digest(key)
    code = store.get(digest)
    if code is None:
        code = original(environment, source, name, filename, False, defer_init)
        store.put(digest, code)
    return code


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


def render_values(config: Config, skip: t.Callable[[str, t.Any], bool]) -> None:
    """Tutor's render_full loop with one Renderer for the whole pass.

    Tutor renders each config string with ``render_unknown``, which builds a new
    Renderer, that is a new Jinja environment and a deep copy of the whole config, for
    every string. Here one Renderer reads the config dict itself: value N is rendered
    against the config with values 0..N-1 already rendered, exactly what each of
    Tutor's copies holds at that point, as rendering never writes to the config. The
    values for which ``skip(key, value)`` is true are left as they are."""
    renderer = tutor_env.Renderer()  # built on an empty config: nothing to copy
    renderer.config = config

    def render(value: t.Any) -> t.Any:
        # The same recursion as tutor.env.render_unknown; a string Jinja cannot change
        # is returned as it is (strings are immutable: no copy to make).
        if isinstance(value, str):
            return value if unchanged_by_jinja(value) else renderer.render_str(value)
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        if isinstance(value, list):
            return [render(v) for v in value]
        return value

    for key, value in config.items():
        if not skip(key, value):
            config[key] = render(value)


def _jinja_inert(_key: str, value: t.Any) -> bool:
    return unchanged_by_jinja(value)


def _eks_jinja_inert(key: str, value: t.Any) -> bool:
    return key.startswith(PREFIX) and unchanged_by_jinja(value)


def render_for_validation(config: Config) -> None:
    """Tutor's render_full, for the plugin's own validation: the same result, without
    rendering the values that Jinja cannot change (see ``unchanged_by_jinja``)."""
    render_values(config, _jinja_inert)


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
            render_values(config, _eks_jinja_inert)

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
                code = _compile_through_disk(original, self, key)
                if len(_COMPILED) >= _COMPILED_MAX:
                    _COMPILED.clear()
                _COMPILED[key] = code
            return code

        return compile

    def make_render_template(original: Wrapper) -> Wrapper:
        def render_template(self: t.Any, template_name: str) -> str | bytes:
            # Subclasses (PatchRenderer) record what each render does: always render.
            if type(self) is not tutor_env.Renderer or not _active():
                return original(self, template_name)  # type: ignore[no-any-return]
            key = (template_name, _render_inputs(_config_text(self), self.environment))
            text = _OUTPUTS.get(key)
            if text is None:
                rendered = original(self, template_name)
                if not isinstance(rendered, str):
                    return rendered  # type: ignore[no-any-return]  # a binary file
                _remember(key, rendered)
                text = rendered
            return text

        return render_template

    _wrap(tutor_config, "tutor.config", "save_config_file", make_save)
    _wrap(tutor_config, "tutor.config", "load_full", make_load)
    _wrap(tutor_config, "tutor.config", "render_full", make_render)
    _wrap(tutor_env.JinjaEnvironment, "tutor.env.JinjaEnvironment", "compile", make_compile)
    _wrap(tutor_env.Renderer, "tutor.env.Renderer", "render_template", make_render_template)
    from tutor.commands import k8s as tutor_k8s

    _wrap(tutor_k8s, "tutor.commands.k8s", "wait_for_deployment_ready", make_wait)
