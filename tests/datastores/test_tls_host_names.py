"""Host-name verification: a server whose certificate chains to the trusted CA but was
issued to another name is refused by every client the rendered settings build.

The other tests' servers present a certificate for 127.0.0.1, the address the clients
use, so a client that skipped the host-name check (`ssl_check_hostname` false, MySQL
`ssl_mode` VERIFY_CA) would still pass them. Here a second Redis and a second MariaDB
present a certificate from the same CA for OTHER_NAME only. The clients are built from
the settings the plugin rendered (tls_root), with only the port changed to reach the
wrong-name server; each refusal is paired with a control that shows the chain itself
is accepted once the name check is off, so the refusal is the name check's alone.

MongoDB: no MongoDB server can run here (none is packaged for this machine), so the
TLS endpoint standing in for DocumentDB is the wrong-name Redis server: pymongo does
its TLS handshake (and the host-name check) before the first MongoDB message, so the
handshake is real; the control against the right-name server gets past TLS and fails
only at the protocol.
"""

from __future__ import annotations

import copy
import typing as t

import kombu
import pymongo
import pytest
import redis
from datastore_credentials import MYSQL_PASSWORD, REDIS_PASSWORD
from datastore_roots import mount_ca
from datastore_servers import MariaDbServer, RedisServer, start_mariadb, start_redis, stop
from edx_mongo_connect import open_store
from edx_settings_standin import evaluate

from tests.datastores.test_mysql import django_connect_kwargs, pymysql_kwargs

# OpenSSL's words for a certificate that does not name the address used.
MISMATCH = "mismatch"


@pytest.fixture(scope="module")
def settings(tls_root, tmp_path_factory) -> dict[str, t.Any]:
    return evaluate(tls_root, mount_ca(tls_root, tmp_path_factory.mktemp("ca-mount")))


@pytest.fixture(scope="module")
def redis_other_name(tmp_path_factory, pki) -> t.Iterator[RedisServer]:
    server = start_redis(
        tmp_path_factory.mktemp("redis-other-name"), pki.other_name(), "default", REDIS_PASSWORD
    )
    yield server
    stop(server.process)


@pytest.fixture(scope="module")
def mariadb_other_name(tmp_path_factory, pki) -> t.Iterator[MariaDbServer]:
    server = start_mariadb(
        tmp_path_factory.mktemp("mariadb-other-name"),
        pki.other_name(),
        "openedx",
        "openedx",
        MYSQL_PASSWORD,
    )
    yield server
    stop(server.process)


def _to_port(url: str, old: int, new: int) -> str:
    assert f"127.0.0.1:{old}/" in url, url
    return url.replace(f"127.0.0.1:{old}/", f"127.0.0.1:{new}/")


def _cache(settings: dict[str, t.Any], old: int, new: int) -> tuple[str, dict[str, t.Any]]:
    cache = settings["CACHES"]["default"]
    kwargs = dict(cache["OPTIONS"]["CONNECTION_POOL_KWARGS"])
    return _to_port(cache["LOCATION"], old, new), kwargs


def test_redis_cache_client_refuses_a_certificate_for_another_name(
    settings, redis_tls, redis_other_name
) -> None:
    location, kwargs = _cache(settings, redis_tls.port, redis_other_name.port)
    assert kwargs["ssl_check_hostname"] is True
    client = redis.Redis(connection_pool=redis.ConnectionPool.from_url(location, **kwargs))
    with pytest.raises(redis.exceptions.ConnectionError, match=MISMATCH):
        client.ping()
    # Control: the same chain passes once the name is not checked.
    kwargs["ssl_check_hostname"] = False
    lax = redis.Redis(connection_pool=redis.ConnectionPool.from_url(location, **kwargs))
    assert lax.ping()


def test_celery_broker_refuses_a_certificate_for_another_name(
    settings, redis_tls, redis_other_name
) -> None:
    url = _to_port(settings["BROKER_URL"], redis_tls.port, redis_other_name.port)
    options = dict(settings["BROKER_USE_SSL"])
    assert options["ssl_check_hostname"] is True
    with kombu.Connection(url, ssl=options, connect_timeout=5) as conn:
        with pytest.raises(Exception, match=MISMATCH):
            conn.ensure_connection(max_retries=1)
    options["ssl_check_hostname"] = False
    with kombu.Connection(url, ssl=options, connect_timeout=5) as conn:
        conn.ensure_connection(max_retries=1)


def test_event_bus_client_refuses_a_certificate_for_another_name(
    settings, redis_tls, redis_other_name
) -> None:
    url = _to_port(settings["EVENT_BUS_REDIS_CONNECTION_URL"], redis_tls.port,
                   redis_other_name.port)
    with pytest.raises(redis.exceptions.ConnectionError, match=MISMATCH):
        redis.Redis.from_url(url).ping()
    lax = url.replace("ssl_check_hostname=true", "ssl_check_hostname=false")
    assert lax != url, url
    assert redis.Redis.from_url(lax).ping()


def test_mysql_refuses_a_certificate_for_another_name(
    settings, mariadb, mariadb_other_name
) -> None:
    database = dict(settings["DATABASES"]["default"])
    assert database["OPTIONS"]["ssl_mode"] == "VERIFY_IDENTITY"
    database["PORT"] = mariadb_other_name.port
    import pymysql

    with pytest.raises(pymysql.err.OperationalError, match=MISMATCH):
        pymysql.connect(**pymysql_kwargs(django_connect_kwargs(database)), connect_timeout=5)
    lax = copy.deepcopy(database)
    lax["OPTIONS"]["ssl_mode"] = "VERIFY_CA"
    pymysql.connect(**pymysql_kwargs(django_connect_kwargs(lax)), connect_timeout=5).close()


def _mongo_error(config: dict[str, t.Any], port: int) -> str:
    config = dict(config, host="127.0.0.1", port=port, serverSelectionTimeoutMS=3000)
    client = open_store(config)
    try:
        with pytest.raises(pymongo.errors.ServerSelectionTimeoutError) as error:
            client.admin.command("ping")
    finally:
        client.close()
    return str(error.value)


def test_mongodb_client_refuses_a_certificate_for_another_name(
    settings, redis_tls, redis_other_name
) -> None:
    config = settings["DOC_STORE_CONFIG"]
    wrong_name = _mongo_error(config, redis_other_name.port)
    assert MISMATCH in wrong_name, wrong_name
    # Control: with the right name the TLS handshake succeeds and only the protocol fails.
    right_name = _mongo_error(config, redis_tls.port)
    assert "certificate" not in right_name.lower(), right_name
