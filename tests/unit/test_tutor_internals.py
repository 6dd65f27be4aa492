"""The Tutor functions the plugin wraps (tutor_eks_plugin.tutor_internals), on the pinned
Tutor: they exist with the expected signatures, a changed one stops the plugin with a
message naming the installed Tutor version, and the faster render of the plugin's own
defaults gives exactly what Tutor's own render_full gives."""

from __future__ import annotations

import copy
import types
import typing as t

import pytest
from eks_in_process import eks_plugin_in_process
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import exceptions
from tutor.__about__ import __version__ as tutor_version

from tutor_eks_plugin import tutor_internals


def test_every_wrapped_function_has_the_expected_signature_on_the_pinned_tutor() -> None:
    tutor_internals.check_signatures()


def test_a_changed_signature_names_the_function_and_the_tutor_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = types.ModuleType("fake_tutor_module")
    fake.save_config_file = lambda root, config, extra: None  # type: ignore[attr-defined]
    monkeypatch.setattr(tutor_internals, "_module", lambda path: fake)
    with pytest.raises(exceptions.TutorError) as raised:
        tutor_internals.check_signatures((("fake_tutor_module", "save_config_file",
                                           ("root", "config")),))
    message = str(raised.value)
    assert "save_config_file(root, config, extra)" in message
    assert f"tutor {tutor_version}" in message


def test_a_missing_function_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tutor_internals, "_module", lambda path: types.ModuleType("empty"))
    with pytest.raises(exceptions.TutorError, match=r"tutor\.config\.load_full does not exist"):
        tutor_internals.check_signatures((("tutor.config", "load_full", ("root",)),))


TRICKY = [
    "", "plain", "with space", "trailing newline\n", "two\n\n", "crlf\r\nx", "{{ LMS_HOST }}",
    "{% if True %}x{% endif %}", "{# comment #}", "brace { alone", "}", "%}", "#}", "a\nb",
    "  indented", "tab\there", "ünïcödé", "$HOME", "\\n", "'quoted'", '"dq"', "a%b",
    ["x", "{{ LMS_HOST }}"], {"k": "v", "n": {"deep": "y\n"}}, 3, 2.5, True, None, [],
]


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_a_value_judged_unchanged_renders_to_itself(value: object) -> None:
    config = {"LMS_HOST": "lms.example.com"}
    rendered = tutor_env.render_unknown(config, copy.deepcopy(value))
    if tutor_internals.unchanged_by_jinja(value):
        assert rendered == value
    # The converse is not required: a value judged "maybe changed" is simply rendered.


def test_the_wrapped_render_full_equals_tutors_on_a_full_plugin_config(
    eks_plugin_loaded: None,
) -> None:
    # Base values (generated passwords, keys) rendered once, so that both renders see
    # the same ones; defaults unrendered, with a templated EKS_ value among them.
    rendered_base: dict = {}
    tutor_config.update_with_base(rendered_base)
    tutor_config.update_with_defaults(rendered_base)
    tutor_internals.ORIGINALS["tutor.config.render_full"](rendered_base)
    raw = tutor_config.load_defaults()
    raw.update({k: rendered_base[k] for k in tutor_config.get_base()})
    raw.update({"LMS_HOST": "learn.example.com", "EKS_NAME": "{{ LMS_HOST|replace('.', '-') }}"})
    assert any(k.startswith("EKS_") for k in raw)
    ours, tutors = copy.deepcopy(raw), copy.deepcopy(raw)
    tutor_config.render_full(ours)
    tutor_internals.ORIGINALS["tutor.config.render_full"](tutors)
    assert ours == tutors
    validation = copy.deepcopy(raw)
    tutor_internals.render_for_validation(validation)
    assert validation == tutors
    assert ours["EKS_NAME"] == "learn-example-com"


@pytest.fixture
def eks_plugin_loaded() -> t.Iterator[None]:
    """The eks plugin loaded in this process, as `tutor` loads an enabled plugin, and
    unloaded afterwards (the wrappers stay, as no-ops, like after `plugins disable`)."""
    with eks_plugin_in_process(mark_loaded=True):
        assert getattr(tutor_config.render_full, "_eks_wrapped", False)
        yield


def _tutor_environment(**filters: t.Any) -> tutor_env.JinjaEnvironment:
    environment = tutor_env.JinjaEnvironment()
    environment.filters.update(filters)
    return environment


def test_the_compile_cache_hands_out_code_compiled_once(eks_plugin_loaded: None) -> None:
    source = "{{ 'x'|upper }} compiled once {{ 41 + 1 }}"
    first = _tutor_environment().from_string(source)
    compiled = len(tutor_internals._COMPILED)
    second = _tutor_environment().from_string(source)
    assert len(tutor_internals._COMPILED) == compiled
    assert first.render() == second.render() == "X compiled once 42"


def test_a_template_compiles_against_each_environments_own_filters(
    eks_plugin_loaded: None,
) -> None:
    """Jinja's code generator fails on an unknown filter and passes the context to a
    filter marked pass_context: an environment without the filter, or with another
    kind of it, must not receive code compiled for the first one."""
    import jinja2

    source = "{{ 'v'|shape }}"
    plain = _tutor_environment(shape=lambda value: f"plain:{value}")
    assert plain.from_string(source).render() == "plain:v"
    with_context = _tutor_environment(
        shape=jinja2.pass_context(lambda context, value: f"context:{value}"))
    assert with_context.from_string(source).render() == "context:v"
    with pytest.raises(jinja2.TemplateAssertionError, match="No filter named 'shape'"):
        _tutor_environment().from_string(source)


def test_the_caches_render_the_whole_env_exactly_as_tutor(
    eks_plugin_loaded: None, tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every file of the k8s, apps, kustomization and eks targets is the same three
    ways: compiled and stored on disk by the plugin's wrappers; compiled from that
    store's code objects in a fresh process state (nothing in memory); rendered by
    Tutor's own Renderer.render_template with Jinja's own compile."""
    from tutor_eks_plugin import compile_cache

    monkeypatch.setenv(compile_cache.ENV_VAR, str(tmp_path / "store"))
    compile_cache.reset()
    monkeypatch.setattr(tutor_internals, "_COMPILED", {})
    monkeypatch.setattr(tutor_internals, "_OUTPUTS", {})
    config = tutor_config.load_full(str(tmp_path / "root"))
    cached = tutor_env.Renderer(config)
    names = [n for prefix in ("k8s", "apps", "kustomization.yml", "eks")
             for n in cached.iter_templates_in(prefix)]
    assert len(names) > 20
    stored = {n: cached.render_template(n) for n in names}
    assert len(list((tmp_path / "store").iterdir())) > 20

    tutor_internals._COMPILED.clear()
    tutor_internals._OUTPUTS.clear()
    from_disk = tutor_env.Renderer(config)
    assert {n: from_disk.render_template(n) for n in names} == stored

    monkeypatch.setattr(tutor_env.JinjaEnvironment, "compile",
                        tutor_internals.ORIGINALS["tutor.env.JinjaEnvironment.compile"])
    monkeypatch.setattr(tutor_env.Renderer, "render_template",
                        tutor_internals.ORIGINALS["tutor.env.Renderer.render_template"])
    plain = tutor_env.Renderer(config)
    assert {n: plain.render_template(n) for n in names} == stored
    compile_cache.reset()


def test_a_template_tutor_rendered_is_handed_to_the_plugin_not_rendered_again(
    eks_plugin_loaded: None, tmp_path: t.Any,
) -> None:
    """The plugin's render-derived views (network policies, security, workload shapes)
    ask for Tutor's manifests through render_once: with the same inputs they get the
    very text Tutor rendered; any other config gets its own render."""
    config = tutor_config.load_full(str(tmp_path))
    renderer = tutor_env.Renderer(config)
    tutors = renderer.render_template("k8s/services.yml")
    again = tutor_internals.render_once(renderer.environment, renderer.config,
                                        "k8s/services.yml")
    assert again is tutors
    other = dict(config, DOCKER_IMAGE_OPENEDX="registry.example.org/openedx:other")
    changed = tutor_internals.render_once(renderer.environment, other, "k8s/deployments.yml")
    assert "registry.example.org/openedx:other" in changed
    assert "registry.example.org" not in renderer.render_template("k8s/deployments.yml")


def test_a_new_patch_renders_the_template_again(eks_plugin_loaded: None, tmp_path: t.Any) -> None:
    from tutor import hooks
    from tutor import plugins as tutor_plugins

    config = tutor_config.load_full(str(tmp_path))
    before = tutor_env.Renderer(config).render_template("k8s/deployments.yml")
    with hooks.Contexts.app("test-new-patch").enter():
        hooks.Filters.ENV_PATCHES.add_item(("k8s-deployments", "# a patch added later"))
        tutor_plugins._env_patches.cache_clear()  # as Tutor does when a plugin loads
        after = tutor_env.Renderer(config).render_template("k8s/deployments.yml")
    hooks.Filters.ENV_PATCHES.clear(context=hooks.Contexts.app("test-new-patch").name)
    tutor_plugins._env_patches.cache_clear()
    assert "# a patch added later" not in before
    assert "# a patch added later" in after


def test_tutors_patch_renderer_still_records_where_each_patch_goes(
    eks_plugin_loaded: None, tmp_path: t.Any,
) -> None:
    """`tutor config patches list` renders with PatchRenderer, which notes each patch's
    templates while rendering: a text the plugin kept must not stand in for that render."""
    config = tutor_config.load_full(str(tmp_path))
    tutor_env.Renderer(config).render_template("k8s/deployments.yml")
    recorder = tutor_env.PatchRenderer(config)
    recorder.render_template("k8s/deployments.yml")
    assert "k8s/deployments.yml" in recorder.patches_locations["k8s-deployments"]


def test_one_renderer_per_pass_sees_the_values_rendered_before_as_tutor_does(
    eks_plugin_loaded: None,
) -> None:
    """Tutor renders the config in order, each value against the values before it
    already rendered and the later ones still raw: render_values reads the live dict
    and must give exactly that, chains and order included."""
    raw = {
        "LMS_HOST": "learn.example.com",
        "EARLY": "{{ LATE }}",  # LATE still raw here: the text of its template
        "CMS_HOST": "studio.{{ LMS_HOST }}",
        "CHAIN": "{{ CMS_HOST }}/x",  # CMS_HOST already rendered
        "LATE": "{{ LMS_HOST|upper }}",
        "NESTED": {"a": ["{{ CHAIN }}", 3, {"b": "{{ EARLY }}"}]},
        "PLAIN": "no template",
    }
    ours, tutors = copy.deepcopy(raw), copy.deepcopy(raw)
    tutor_internals.render_values(ours, lambda key, value: False)
    tutor_internals.ORIGINALS["tutor.config.render_full"](tutors)
    assert ours == tutors
    assert ours["CHAIN"] == "studio.learn.example.com/x"
    assert ours["EARLY"] == "{{ LMS_HOST|upper }}"
