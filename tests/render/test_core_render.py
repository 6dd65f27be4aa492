"""The default render with eks enabled: Caddy and data pods gone, hosts routed."""

from __future__ import annotations

from tutor_cli import Rendered

DATA_STORES = ("mysql", "mongodb", "redis", "meilisearch", "smtp")


def test_caddy_is_gone(default_render: Rendered) -> None:
    names = {(o["kind"], o["metadata"]["name"]) for o in default_render.objects}
    assert not [n for n in names if n[1] == "caddy" or n[1].startswith("caddy-config")]


def test_no_data_store_pods(default_render: Rendered) -> None:
    for kind in ("Deployment", "PersistentVolumeClaim", "Service"):
        assert not default_render.names(kind) & set(DATA_STORES), kind


def test_openedx_workloads_remain(default_render: Rendered) -> None:
    assert {"lms", "cms", "lms-worker", "cms-worker", "mfe"} <= default_render.names("Deployment")
    assert {"lms", "cms", "mfe"} <= default_render.names("Service")
    assert {"lms-job", "cms-job", "mysql-job"} <= default_render.names("Job")
