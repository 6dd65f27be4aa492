"""The route rules one at a time: which source wins, what a route gets when it sets no
limit, how Ingresses are named, what each controller flavour is told, and the template
entry point. Fast (no Tutor config), so scripts/mutation.sh runs them per mutant."""

from __future__ import annotations

import jinja2
import pytest
from eks_defaults import ingress_config
from eks_in_process import unload_eks_plugin

from tutor_eks_plugin.render import routes
from tutor_eks_plugin.settings.ingress import COMMUNITY_NGINX


@pytest.fixture(autouse=True)
def _no_plugin_hooks() -> None:
    """These tests build routes from partial configs: no callback of a plugin loaded
    in-process by an earlier test (the Meilisearch route) may join them."""
    unload_eks_plugin()


LMS = "learn.example.com"


def _by_host(config, patches=None):
    return {i.host: i for i in routes.build_ingresses(config, patches or {})}


def test_caddy_routes_never_override_the_core_hosts_but_still_count() -> None:
    """A Caddy site for the LMS host keeps the LMS's own root route and limit; the Caddy
    routes after it are still imported; a Caddy route without a limit gets the default."""
    caddyfile = (
        f"{LMS}{{$default_site_port}} {{\n"
        '    import proxy "other:9000"\n'
        "    request_body {\n        max_size 100MB\n    }\n"
        "}\n"
        "notes.example.com{$default_site_port} {\n"
        '    import proxy "notes:8000"\n'
        "}\n"
        "big.example.com{$default_site_port} {\n"
        '    import proxy "big:8000"\n'
        "    request_body {\n        max_size 20MB\n    }\n"
        "}\n"
    )
    config = ingress_config(EKS_INGRESS_DEFAULT_MAX_BODY_SIZE="7m")
    built = _by_host(config, {"caddyfile": caddyfile})
    lms_root = [r for r in built[LMS].routes if r.path == "/"]
    assert [(r.service, r.port, r.max_body_size, r.source) for r in lms_root] == [
        ("lms", 8000, "4m", "tutor")]
    assert [(r.service, r.max_body_size) for r in built["notes.example.com"].routes] == [
        ("notes", "7m")]
    assert [(r.service, r.max_body_size) for r in built["big.example.com"].routes] == [
        ("big", "20m")]


def test_caddy_import_can_be_turned_off() -> None:
    caddyfile = 'notes.example.com {\n    import proxy "notes:8000"\n}\n'
    config = ingress_config(EKS_INGRESS_IMPORT_CADDY_ROUTES=False)
    assert "notes.example.com" not in _by_host(config, {"caddyfile": caddyfile})


def test_user_route_replaces_the_core_route_of_the_same_path() -> None:
    config = ingress_config(EKS_INGRESS_EXTRA_ROUTES=[
        {"host": LMS, "path": "/", "service": "canary", "port": 8001}])
    (root,) = _by_host(config)[LMS].routes
    assert (root.service, root.port, root.max_body_size, root.source) == (
        "canary", 8001, "4m", "config")


def test_host_without_root_route_is_named_after_its_shortest_path() -> None:
    config = ingress_config(EKS_INGRESS_EXTRA_ROUTES=[
        {"host": "api.example.com", "path": "/v1/long", "service": "long", "port": 80},
        {"host": "api.example.com", "path": "/v1", "service": "short", "port": 80},
    ])
    assert _by_host(config)["api.example.com"].name == "short"


def test_names_of_hosts_with_the_same_root_service_count_up() -> None:
    extra = [{"host": f"h{n}.example.com", "service": "lms", "port": 8000} for n in range(3)]
    built = _by_host(ingress_config(EKS_INGRESS_EXTRA_ROUTES=extra))
    assert [built[h].name for h in (LMS, "h0.example.com", "h1.example.com", "h2.example.com")] \
        == ["lms", "lms-2", "lms-3", "lms-4"]


def test_each_controller_gets_its_own_annotations() -> None:
    # A value read from YAML is not the interned constant: compare by value, not identity.
    community = "".join(["community", "-nginx"])
    assert community == COMMUNITY_NGINX
    config = ingress_config(EKS_INGRESS_CONTROLLER=community, EKS_INGRESS_PROXY_TIMEOUT_SECONDS=42)
    assert _by_host(config)[LMS].annotations == {
        "nginx.ingress.kubernetes.io/proxy-body-size": "4m",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "42",
        "nginx.ingress.kubernetes.io/proxy-send-timeout": "42",
    }
    f5 = ingress_config(EKS_INGRESS_PROXY_TIMEOUT_SECONDS=42,
                        EKS_INGRESS_EXTRA_ANNOTATIONS={"example.com/x": "y"})
    assert _by_host(f5)[LMS].annotations == {
        "nginx.org/client-max-body-size": "4m",
        "nginx.org/proxy-read-timeout": "42s",
        "nginx.org/proxy-send-timeout": "42s",
        "nginx.org/redirect-to-https": "true",
        "example.com/x": "y",
    }
    plain = ingress_config(EKS_INGRESS_FORCE_HTTPS=False)
    assert "nginx.org/redirect-to-https" not in _by_host(plain)[LMS].annotations


def test_yaml_numbers_become_annotation_strings() -> None:
    config = ingress_config(EKS_INGRESS_LMS_MAX_BODY_SIZE=0, EKS_INGRESS_EXTRA_ROUTES=[
        {"host": "n.example.com", "service": "n", "port": "81", "max_body_size": 5}])
    built = _by_host(config)
    assert built[LMS].annotations["nginx.org/client-max-body-size"] == "0"
    (route,) = built["n.example.com"].routes
    assert (route.port, route.max_body_size) == (81, "5")


def test_template_entry_point_reads_the_render_context() -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals["eks_ingresses"] = routes.ingresses_for_template
    template = env.from_string("{% for i in eks_ingresses() %}{{ i.name }}={{ i.host }};{% endfor %}")
    patches = {"caddyfile": 'notes.example.com {\n    import proxy "notes:8000"\n}\n'}
    text = template.render(patch=lambda name: patches.get(name, ""), **ingress_config())
    assert text == f"cms=studio.learn.example.com;lms={LMS};notes=notes.example.com;"


def test_core_hosts_reach_lms_and_cms_on_port_8000() -> None:
    built = _by_host(ingress_config())
    assert [(r.path, r.service, r.port, r.max_body_size) for r in built[LMS].routes] == [
        ("/", "lms", 8000, "4m")]
    assert [(r.path, r.service, r.port, r.max_body_size)
            for r in built["studio.learn.example.com"].routes] == [("/", "cms", 8000, "250m")]


def test_lms_and_cms_patches_add_path_routes_but_never_a_root() -> None:
    lms_body = 'import proxy "impostor:1"\nhandle /xqueue/* {\n    import proxy "xqueue:8000"\n}\n'
    cms_body = 'handle /import/* {\n    import proxy "importer:8010"\n}\n'
    built = _by_host(ingress_config(), {"caddyfile-lms": lms_body, "caddyfile-cms": cms_body})
    assert [(r.path, r.service, r.port) for r in built[LMS].routes] == [
        ("/xqueue", "xqueue", 8000), ("/", "lms", 8000)]
    assert [(r.path, r.service, r.port) for r in built["studio.learn.example.com"].routes] == [
        ("/import", "importer", 8010), ("/", "cms", 8000)]


def test_a_later_caddy_site_for_the_same_host_wins() -> None:
    caddyfile = (
        'notes.example.com {\n    import proxy "old:8000"\n}\n'
        'notes.example.com {\n    import proxy "new:8001"\n}\n'
    )
    (route,) = _by_host(ingress_config(), {"caddyfile": caddyfile})["notes.example.com"].routes
    assert (route.service, route.port) == ("new", 8001)


def test_unlimited_outranks_any_size() -> None:
    config = ingress_config(EKS_INGRESS_EXTRA_ROUTES=[
        {"host": "u.example.com", "path": "/", "service": "u", "port": 80, "max_body_size": "0"},
        {"host": "u.example.com", "path": "/big", "service": "u", "port": 80,
         "max_body_size": "99999999999g"},
    ])
    assert _by_host(config)["u.example.com"].annotations[
        "nginx.org/client-max-body-size"] == "0"


def test_routes_are_immutable() -> None:
    import dataclasses

    route = _by_host(ingress_config())[LMS].routes[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        route.port = 1  # type: ignore[misc]
