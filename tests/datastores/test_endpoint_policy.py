"""The settings-endpoint policy of `tutor eks check` (policies/endpoints.py), driven
through the real CLI on real renders, and on the rendered discovery settings with the
plugin's wiring block taken out (what tutor-discovery renders on its own today)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from datastore_roots import render_root
from tutor_cli import DEFAULT_PLUGINS, new_root, run_tutor, set_args

from tutor_eks_plugin.policies import endpoints
from tutor_eks_plugin.render import django_settings

STORES = {
    "MYSQL_HOST": "openedx.abc.eu-west-1.rds.amazonaws.com",
    "MONGODB_HOST": "openedx.cluster-abc.eu-west-1.docdb.amazonaws.com",
    "MONGODB_USERNAME": "openedx",
    "MONGODB_PASSWORD": "mongo-password-1",
    "REDIS_HOST": "master.openedx.abc.euw1.cache.amazonaws.com",
    "REDIS_USERNAME": "default",
    "REDIS_PASSWORD": "elasticache-auth-token-123",
    "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca-bundle",
}
OPENSEARCH = {
    "DISCOVERY_RUN_ELASTICSEARCH": False,
    "DISCOVERY_ELASTICSEARCH_HOST": "vpc-discovery-abc.eu-west-1.es.amazonaws.com",
    "DISCOVERY_ELASTICSEARCH_SCHEME": "https",
    "DISCOVERY_ELASTICSEARCH_PORT": 443,
}
WIRING_RE = re.compile(
    r"^######## tutor-contrib-eks: data store wiring \(begin\)$.*?"
    r"^######## tutor-contrib-eks: data store wiring \(end\)$",
    re.MULTILINE | re.DOTALL,
)


def _failures(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if "FAIL policy endpoints." in line]


def test_discovery_fails_with_its_hint_then_passes_after_the_fix(tmp_path: Path) -> None:
    root = render_root(tmp_path / "root", STORES, plugins=("eks", "discovery"))
    before = run_tutor(root, "eks", "check", check=False)
    assert before.returncode == 1, before.stdout
    failures = _failures(before.stdout + before.stderr)
    assert failures, before.stdout
    assert all(line.split(": ", 2)[1].startswith("plugin discovery") for line in failures)
    assert any(
        "env/plugins/discovery/apps/settings/tutor/production.py: "
        "ELASTICSEARCH_DSL['default']['hosts']: points at 'elasticsearch'" in line
        and "DISCOVERY_RUN_ELASTICSEARCH=false" in line
        for line in failures
    ), failures
    # The Redis and MySQL clients of discovery are wired: only Elasticsearch is left.
    assert not [line for line in failures if "ELASTICSEARCH" not in line], failures
    run_tutor(root, "config", "save", *set_args(OPENSEARCH))
    after = run_tutor(root, "eks", "check", check=False)
    assert after.returncode == 0, after.stdout + after.stderr
    assert not _failures(after.stdout) and "OK in" in after.stdout


def test_unwired_discovery_render_fails_on_every_redis_and_mysql_client(tmp_path: Path) -> None:
    """The discovery settings file as tutor-discovery renders it (the wiring block cut
    out): its cache, celery broker and event bus miss TLS or point at the removed
    `redis` service, and its database has no TLS."""
    root = render_root(tmp_path / "root", {**STORES, **OPENSEARCH}, plugins=("eks", "discovery"))
    settings = root / "env/plugins/discovery/apps/settings/tutor/production.py"
    text = settings.read_text()
    assert WIRING_RE.search(text), "the wiring block is not rendered in discovery's settings"
    bare = tmp_path / "production.py"
    bare.write_text(WIRING_RE.sub("", text))
    config = {**STORES, "EKS_REDIS_TLS": True, "EKS_MYSQL_TLS": True, "EKS_MONGODB_TLS": True,
              "MEILISEARCH_URL": "http://meilisearch:7700", "SMTP_HOST": "smtp", "PLUGINS": []}
    found = {
        (endpoint.setting, problem.split(",")[0])
        for endpoint in endpoints.endpoints(django_settings.execute(bare).values)
        for problem in endpoints.problems(endpoint, config)
    }
    assert found == {
        ("CACHES['default']['LOCATION']",
         f"plaintext connection to {STORES['REDIS_HOST']}"),
        ("CELERY_BROKER_URL", "points at 'redis'"),
        ("EVENT_BUS_REDIS_CONNECTION_URL", "points at 'redis'"),
        ("DATABASES['default']", f"plaintext connection to {STORES['MYSQL_HOST']}"),
    }, found
    wired = django_settings.execute(settings).values
    assert not [
        problem
        for endpoint in endpoints.endpoints(wired)
        for problem in endpoints.problems(endpoint, config)
    ]


def test_third_party_plugin_is_named(tmp_path: Path) -> None:
    plugins_root = tmp_path / "plugins"
    plugins_root.mkdir()
    (plugins_root / "acmecache.py").write_text(
        textwrap.dedent(
            """
            from tutor import hooks

            hooks.Filters.ENV_PATCHES.add_item(
                ("openedx-common-settings", 'ACME_CACHE_URL = "redis://redis:6379/0"')
            )
            """
        )
    )
    env = {"TUTOR_PLUGINS_ROOT": str(plugins_root)}
    root = new_root(tmp_path / "root", (*DEFAULT_PLUGINS, "eks", "acmecache"), STORES, env)
    result = run_tutor(root, "eks", "check", check=False, env=env)
    assert result.returncode == 1, result.stdout
    failures = _failures(result.stdout + result.stderr)
    for variant in ("lms", "cms"):
        assert any(
            f"plugin acmecache: env/apps/openedx/settings/{variant}/production.py: "
            "ACME_CACHE_URL: points at 'redis', the in-cluster redis tutor-contrib-eks removed"
            in line and "Fix: use rediss://" in line
            for line in failures
        ), failures
    assert len(failures) == 2, failures
    assert STORES["REDIS_PASSWORD"] not in result.stdout + result.stderr


def test_inspected_settings_are_documented() -> None:
    """docs/data-stores.md lists exactly the settings the policy inspects."""
    doc = (Path(__file__).parents[2] / "docs" / "data-stores.md").read_text()
    for store, names in endpoints.INSPECTED.items():
        for name in names:
            assert f"`{name}`" in doc, (store, name)


CONFIG = {
    **STORES,
    "EKS_REDIS_TLS": True,
    "EKS_MYSQL_TLS": True,
    "EKS_MONGODB_TLS": True,
    "MEILISEARCH_URL": "http://10.0.3.12:7700",
    "SMTP_HOST": "email-smtp.eu-west-1.amazonaws.com",
    "SMTP_USE_TLS": True,
    "SMTP_PASSWORD": "ses-smtp-password",
    "EKS_OPENSEARCH_ENDPOINT": "search-openedx-abc.eu-west-1.es.amazonaws.com",
    "EKS_OPENSEARCH_PASSWORD": "opensearch-password-1",
}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"EMAIL_HOST": CONFIG["SMTP_HOST"], "EMAIL_USE_TLS": False, "EMAIL_HOST_PASSWORD": "x"},
         {("EMAIL_HOST", "plaintext")}),
        ({"EMAIL_HOST": CONFIG["SMTP_HOST"], "EMAIL_USE_TLS": True, "EMAIL_HOST_PASSWORD": ""},
         {("EMAIL_HOST", "no password")}),
        ({"EMAIL_HOST": "smtp"}, {("EMAIL_HOST", "points at 'smtp'")}),
        ({"DATABASES": {"default": {"ENGINE": "django.db.backends.mysql",
                                    "HOST": STORES["MYSQL_HOST"], "PASSWORD": "",
                                    "OPTIONS": {"ssl": {"ca": "/x"}, "ssl_mode": "VERIFY_CA"}}}},
         {("DATABASES['default']", "no password")}),
        ({"FORUM_MONGODB_CLIENT_PARAMETERS": {"host": STORES["MONGODB_HOST"], "port": 27017,
                                              "ssl": False, "password": "p"}},
         {("FORUM_MONGODB_CLIENT_PARAMETERS", "plaintext")}),
        ({"ELASTIC_SEARCH_CONFIG": [{"host": CONFIG["EKS_OPENSEARCH_ENDPOINT"], "port": 443,
                                     "use_ssl": False}]},
         {("ELASTIC_SEARCH_CONFIG[0]", "plaintext"), ("ELASTIC_SEARCH_CONFIG[0]", "no password")}),
        ({"MEILISEARCH_URL": "http://meilisearch:7700"},
         {("MEILISEARCH_URL", "points at 'meilisearch'")}),
        ({"MY_QUEUE": {"url": "mongodb://mongodb:27017/x"}},
         {("MY_QUEUE['url']", "points at 'mongodb'")}),
        # Endpoints this plugin knows nothing about, and correct ones, pass.
        ({"MY_REDIS": "redis://redis.partner.example.com:6379/0"}, set()),
        ({"CACHES": {"default": {"LOCATION": f"rediss://default:t@{STORES['REDIS_HOST']}:6379/1"}},
          "EMAIL_HOST": CONFIG["SMTP_HOST"], "EMAIL_USE_TLS": True, "EMAIL_HOST_PASSWORD": "x"},
         set()),
    ],
)
def test_policy_rules(settings, expected) -> None:
    def kind(problem: str) -> str:
        for prefix in ("plaintext", "no password"):
            if problem.startswith(prefix):
                return prefix
        return problem.split(",")[0]

    found = {
        (endpoint.setting, kind(problem))
        for endpoint in endpoints.endpoints(settings)
        for problem in endpoints.problems(endpoint, CONFIG)
    }
    assert found == expected
