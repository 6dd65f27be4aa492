"""Every enabled plugin's Django settings (Tutor's LMS and CMS with forum and notes
patches, tutor-mfe, tutor-credentials, tutor-discovery, tutor-notes, tutor-xqueue) as
their clients read them: every Redis URL (with its pool or broker SSL options) is
handed to redis-py 7.1.0 AND kombu 5.6.2, every MySQL database to PyMySQL, against the
real local Redis (TLS-only, AUTH) and MariaDB (TLS-only, REQUIRE SSL) servers.

The same URL without TLS, or without the password, is refused by the server.

LMS and CMS settings are evaluated through edx_settings_standin.py (edx-platform cannot
be installed). The other services' settings files are executed by the plugin's own
settings reader (tutor_eks_plugin/render/django_settings.py), which stands in for their
base settings modules (discovery, credentials, notes, xqueue are not installable here
either); the file itself runs as rendered, with the pod's CA mount path replaced by a
local copy of the bundle Tutor rendered, as the kubelet would mount it.
"""

from __future__ import annotations

import subprocess
import typing as t
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import kombu
import pymysql
import pytest
import redis
import yaml
from datastore_credentials import REDIS_PASSWORD
from datastore_roots import mount_ca, render_root
from edx_settings_standin import POD_CA_DIR, evaluate

from tests.datastores.test_mysql import django_connect_kwargs, pymysql_kwargs
from tutor_eks_plugin.render import django_settings

PLUGINS = ("eks", "mfe", "forum", "notes", "credentials", "discovery", "xqueue")
SERVICES = ("credentials", "discovery", "notes", "xqueue")


@pytest.fixture(scope="module")
def every_plugin_root(tmp_path_factory, pki, redis_tls, mariadb) -> Path:
    """A Tutor root with every plugin enabled, its stores on the local servers."""
    database = {
        f"{service.upper()}_MYSQL_{key}": value
        for service in SERVICES
        for key, value in (
            ("DATABASE", mariadb.database),
            ("USERNAME", mariadb.username),
            ("PASSWORD", mariadb.password),
        )
    }
    root = render_root(
        tmp_path_factory.mktemp("every-plugin"),
        {
            "EKS_CA_BUNDLE_PATH": str(pki.ca),
            "MYSQL_HOST": "127.0.0.1",
            "MYSQL_PORT": mariadb.port,
            "OPENEDX_MYSQL_DATABASE": mariadb.database,
            "OPENEDX_MYSQL_USERNAME": mariadb.username,
            "OPENEDX_MYSQL_PASSWORD": mariadb.password,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": redis_tls.port,
            "REDIS_USERNAME": "default",
            "REDIS_PASSWORD": REDIS_PASSWORD,
            "EKS_REDIS_TLS_CA": "bundle",
            "MONGODB_HOST": "docdb.cluster-abc.eu-west-1.docdb.amazonaws.com",
            "MONGODB_USERNAME": "openedx",
            "MONGODB_PASSWORD": "mongo-password-1",
            **database,
        },
        plugins=PLUGINS,
    )
    return root


@pytest.fixture(scope="module")
def every_plugin(every_plugin_root, tmp_path_factory) -> dict[str, dict[str, t.Any]]:
    """{'<plugin>:<file>': settings} for every rendered settings module a pod runs."""
    root = every_plugin_root
    ca_dir = mount_ca(root, tmp_path_factory.mktemp("ca-mount"))
    found = {f"tutor:{v}": evaluate(root, ca_dir, variant=v) for v in ("lms", "cms")}
    env = root / "env"
    copies = tmp_path_factory.mktemp("settings-copies")
    for path in django_settings.settings_files(env):
        owner = django_settings.owner(env, path)
        if owner == "tutor":
            continue
        copy = copies / "-".join(path.relative_to(env).parts)
        copy.write_text(path.read_text().replace(POD_CA_DIR, str(ca_dir)))
        found[f"{owner}:{path.relative_to(env)}"] = django_settings.execute(copy).values
    assert {key.split(":")[0] for key in found} >= {"tutor", *SERVICES}, sorted(found)
    return found


def _walk(value: t.Any, path: str) -> t.Iterator[tuple[str, t.Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def redis_clients(settings: dict[str, t.Any]) -> list[tuple[str, str, dict[str, t.Any]]]:
    """(setting, URL, the client options the consuming library gets with it)."""
    found = []
    for name, value in settings.items():
        if not name.isupper() or name.startswith("_"):
            continue  # Django reads UPPER_CASE names only
        for path, item in _walk(value, name):
            if not (isinstance(item, str) and item.startswith(("redis://", "rediss://"))):
                continue
            options: dict[str, t.Any] = {}
            if name == "CACHES":  # django-redis: OPTIONS.CONNECTION_POOL_KWARGS
                alias = path.split("'")[1]
                options = settings["CACHES"][alias].get("OPTIONS", {}).get(
                    "CONNECTION_POOL_KWARGS", {}
                )
            elif name in ("BROKER_URL", "CELERY_BROKER_URL"):  # celery: broker_use_ssl
                use_ssl = settings.get(name.replace("_URL", "_USE_SSL"))
                options = {"broker_ssl": use_ssl} if isinstance(use_ssl, dict) else {}
            found.append((path, item, options))
    return found


def distinct_clients(every_plugin: dict[str, dict[str, t.Any]]) -> dict[str, t.Any]:
    """Each distinct (URL, options) once, with every setting that holds it (the LMS's
    caches share one URL): the same client would be built for each of them."""
    found: dict[str, t.Any] = {}
    for source, settings in every_plugin.items():
        for setting, url, options in redis_clients(settings):
            key = repr((url, sorted(options.items(), key=str)))
            found.setdefault(key, (url, options, []))[2].append(f"{source} {setting}")
    return found


def _redis_py(url: str, options: dict[str, t.Any]) -> redis.Redis:
    kwargs = options.get("broker_ssl", options)
    return redis.Redis(
        connection_pool=redis.ConnectionPool.from_url(url, socket_timeout=5, **kwargs)
    )


def _kombu(url: str, options: dict[str, t.Any]) -> kombu.Connection:
    ssl = options.get("broker_ssl") or options or None
    return kombu.Connection(url, ssl=ssl, connect_timeout=5) if ssl else kombu.Connection(
        url, connect_timeout=5
    )


def _without_tls(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("ssl_")]
    return urlunsplit(("redis", parts.netloc, parts.path, urlencode(query), ""))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))


def test_every_redis_url_connects_over_tls_with_auth(every_plugin, redis_tls) -> None:
    clients = distinct_clients(every_plugin)
    for url, options, settings in clients.values():
        where = ", ".join(settings)
        parts = urlsplit(url)
        assert parts.scheme == "rediss", where
        assert (parts.hostname, parts.port) == ("127.0.0.1", redis_tls.port), where
        client = _redis_py(url, options)
        key = f"eks-test:{uuid.uuid4()}"
        client.set(key, "v", ex=60)
        assert client.get(key) == b"v", where
        connection = client.connection_pool.get_connection()
        assert isinstance(connection, redis.SSLConnection), where
        client.connection_pool.release(connection)
        client.close()
        with _kombu(url, options) as conn:
            queue = conn.SimpleQueue(f"eks-test-{uuid.uuid4()}")
            queue.put({"from": where})
            assert queue.get(timeout=10).payload == {"from": where}
            queue.close()
    sources = {s.split(":")[0] for _u, _o, settings in clients.values() for s in settings}
    # Discovery's cache, celery broker and event bus are the other plugins' Redis clients.
    assert sources == {"tutor", "discovery"}, sources
    discovery = {s.split(" ", 1)[1] for _u, _o, ss in clients.values() for s in ss
                 if s.startswith("discovery:")}
    assert discovery == {
        "CACHES['default']['LOCATION']",
        "CELERY_BROKER_URL",
        "EVENT_BUS_REDIS_CONNECTION_URL",
    }, discovery


def test_without_tls_or_password_the_server_refuses(every_plugin) -> None:
    no_wait = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
    for url, options, settings in distinct_clients(every_plugin).values():
        where = ", ".join(settings)
        with pytest.raises(redis.exceptions.ConnectionError):
            _redis_py(_without_tls(url), {}).ping()
        with pytest.raises(redis.exceptions.AuthenticationError):
            _redis_py(_without_password(url), options).ping()
        with kombu.Connection(_without_tls(url), connect_timeout=3) as conn:
            with pytest.raises(Exception):  # noqa: B017 - kombu wraps the socket error
                conn.ensure_connection(**no_wait)
        with _kombu(_without_password(url), options) as conn:
            with pytest.raises(Exception, match="(?i)auth"):
                conn.ensure_connection(**no_wait)
        assert where


def test_every_mysql_database_connects_over_verified_tls(every_plugin, mariadb) -> None:
    checked = set()
    for source, settings in every_plugin.items():
        for alias, database in settings.get("DATABASES", {}).items():
            if database.get("ENGINE") != "django.db.backends.mysql":
                continue
            where = f"{source} DATABASES[{alias!r}]"
            options = database["OPTIONS"]
            assert options["charset"] == "utf8mb4", where
            assert options["ssl_mode"] == "VERIFY_IDENTITY", where
            conn = pymysql.connect(**pymysql_kwargs(django_connect_kwargs(database)))
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                    assert cursor.fetchone()[1], where
            finally:
                conn.close()
            plain = django_connect_kwargs(database)
            plain.pop("ssl"), plain.pop("ssl_mode")
            with pytest.raises(pymysql.err.OperationalError):
                pymysql.connect(**plain, ssl_disabled=True, connect_timeout=5)
            checked.add(source.split(":")[0])
    assert checked >= {"tutor", *SERVICES}, checked


def test_services_mount_the_ca_bundle(every_plugin, every_plugin_root, kubectl_bin) -> None:
    """The services' MySQL TLS options point at the CA bundle, and `kubectl kustomize`
    of the render mounts it read-only in each of their Deployments and Jobs."""
    for source, settings in every_plugin.items():
        if source.startswith("tutor:"):
            continue
        for database in settings.get("DATABASES", {}).values():
            assert database["OPTIONS"]["ssl"]["ca"].endswith("/ca-bundle.pem"), source
    out = subprocess.run(
        [kubectl_bin, "kustomize", str(every_plugin_root / "env")],
        capture_output=True, text=True, check=True,
    )
    objects = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(out.stdout) if o}
    for service in SERVICES:
        for kind, name in (("Deployment", service), ("Job", f"{service}-job")):
            spec = objects[(kind, name)]["spec"]["template"]["spec"]
            volumes = {
                v["name"]: v["configMap"]["name"] for v in spec["volumes"] if "configMap" in v
            }
            for container in spec["containers"]:
                mounts = [m for m in container.get("volumeMounts", [])
                          if m["mountPath"] == POD_CA_DIR]
                assert len(mounts) == 1 and mounts[0]["readOnly"], (name, container["name"])
                assert volumes[mounts[0]["name"]].startswith("eks-ca-bundle"), name
