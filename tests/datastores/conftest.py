"""Fixtures: a throw-away PKI, real Redis and MariaDB servers with TLS, and Tutor roots
rendered by the real `tutor` CLI with the plugin pointing at those servers."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from datastore_credentials import MYSQL_PASSWORD, REDIS_PASSWORD
from datastore_pki import Pki, make_pki
from datastore_roots import render_root
from datastore_servers import MariaDbServer, RedisServer, start_mariadb, start_redis, stop


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def redis_tls(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> t.Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("redis-tls"), pki, "default", REDIS_PASSWORD)
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def redis_plain(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("redis-plain"), None, "", REDIS_PASSWORD)
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> t.Iterator[MariaDbServer]:
    server = start_mariadb(
        tmp_path_factory.mktemp("mariadb"), pki, "openedx", "openedx", MYSQL_PASSWORD
    )
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def tls_root(tmp_path_factory, pki: Pki, redis_tls: RedisServer, mariadb: MariaDbServer) -> Path:
    """TLS everywhere, verified against the throw-away CA given as EKS_CA_BUNDLE_PATH."""
    return render_root(
        tmp_path_factory.mktemp("tutor-tls"),
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
        },
    )


@pytest.fixture(scope="session")
def plain_root(tmp_path_factory, redis_plain: RedisServer) -> Path:
    """Plain Redis (EKS_REDIS_TLS=false) with a password and no username."""
    return render_root(
        tmp_path_factory.mktemp("tutor-plain"),
        {
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": redis_plain.port,
            "REDIS_PASSWORD": REDIS_PASSWORD,
            "EKS_REDIS_TLS": False,
        },
    )
