"""Ingress objects per host, per controller flavour, with other plugins' hosts."""

from __future__ import annotations

from pathlib import Path

from tutor_cli import Rendered, render, run_tutor


def _routes(ingress: dict) -> list[tuple[str, str, str, int]]:
    return [
        (rule["host"], p["path"], p["backend"]["service"]["name"],
         p["backend"]["service"]["port"]["number"])
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
    ]


def test_default_hosts_and_limits(default_render: Rendered) -> None:
    cfg = default_render.config
    lms = default_render.get("Ingress", "lms")
    cms = default_render.get("Ingress", "cms")
    # The F5 flavour serves the MFE host through a VirtualServer (its root redirect,
    # tests/network); the same limits and timeouts as upstream fields.
    mfe = default_render.get("VirtualServer", "mfe")
    assert _routes(lms) == [("local.openedx.io", "/", "lms", 8000)]
    assert _routes(cms) == [("studio.local.openedx.io", "/", "cms", 8000)]
    (upstream,) = mfe["spec"]["upstreams"]
    assert mfe["spec"]["host"] == "apps.local.openedx.io"
    assert (upstream["service"], upstream["port"]) == ("mfe", 8002)
    assert lms["metadata"]["annotations"]["nginx.org/client-max-body-size"] == "4m"
    assert cms["metadata"]["annotations"]["nginx.org/client-max-body-size"] == "250m"
    # The MFE limit comes from tutor-mfe's own Caddyfile block (2MB).
    assert upstream["client-max-body-size"] == "2m"
    assert upstream["read-timeout"] == "300s"
    assert mfe["spec"]["tls"]["redirect"] == {"enable": True, "basedOn": "x-forwarded-proto"}
    for ingress in (lms, cms):
        notes = ingress["metadata"]["annotations"]
        assert ingress["spec"]["ingressClassName"] == "nginx"
        assert notes["nginx.org/proxy-read-timeout"] == "300s"
        assert notes["nginx.org/redirect-to-https"] == "true"
        assert "tls" not in ingress["spec"]
        assert not [k for k in notes if k.startswith("nginx.ingress.kubernetes.io/")]
        # The labels `tutor k8s start` selects on: applied, not treated as a job.
        labels = ingress["metadata"]["labels"]
        assert labels["app.kubernetes.io/instance"] == f"openedx-{cfg['ID']}"
        assert labels["app.kubernetes.io/component"] not in ("job", "namespace")
    assert default_render.names("Ingress") == {"lms", "cms"}


def test_community_flavour_and_tls(render_case) -> None:
    case = render_case(
        "community-tls",
        settings={"EKS_INGRESS_CONTROLLER": "community-nginx",
                  "EKS_INGRESS_TLS_SECRET_NAME": "openedx-tls"},
    )
    cms = case.get("Ingress", "cms")
    notes = cms["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/proxy-body-size"] == "250m"
    assert notes["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "300"
    assert not [k for k in notes if k.startswith("nginx.org/")]
    assert cms["spec"]["tls"] == [{"hosts": ["studio.local.openedx.io"], "secretName": "openedx-tls"}]


def test_without_mfe_there_is_no_mfe_route(render_case) -> None:
    case = render_case("no-mfe", plugins=("eks",))
    assert case.names("Ingress") == {"lms", "cms"}
    assert "mfe" not in case.names("Deployment")


def test_other_plugins_keep_their_hosts(render_case) -> None:
    """notes and credentials publish hosts through Tutor's caddyfile patch: each gets
    an Ingress without any plugin-specific code in eks."""
    case = render_case("plugins", plugins=("eks", "mfe", "forum", "notes", "credentials"))
    assert _routes(case.get("Ingress", "notes")) == [("notes.local.openedx.io", "/", "notes", 8000)]
    assert _routes(case.get("Ingress", "credentials")) == [
        ("credentials.local.openedx.io", "/", "credentials", 8000)
    ]
    # forum publishes no host of its own: it is reached through the LMS.
    assert "forum" not in case.names("Ingress")


def test_user_routes_and_hook_routes(tmp_path: Path, kubectl_bin: str) -> None:
    """EKS_INGRESS_EXTRA_ROUTES and a real third-party plugin using the INGRESS_ROUTES
    hook: a new host, and a path on the LMS host that outranks the LMS root route."""
    plugins_root = tmp_path / "plugins"
    plugins_root.mkdir()
    (plugins_root / "myroutes.py").write_text(
        "from tutor_eks_plugin.hooks import INGRESS_ROUTES\n"
        "@INGRESS_ROUTES.add()\n"
        "def _routes(routes, config):\n"
        "    routes.append({'host': config['LMS_HOST'], 'path': '/reports',\n"
        "                   'service': 'lms', 'port': 8000, 'max_body_size': '10m'})\n"
        "    return routes\n"
    )
    env = {"TUTOR_PLUGINS_ROOT": str(plugins_root)}
    root = tmp_path / "root"
    root.mkdir()
    run_tutor(root, "plugins", "enable", "myroutes", env=env)
    case = render(
        root, kubectl_bin, plugins=("eks", "myroutes"),
        settings={"EKS_INGRESS_EXTRA_ROUTES": [
            {"host": "docs.example.com", "service": "lms", "port": 8000, "max_body_size": "1m"}
        ]},
        env=env,
    )
    assert _routes(case.get("Ingress", "lms")) == [
        ("local.openedx.io", "/reports", "lms", 8000),
        ("local.openedx.io", "/", "lms", 8000),
    ]
    # The largest limit of the host's routes wins (one NGINX server per host).
    assert case.get("Ingress", "lms")["metadata"]["annotations"][
        "nginx.org/client-max-body-size"] == "10m"
    docs = case.get("Ingress", "lms-2")
    assert _routes(docs) == [("docs.example.com", "/", "lms", 8000)]
