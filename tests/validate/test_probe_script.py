"""The connectivity Job's probe script, run for real with Django against MariaDB and
Redis on 127.0.0.1 that accept TLS only (the servers of tests/datastores).

The openedx image cannot run here, so the script runs in this interpreter with a small
Django settings module holding what the LMS settings hold for these stores. edx-platform
(`xmodule`) and the Meilisearch client are not installable here: those two probes fail
with the import error, which also shows that one failing store does not hide the others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
from datastore_pki import make_pki
from datastore_servers import free_port, start_mariadb, start_redis, stop

from tutor_eks_plugin.live import inside

REDIS_PASSWORD = "probe-redis-token-0123456789"
MYSQL_PASSWORD = "probe-db-password-42"


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[dict[str, t.Any]]:
    pki = make_pki(tmp_path_factory.mktemp("probe-pki"))
    redis = start_redis(tmp_path_factory.mktemp("probe-redis"), pki, "default", REDIS_PASSWORD)
    try:
        mariadb = start_mariadb(tmp_path_factory.mktemp("probe-mariadb"), pki, "openedx",
                                "openedx", MYSQL_PASSWORD)
    except BaseException:
        stop(redis.process)
        raise
    yield {"ca": str(pki.ca), "redis": redis.port, "mysql": mariadb.port}
    stop(mariadb.process)
    stop(redis.process)


def _probe(tmp_path: Path, stores: dict[str, t.Any], redis_password: str) -> dict[str, t.Any]:
    settings = tmp_path / "probe_settings.py"
    settings.write_text(f'''
import pymysql
pymysql.install_as_MySQLdb()  # mysqlclient needs a compiler; PyMySQL stands in for it
SECRET_KEY = "probe"
INSTALLED_APPS = []
DATABASES = {{"default": {{
    "ENGINE": "django.db.backends.mysql", "HOST": "127.0.0.1", "PORT": {stores["mysql"]},
    "NAME": "openedx", "USER": "openedx", "PASSWORD": {MYSQL_PASSWORD!r},
    "OPTIONS": {{"ssl": {{"ca": {stores["ca"]!r}}}}},
}}}}
CACHES = {{"default": {{
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "rediss://default:{redis_password}@127.0.0.1:{stores["redis"]}/1",
    "OPTIONS": {{"ssl_ca_certs": {stores["ca"]!r}}},
}}}}
DOC_STORE_CONFIG = {{"host": "127.0.0.1", "port": {free_port()}, "db": "edxapp",
                     "collection": "modulestore"}}
MEILISEARCH_URL = "http://127.0.0.1:{free_port()}"
MEILISEARCH_API_KEY = "probe"
''')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "probe_settings",
           "PYTHONPATH": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", inside.PROBE_SCRIPT], capture_output=True,
                         text=True, env=env, timeout=120, check=False)
    lines = [ln for ln in run.stdout.splitlines() if ln.startswith(inside.MARKER)]
    assert run.returncode == 0 and lines, run.stdout + run.stderr
    return dict(json.loads(lines[-1][len(inside.MARKER):]))


def test_mysql_and_redis_are_reached_over_tls(tmp_path: Path, stores: dict[str, t.Any]) -> None:
    found = _probe(tmp_path, stores, REDIS_PASSWORD)
    assert found["mysql"][0] == "ok" and "TLS TLSv1." in found["mysql"][1], found
    assert found["redis"] == ["ok", "PING ok, SSLConnection"], found
    assert found["mongodb"][0] == "fail" and "xmodule" in found["mongodb"][1]
    assert found["meilisearch"][0] == "fail" and "meilisearch" in found["meilisearch"][1]


def test_a_wrong_redis_token_is_reported_for_redis_only(
    tmp_path: Path, stores: dict[str, t.Any]
) -> None:
    found = _probe(tmp_path, stores, "not-the-token")
    assert found["redis"][0] == "fail", found
    assert "Authentication" in found["redis"][1] or "WRONGPASS" in found["redis"][1]
    assert found["mysql"][0] == "ok"
