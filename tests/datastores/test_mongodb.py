"""MongoDB: every Mongo client configuration the rendered settings hold (modulestore
stores, contentstore, DOC_STORE_CONFIG, the forum's client) is handed to pymongo 4.4.0
(the version pinned in the Tutor 22 image) and validated by pymongo itself with
`MongoClient(..., connect=False)`: TLS, CA file (loaded into an SSL context), retryWrites,
replicaSet, read preference. No MongoDB or DocumentDB server runs here, so no round trip.

Modulestore and contentstore clients are opened through edx_mongo_connect.py, the TEST
DOUBLE of edx-platform's `xmodule.mongo_utils.connect_to_mongodb` option handling
(read_preference -> ReadPreference object, authsource, replicaSet), which cannot be
imported here; the forum's client is `MongoClient(**FORUM_MONGODB_CLIENT_PARAMETERS)`
as openedx/forum opens it. For the
mongodb+srv:// case, DNS is a test double too: pymongo's SRV/TXT lookups are replaced
by fixed answers (no DNS server is reachable).
"""

from __future__ import annotations

import ssl
import typing as t

import pymongo
import pytest
from datastore_roots import mount_ca, render_root
from edx_mongo_connect import open_store
from edx_settings_standin import evaluate
from pymongo import srv_resolver

DOCDB = "docdb.cluster-abc.eu-west-1.docdb.amazonaws.com"


def every_mongo_config(settings: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    found = {
        "DOC_STORE_CONFIG": settings["DOC_STORE_CONFIG"],
        "CONTENTSTORE": settings["CONTENTSTORE"]["DOC_STORE_CONFIG"],
    }
    for store in settings["MODULESTORE"]["default"]["OPTIONS"]["stores"]:
        found[f"MODULESTORE/{store['NAME']}"] = store["DOC_STORE_CONFIG"]
    return found


def _ssl_context(client: pymongo.MongoClient) -> ssl.SSLContext | None:
    return client.options.pool_options._ssl_context  # pymongo's own validated context


@pytest.fixture(scope="module")
def documentdb(tmp_path_factory, pki):
    root = render_root(
        tmp_path_factory.mktemp("mongo-docdb"),
        {
            "EKS_CA_BUNDLE_PATH": str(pki.ca),
            "MONGODB_HOST": DOCDB,
            "MONGODB_USERNAME": "openedx",
            "MONGODB_PASSWORD": "mongo-password-1",
        },
        plugins=("eks", "forum"),
    )
    return root, evaluate(root, mount_ca(root, tmp_path_factory.mktemp("ca")))


def test_documentdb_options_reach_every_client(documentdb) -> None:
    _, settings = documentdb
    configs = every_mongo_config(settings)
    assert len(configs) == 4
    for name, config in configs.items():
        assert "ssl" not in config, name
        client = open_store(config)
        options = client.options
        assert options.replica_set_name == "rs0", name
        assert options.retry_writes is False, name
        assert options.read_preference.mongos_mode == "primary", name
        assert options._options["tls"] is True, name
        assert options._options["tlscafile"].endswith("/ca-bundle.pem"), name
        context = _ssl_context(client)
        assert context is not None and context.verify_mode == ssl.CERT_REQUIRED, name
        assert context.check_hostname, name
        # The CA bundle Tutor rendered was loaded as the trust anchor.
        assert any(
            c["subject"] == ((("commonName", "tutor-eks test CA"),),)
            for c in context.get_ca_certs()
        ), name
        assert client.options.pool_options._credentials.source == "admin", name
        assert client.address is None or client.address[0] == DOCDB  # nothing contacted
        client.close()


def test_forum_client_gets_the_same_options(documentdb) -> None:
    _, settings = documentdb
    params = dict(settings["FORUM_MONGODB_CLIENT_PARAMETERS"])
    assert "ssl" not in params
    client = pymongo.MongoClient(**params, connect=False)
    assert client.options.replica_set_name == "rs0"
    assert client.options.retry_writes is False
    assert client.options._options["tls"] is True
    assert client.options._options["tlscafile"].endswith("/ca-bundle.pem")
    assert client.options.read_preference.mongos_mode == "primary"
    client.close()


def test_configured_read_preference_wins_over_edx_default(documentdb) -> None:
    """edx-platform's DOC_STORE_CONFIG says 'SECONDARY_PREFERRED' and connect_to_mongodb
    turns it into a ReadPreference object that beats any `readPreference` option: the
    split and draft stores must still read from the primary (EKS_MONGODB_READ_PREFERENCE
    defaults to 'primary' for Studio's read-after-write)."""
    _, settings = documentdb
    for store in settings["MODULESTORE"]["default"]["OPTIONS"]["stores"]:
        client = open_store(store["DOC_STORE_CONFIG"])
        assert client.read_preference.mongos_mode == "primary", store["NAME"]
        client.close()


def test_tutor_alone_reads_modulestore_from_secondaries(documentdb, tmp_path) -> None:
    """The defect the plugin fixes: without its block the split and draft stores keep
    edx-platform's SECONDARY_PREFERRED."""
    root, _ = documentdb
    tutor_only = evaluate(root, mount_ca(root, tmp_path), with_plugin=False)
    for store in tutor_only["MODULESTORE"]["default"]["OPTIONS"]["stores"]:
        client = open_store(store["DOC_STORE_CONFIG"])
        assert client.read_preference.mongos_mode == "secondaryPreferred", store["NAME"]
        client.close()


def test_tutor_alone_conflicts_or_lacks_tls(documentdb, tmp_path) -> None:
    """Without the plugin: no TLS, retryable writes on, no replica set - what DocumentDB
    refuses (TLS is on by default there) or mishandles."""
    root, _ = documentdb
    tutor_only = evaluate(root, mount_ca(root, tmp_path), with_plugin=False)
    client = open_store(tutor_only["DOC_STORE_CONFIG"])
    assert _ssl_context(client) is None
    assert client.options.retry_writes is True
    assert client.options.replica_set_name is None
    client.close()


def test_byo_host_list_uses_system_cas_and_retryable_writes(tmp_path_factory) -> None:
    root = render_root(
        tmp_path_factory.mktemp("mongo-byo"),
        {
            "EKS_MONGODB_MODE": "byo",
            "MONGODB_HOST": "mongo-1.internal:27017,mongo-2.internal:27017",
            "MONGODB_REPLICA_SET": "rs-openedx",
            "EKS_MONGODB_READ_PREFERENCE": "secondaryPreferred",
        },
        plugins=("eks", "forum"),
    )
    # No CA bundle is configured: nothing is mounted, the image's CAs verify the server.
    settings = evaluate(root, tmp_path_factory.mktemp("no-ca-mount"))
    for name, config in every_mongo_config(settings).items():
        client = open_store(config)
        assert set(client._topology_settings.seeds) == {
            ("mongo-1.internal", 27017),
            ("mongo-2.internal", 27017),
        }, name
        assert client.options.replica_set_name == "rs-openedx", name
        assert client.options.retry_writes is True, name
        assert client.options.read_preference.mongos_mode == "secondaryPreferred", name
        assert "tlscafile" not in client.options._options, name
        assert _ssl_context(client).verify_mode == ssl.CERT_REQUIRED, name
        client.close()
    forum = pymongo.MongoClient(**settings["FORUM_MONGODB_CLIENT_PARAMETERS"], connect=False)
    assert forum.options.read_preference.mongos_mode == "secondaryPreferred"
    assert forum.options.replica_set_name == "rs-openedx"
    assert forum.options.retry_writes is True
    forum.close()


def test_byo_srv_uri(tmp_path_factory, monkeypatch) -> None:
    root = render_root(
        tmp_path_factory.mktemp("mongo-srv"),
        {
            "EKS_MONGODB_MODE": "byo",
            "MONGODB_HOST": "mongodb+srv://cluster0.example.net",
            "MONGODB_USERNAME": "openedx",
            "MONGODB_PASSWORD": "mongo-password-1",
        },
    )
    settings = evaluate(root, tmp_path_factory.mktemp("ca"))
    monkeypatch.setattr(
        srv_resolver._SrvResolver,
        "get_options",
        lambda self: "authSource=admin&replicaSet=atlas-abc",
    )
    monkeypatch.setattr(
        srv_resolver._SrvResolver,
        "get_hosts",
        lambda self: [("shard-00.example.net", 27017), ("shard-01.example.net", 27017)],
    )
    monkeypatch.setattr(
        srv_resolver._SrvResolver,
        "get_hosts_and_min_ttl",
        lambda self: ([("shard-00.example.net", 27017), ("shard-01.example.net", 27017)], 60),
    )
    # edx-platform passes Tutor's MONGODB_PORT (27017) next to the SRV URI: the real
    # call shape is kept, and pymongo takes the hosts from the SRV answer.
    client = open_store(settings["DOC_STORE_CONFIG"])
    assert set(client._topology_settings.seeds) == {
        ("shard-00.example.net", 27017),
        ("shard-01.example.net", 27017),
    }
    assert client.options._options["tls"] is True
    assert client.options.replica_set_name == "atlas-abc"
    assert client.options.retry_writes is True
    client.close()
