"""The data-store URL and option builders (settings/redis.py, mongodb.py, mysql.py and
the shared rules of settings/datastores.py), read by the clients that use them.

Fast enough to run once per mutant (scripts/mutation.sh): no Tutor root, no server. The
plugin's settings partial is rendered in-process by Tutor's own Renderer (the plugin
loaded in a hooks context, tests/eks_in_process.py), then executed in a namespace that
holds only the keys it edits (DATABASES, CACHES, the Mongo store configurations; their
shapes as Tutor's settings leave them). What the block produced is handed to the real
clients, none of which connects here:

- redis-py 7.1.0: ``Redis.from_url`` (edx-event-bus-redis) and ``ConnectionPool.from_url``
  with the pool kwargs (django-redis), read back from the pool's connection kwargs;
- kombu 5.6.2: ``Connection(BROKER_URL, ssl=BROKER_USE_SSL)`` (celery's broker);
- pymongo 4.4.0: ``MongoClient(..., connect=False)``, its parsed client options;
- Django's MySQL backend options, as PyMySQL receives them (``ssl``, ``ssl_mode``).

The server-side proofs (a TLS handshake refused on a wrong name, ...) are in
tests/datastores; these pin the builders' decisions one by one.
"""

from __future__ import annotations

import functools
import ssl
import typing as t

import kombu
import pymongo
import pytest
import redis
import yaml
from eks_defaults import rendered_defaults
from eks_in_process import eks_plugin_in_process
from tutor import env as tutor_env

from tutor_eks_plugin import cabundle
from tutor_eks_plugin.config import problems

PARTIAL = "eks/partials/openedx-lms-common-settings/datastores"
REDIS = {
    "REDIS_HOST": "master.openedx.abc123.euw1.cache.amazonaws.com",
    "REDIS_PORT": 6380,
    "REDIS_USERNAME": "default",
    "REDIS_PASSWORD": "auth-token-1",
    "OPENEDX_CACHE_REDIS_DB": 3,
    "OPENEDX_CELERY_REDIS_DB": 5,
}
DOCDB = "openedx.cluster-abc.eu-west-1.docdb.amazonaws.com"
MYSQL = "openedx.abc.eu-west-1.rds.amazonaws.com"


def _edx_namespace() -> dict[str, t.Any]:
    """The settings the block edits, shaped as Tutor's LMS settings leave them."""

    def doc_store() -> dict[str, t.Any]:
        return {
            "host": DOCDB,
            "port": 27017,
            "db": "openedx",
            "user": "openedx",
            "password": "mongo-pass",
            "ssl": False,
            "replicaSet": None,
            "read_preference": "SECONDARY_PREFERRED",
        }

    return {
        "DATABASES": {
            "default": {"ENGINE": "django.db.backends.mysql", "HOST": MYSQL, "OPTIONS": {}},
            "read_replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        },
        "CACHES": {
            "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://x"},
            "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        },
        "DOC_STORE_CONFIG": doc_store(),
        "CONTENTSTORE": {"DOC_STORE_CONFIG": doc_store()},
        "MODULESTORE": {
            "default": {"OPTIONS": {"stores": [{"DOC_STORE_CONFIG": doc_store()}, {}]}}
        },
        "FORUM_MONGODB_CLIENT_PARAMETERS": {"host": DOCDB, "read_preference": "x"},
        "BROKER_URL": "tutor-broker",
        "EVENT_BUS_REDIS_CONNECTION_URL": "tutor-event-bus",
    }


@functools.lru_cache(maxsize=1)
def _defaults() -> dict[str, t.Any]:
    """Tutor's and the plugin's defaults, rendered once (a second per render): the keys
    the cases set are plain values that no default of these stores is rendered from."""
    # A fixed JWT key: generating the 2048-bit RSA key of Tutor's default costs a second.
    return rendered_defaults(JWT_RSA_PRIVATE_KEY="(not read by these tests)")


def from_yaml(values: dict[str, t.Any]) -> dict[str, t.Any]:
    """The values as config.yml gives them: strings parsed afresh, never the interned
    literals of this file, so an `==` turned into `is` in the code is noticed."""
    loaded: dict[str, t.Any] = yaml.safe_load(yaml.safe_dump(values))
    return loaded


def config_with(**user: t.Any) -> dict[str, t.Any]:
    return {**_defaults(), **from_yaml({**REDIS, "MYSQL_HOST": MYSQL, **user})}


def evaluate(**user: t.Any) -> dict[str, t.Any]:
    """Render the plugin's settings block for this config and run it."""
    config = config_with(**{"MONGODB_HOST": DOCDB, **user})
    with eks_plugin_in_process():
        text = tutor_env.Renderer(config).render_template(PARTIAL)
    namespace = _edx_namespace()
    exec(compile(text, PARTIAL, "exec"), namespace)  # noqa: S102 - the rendered settings
    return namespace


def found(**user: t.Any) -> list[str]:
    """The plugin's problems for this config, as `tutor config save` reports them
    (MySQL without TLS unless a case turns it on: it would need a CA bundle)."""
    return problems(config_with(**{"EKS_MYSQL_TLS": False, **user}))


# ---- Redis --------------------------------------------------------------------------


def _event_bus(settings: dict[str, t.Any]) -> dict[str, t.Any]:
    pool = redis.Redis.from_url(settings["EVENT_BUS_REDIS_CONNECTION_URL"]).connection_pool
    return {"class": pool.connection_class, **pool.connection_kwargs}


def _cache(settings: dict[str, t.Any]) -> dict[str, t.Any]:
    cache = settings["CACHES"]["default"]
    kwargs = cache.get("OPTIONS", {}).get("CONNECTION_POOL_KWARGS", {})
    pool = redis.ConnectionPool.from_url(cache["LOCATION"], **kwargs)
    return {"class": pool.connection_class, **pool.connection_kwargs}


def test_redis_default_is_tls_verified_by_system_cas_for_every_consumer() -> None:
    settings = evaluate()
    for client, db in ((_event_bus(settings), 0), (_cache(settings), 3)):
        assert client["class"] is redis.SSLConnection
        assert client["ssl_cert_reqs"] in ("required", ssl.CERT_REQUIRED)
        assert client["ssl_check_hostname"] is True
        assert client.get("ssl_ca_certs") is None  # the image's trust store
        assert (client["host"], client["port"], client["db"]) == (REDIS["REDIS_HOST"], 6380, db)
        assert (client["username"], client["password"]) == ("default", "auth-token-1")
    assert settings["CACHES"]["local"] == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
    }
    broker = kombu.Connection(settings["BROKER_URL"], ssl=settings["BROKER_USE_SSL"])
    assert settings["CELERY_BROKER_TRANSPORT"] == "rediss"
    assert broker.transport_cls == "rediss"
    assert (broker.hostname, broker.port, broker.virtual_host) == (REDIS["REDIS_HOST"], 6380, "5")
    assert broker.password == "auth-token-1"
    assert broker.ssl == {
        "ssl_cert_reqs": ssl.CERT_REQUIRED,
        "ssl_ca_certs": None,
        "ssl_check_hostname": True,
    }


def test_redis_bundle_ca_reaches_every_consumer() -> None:
    settings = evaluate(EKS_REDIS_TLS_CA="bundle")
    assert _event_bus(settings)["ssl_ca_certs"] == cabundle.MOUNT_PATH
    assert _cache(settings)["ssl_ca_certs"] == cabundle.MOUNT_PATH
    assert settings["BROKER_USE_SSL"]["ssl_ca_certs"] == cabundle.MOUNT_PATH


def test_redis_without_tls_is_plain_everywhere() -> None:
    settings = evaluate(EKS_REDIS_TLS=False, EKS_REDIS_TLS_CA="bundle")
    for client in (_event_bus(settings), _cache(settings)):
        assert client["class"] is redis.Connection
        assert "ssl_check_hostname" not in client
    assert settings["CACHES"]["default"].get("OPTIONS") is None
    assert settings["BROKER_USE_SSL"] is False
    assert kombu.Connection(settings["BROKER_URL"]).transport_cls == "redis"
    assert settings["CELERY_BROKER_TRANSPORT"] == "redis"


def test_redis_consumers_left_out_keep_tutors_setting() -> None:
    settings = evaluate(EKS_REDIS_CONSUMERS=["caches"])
    assert settings["BROKER_URL"] == "tutor-broker"
    assert settings["EVENT_BUS_REDIS_CONNECTION_URL"] == "tutor-event-bus"
    assert _cache(settings)["class"] is redis.SSLConnection
    settings = evaluate(EKS_REDIS_CONSUMERS=["celery", "event_bus"])
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://x"
    assert settings["BROKER_URL"].startswith("rediss://")


def test_redis_tls_and_bundle_decide_the_ca_bundle_rule() -> None:
    """Only TLS verified against the bundle needs one (system CAs or no TLS do not)."""
    assert found() == []
    assert found(EKS_REDIS_TLS=False, EKS_REDIS_TLS_CA="bundle") == []
    needing = found(EKS_REDIS_TLS_CA="bundle")
    assert len(needing) == 1
    assert f"CA bundle for REDIS_HOST={REDIS['REDIS_HOST']} " in needing[0]


def test_redis_consumers_rule() -> None:
    assert found(EKS_REDIS_CONSUMERS=["celery", "caches", "celery"]) == [
        "EKS_REDIS_CONSUMERS=['celery', 'caches', 'celery'] lists a consumer twice."
    ]
    assert found(EKS_REDIS_CONSUMERS=[]) == []
    assert any("REDIS_USERNAME is set but REDIS_PASSWORD is empty" in p
               for p in found(REDIS_PASSWORD=""))
    # Neither is fine (a Redis without AUTH), and a password alone is the AUTH token.
    assert found(REDIS_USERNAME="", REDIS_PASSWORD="") == []
    assert found(REDIS_USERNAME="") == []


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [
        ("REDIS_PORT", 1, 65535),
        ("OPENEDX_CACHE_REDIS_DB", 0, 15),
        ("OPENEDX_CELERY_REDIS_DB", 0, 15),
        ("MYSQL_PORT", 1, 65535),
        ("MONGODB_PORT", 1, 65535),
    ],
)
def test_store_number_bounds(key: str, low: int, high: int) -> None:
    """The bounds are stated here, not read from the validators, so a changed bound fails."""
    mongo = {"MONGODB_HOST": DOCDB, "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca"}
    assert found(**mongo, **{key: low}) == []
    assert found(**mongo, **{key: high}) == []
    for bad in (low - 1, high + 1):
        assert found(**mongo, **{key: bad}) == [
            f"{key}={bad} is not valid: expected a whole number from {low} to {high}."
        ]


def test_redis_username_pattern_and_password() -> None:
    assert found(REDIS_USERNAME="a" * 128) == []
    assert len(found(REDIS_USERNAME="a" * 129)) == 1
    assert len(found(REDIS_PASSWORD="has space")) == 1


# ---- MySQL --------------------------------------------------------------------------


def test_mysql_default_verifies_identity_against_the_bundle_and_restores_utf8mb4() -> None:
    options = evaluate()["DATABASES"]["default"]["OPTIONS"]
    assert options == {
        "charset": "utf8mb4",
        "ssl": {"ca": cabundle.MOUNT_PATH},
        "ssl_mode": "VERIFY_IDENTITY",
    }
    # A database of another engine is left alone.
    assert "OPTIONS" not in evaluate()["DATABASES"]["read_replica"]


def test_mysql_verify_ca_and_no_tls() -> None:
    options = evaluate(EKS_MYSQL_SSL_MODE="VERIFY_CA")["DATABASES"]["default"]["OPTIONS"]
    assert options["ssl_mode"] == "VERIFY_CA"
    options = evaluate(EKS_MYSQL_TLS=False)["DATABASES"]["default"]["OPTIONS"]
    assert options == {"charset": "utf8mb4"}


def test_mysql_tls_needs_the_bundle_and_no_tls_does_not() -> None:
    needing = found(EKS_MYSQL_TLS=True)
    assert len(needing) == 1 and f"CA bundle for MYSQL_HOST={MYSQL} " in needing[0]
    assert found(EKS_MYSQL_TLS=True, EKS_MYSQL_SSL_MODE="VERIFY_CA", EKS_CA_BUNDLE_CONFIGMAP="c") \
        == []
    assert found() == []


def test_mysql_names_and_passwords() -> None:
    ok = {"EKS_CA_BUNDLE_CONFIGMAP": "rds-ca"}
    assert found(**ok, OPENEDX_MYSQL_DATABASE="a" * 64, OPENEDX_MYSQL_USERNAME="u" * 32) == []
    assert len(found(**ok, OPENEDX_MYSQL_DATABASE="a" * 65)) == 1
    assert len(found(**ok, MYSQL_ROOT_USERNAME="u" * 33)) == 1
    assert len(found(**ok, OPENEDX_MYSQL_PASSWORD="a'b")) == 1


# ---- MongoDB ------------------------------------------------------------------------


def _mongo_client(params: dict[str, t.Any], ca_file: str) -> pymongo.MongoClient:
    """MongoClient the way the forum builds it (keyword options as given), never
    connecting; the pod's CA mount path is swapped for a real PEM file (the kubelet
    mounts the bundle there)."""
    params = dict(params)
    if params.get("tlsCAFile") == cabundle.MOUNT_PATH:
        params["tlsCAFile"] = ca_file
    params.pop("db", None)
    user, password = params.pop("user", None), params.pop("password", None)
    return pymongo.MongoClient(
        username=user, password=password, connect=False, **params
    )


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory) -> str:
    """A real CA certificate (Python's own trust store path may be empty here)."""
    import certifi

    return certifi.where()


def test_documentdb_defaults_through_pymongo(ca_file: str) -> None:
    settings = evaluate()
    for params in (
        settings["DOC_STORE_CONFIG"],
        settings["CONTENTSTORE"]["DOC_STORE_CONFIG"],
        settings["MODULESTORE"]["default"]["OPTIONS"]["stores"][0]["DOC_STORE_CONFIG"],
    ):
        assert "ssl" not in params and "readPreference" not in params
        assert params["read_preference"] == "primary"
        assert params["tlsCAFile"] == cabundle.MOUNT_PATH
        client = _mongo_client({k: v for k, v in params.items() if k != "read_preference"},
                               ca_file)
        assert client.options.replica_set_name == "rs0"
        assert client.options.retry_writes is False
        assert client.options._options["tls"] is True
        assert client.options._options["tlscafile"] == ca_file
    assert settings["MODULESTORE"]["default"]["OPTIONS"]["stores"][1] == {}
    forum = settings["FORUM_MONGODB_CLIENT_PARAMETERS"]
    assert "read_preference" not in forum
    client = _mongo_client(forum, ca_file)
    assert client.read_preference == pymongo.ReadPreference.PRIMARY
    assert client.options.replica_set_name == "rs0"


def test_byo_mongodb_through_pymongo(ca_file: str) -> None:
    settings = evaluate(
        EKS_MONGODB_MODE="byo", MONGODB_HOST="mongo.example.net",
        EKS_MONGODB_READ_PREFERENCE="secondaryPreferred",
    )
    forum = settings["FORUM_MONGODB_CLIENT_PARAMETERS"]
    # Tutor's replicaSet=None is dropped: a host without a replica set connects directly.
    assert "replicaSet" not in settings["DOC_STORE_CONFIG"]
    assert "tlsCAFile" not in forum  # the system CAs verify Atlas
    client = _mongo_client(forum, ca_file)
    assert client.options.replica_set_name is None
    assert client.options.retry_writes is True
    assert client.options._options["tls"] is True
    assert client.read_preference == pymongo.ReadPreference.SECONDARY_PREFERRED
    assert settings["DOC_STORE_CONFIG"]["read_preference"] == "secondaryPreferred"


def test_byo_options_replica_set_retry_and_ca() -> None:
    from tutor_eks_plugin.settings import mongodb

    config = from_yaml({
        "EKS_MONGODB_MODE": "byo", "EKS_MONGODB_TLS": True, "EKS_MONGODB_TLS_CA": "bundle",
        "EKS_MONGODB_RETRY_WRITES": False, "EKS_MONGODB_READ_PREFERENCE": "nearest",
        "MONGODB_REPLICA_SET": "atlas-rs", "MONGODB_HOST": "h1:27017,h2:27017",
    })
    assert mongodb.client_options(config) == {
        "tls": True, "tlsCAFile": cabundle.MOUNT_PATH, "retryWrites": False,
        "replicaSet": "atlas-rs", "readPreference": "nearest",
    }
    assert mongodb.client_options({**config, "EKS_MONGODB_RETRY_WRITES": True})[
        "retryWrites"] is True
    plain = {**config, "EKS_MONGODB_TLS": False}
    assert mongodb.client_options(plain)["tls"] is False
    assert "tlsCAFile" not in mongodb.client_options(plain)
    srv = {**plain, "MONGODB_HOST": "mongodb+srv://c.example.net"}
    assert mongodb.client_options(srv)["tls"] is True  # SRV is always TLS
    # DocumentDB: retryWrites on when asked (DocumentDB 8.0.2+), a given rs0 kept.
    docdb = from_yaml({**config, "EKS_MONGODB_MODE": "documentdb", "MONGODB_REPLICA_SET": "",
                       "EKS_MONGODB_RETRY_WRITES": True, "EKS_MONGODB_TLS_CA": "auto"})
    assert mongodb.client_options(docdb) == {
        "tls": True, "tlsCAFile": cabundle.MOUNT_PATH, "retryWrites": True,
        "replicaSet": "rs0", "readPreference": "nearest",
    }
    assert mongodb.client_options({**docdb, "EKS_MONGODB_TLS_CA": "system"}).get(
        "tlsCAFile") is None
    # 'auto' (as config.yml gives it): off for DocumentDB, on for your own MongoDB.
    auto = from_yaml({**docdb, "EKS_MONGODB_RETRY_WRITES": "auto"})
    assert mongodb.client_options(auto)["retryWrites"] is False
    auto = from_yaml({**auto, "EKS_MONGODB_MODE": "byo"})
    assert mongodb.client_options(auto)["retryWrites"] is True


def test_mongodb_tls_ca_choice() -> None:
    from tutor_eks_plugin.settings import mongodb

    def tls_ca(**config: t.Any) -> str:
        return mongodb.tls_ca(from_yaml(config))

    def uses_bundle(**config: t.Any) -> bool:
        return mongodb.uses_bundle(from_yaml(config))

    assert tls_ca() == "bundle"  # the default mode is documentdb
    assert tls_ca(EKS_MONGODB_TLS_CA="auto") == "bundle"
    assert tls_ca(EKS_MONGODB_MODE="documentdb", EKS_MONGODB_TLS_CA="auto") == "bundle"
    assert tls_ca(EKS_MONGODB_MODE="byo", EKS_MONGODB_TLS_CA="auto") == "system"
    assert tls_ca(EKS_MONGODB_MODE="byo", EKS_MONGODB_TLS_CA="bundle") == "bundle"
    assert tls_ca(EKS_MONGODB_TLS_CA="system") == "system"
    assert uses_bundle(EKS_MONGODB_TLS=True) is True
    assert uses_bundle(EKS_MONGODB_TLS=True, EKS_MONGODB_TLS_CA="bundle") is True
    assert uses_bundle(EKS_MONGODB_TLS=False) is False
    assert uses_bundle(EKS_MONGODB_TLS=True, EKS_MONGODB_TLS_CA="system") is False
    assert mongodb.AutoOrBool().ok(yaml.safe_load("auto")) is True


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"MONGODB_HOST": DOCDB}, None),
        ({"MONGODB_HOST": 27017}, "MONGODB_HOST=27017 is not valid: expected a host name."),
        ({"MONGODB_HOST": "u:p@" + DOCDB}, "MONGODB_HOST contains '@'"),
        ({"MONGODB_HOST": DOCDB + ":27017"}, "not valid for EKS_MONGODB_MODE=documentdb"),
        ({"MONGODB_HOST": "a.example.com,b.example.com"},
         "not valid for EKS_MONGODB_MODE=documentdb"),
        ({"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "a.example.com:27017,b.example.com"}, None),
        ({"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "mongodb+srv://c.example.net"}, None),
        ({"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "mongodb://c.example.net"},
         "not valid for EKS_MONGODB_MODE=byo"),
        ({"MONGODB_REPLICA_SET": "rs0"}, None),
        ({"MONGODB_REPLICA_SET": "rs1"}, "DocumentDB's replica set is always 'rs0'"),
        ({"EKS_MONGODB_MODE": "byo", "MONGODB_REPLICA_SET": "rs1",
          "MONGODB_HOST": "a.example.com"}, None),
        ({"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "mongodb+srv://c.example.net",
          "EKS_MONGODB_TLS": False}, "SRV connections always use TLS"),
        ({"MONGODB_HOST": "mongodb+srv://c.example.net"}, "need EKS_MONGODB_MODE=byo"),
        ({"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "a.example.com", "EKS_MONGODB_TLS": False},
         None),
        ({"EKS_MONGODB_MODE": "documentdb", "MONGODB_HOST": "a.example.com"}, None),
        # The mode as config.yml gives it (not the default's literal) decides as well.
        ({"EKS_MONGODB_MODE": "documentdb", "MONGODB_HOST": "a.example.com,b.example.com"},
         "not valid for EKS_MONGODB_MODE=documentdb"),
        ({"EKS_MONGODB_MODE": "documentdb", "MONGODB_REPLICA_SET": "rs1"}, "always 'rs0'"),
        ({"MONGODB_AUTH_SOURCE": ""}, None),
        ({"MONGODB_USERNAME": ""}, None),
        ({"MONGODB_REPLICA_SET": ""}, None),
        ({"EKS_MONGODB_RETRY_WRITES": "yes"}, "expected 'auto', true or false"),
        ({"EKS_MONGODB_RETRY_WRITES": True}, None),
        ({"EKS_MONGODB_RETRY_WRITES": "auto"}, None),
    ],
)
def test_mongodb_rules(user: dict[str, t.Any], expected: t.Optional[str]) -> None:
    from tutor_eks_plugin.settings import mongodb

    config = from_yaml({"EKS_CA_BUNDLE_CONFIGMAP": "rds-ca", "MONGODB_HOST": DOCDB, **user})
    result = found(**config)
    if expected is None:
        assert result == []
    else:
        assert any(expected in p for p in result), result
    # The rules themselves, on a config that only holds these keys.
    direct = [p for rule in mongodb.RULES for p in rule(config)]
    if "expected 'auto'" not in (expected or ""):
        assert direct == result


def test_srv_documentdb_without_tls_lists_both_problems() -> None:
    from tutor_eks_plugin.settings import mongodb

    config = from_yaml({"MONGODB_HOST": "mongodb+srv://c.example.net", "EKS_MONGODB_TLS": False})
    assert len(mongodb._mode_rule(config)) == 2
    assert mongodb._host_rule(config) != []


# ---- shared: datastores.py ----------------------------------------------------------


def test_ca_bundle_rule_names_every_store_needing_it_and_hides_credentials() -> None:
    user = {"MONGODB_HOST": DOCDB, "EKS_REDIS_TLS_CA": "bundle", "EKS_MYSQL_TLS": True}
    result = found(**user)
    assert len(result) == 1
    assert (
        f"for MYSQL_HOST={MYSQL}, MONGODB_HOST={DOCDB}, REDIS_HOST={REDIS['REDIS_HOST']} but"
        in result[0]
    )
    from tutor_eks_plugin.settings import datastores

    assert datastores.shown_host("u:p@h") == "(a value with credentials, hidden)"
    assert datastores.shown_host("h.example.com") == "h.example.com"


def test_placeholder_hosts_need_no_bundle() -> None:
    """Tutor's in-cluster names mean "not configured yet": no bundle asked for."""
    assert found(MYSQL_HOST="mysql", MONGODB_HOST="mongodb", REDIS_HOST="redis", EKS_MYSQL_TLS=True,
                 EKS_REDIS_TLS_CA="bundle") == []
    from tutor_eks_plugin.settings import datastores

    assert datastores.configured({"MYSQL_HOST": ""}, "MYSQL_HOST") is False
    assert datastores.configured({}, "REDIS_HOST") is False
    assert datastores.configured({"REDIS_HOST": "r.example.com"}, "REDIS_HOST") is True


def test_ca_bundle_configmap_or_path(tmp_path) -> None:
    user = {"MONGODB_HOST": DOCDB}
    assert found(**user, EKS_CA_BUNDLE_CONFIGMAP="rds-ca") == []
    both = found(**user, EKS_CA_BUNDLE_CONFIGMAP="rds-ca", EKS_CA_BUNDLE_PATH="/x.pem")
    assert len(both) == 1 and "both set" in both[0]
    missing = found(**user, EKS_CA_BUNDLE_PATH=str(tmp_path / "none.pem"))
    assert len(missing) == 1 and "cannot be read" in missing[0]
    import certifi

    assert found(**user, EKS_CA_BUNDLE_PATH=certifi.where()) == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Plain-pass_1", True),
        ("", True),
        ("a b", False),
        ('a"b', False),
        ("a$b", False),
        ("a`b", False),
        ("a\\b", False),
        (12345, False),
        ("${EKS_SECRET_REDIS_PASSWORD}", True),
        ("${not a placeholder}", False),
    ],
)
def test_secret_validator(value: t.Any, ok: bool) -> None:
    from tutor_eks_plugin.settings import redis as redis_settings

    assert redis_settings.TUTOR_KEYS["REDIS_PASSWORD"].ok(value) is ok


def test_ca_bundle_pem_is_rendered_from_the_path_only() -> None:
    """`eks_ca_bundle_pem()` as the ConfigMap generator's template calls it."""
    import certifi

    template = "{{ eks_ca_bundle_pem() }}"
    with eks_plugin_in_process():
        pem = tutor_env.Renderer(config_with(EKS_CA_BUNDLE_PATH=certifi.where())).render_str(
            template
        )
        none = tutor_env.Renderer(config_with(EKS_CA_BUNDLE_CONFIGMAP="rds-ca")).render_str(
            template
        )
    assert pem == cabundle.read(certifi.where())
    assert "-----BEGIN CERTIFICATE-----" in pem
    assert none == ""
