"""Redis: the rendered Django caches, celery broker and event bus settings open real
TLS+AUTH connections to a local redis-server (TLS-only, like ElastiCache with in-transit
encryption), and fail with a wrong CA or a wrong password.

Clients are built the way Open edX builds them, from the evaluated settings:
django-redis -> `redis.ConnectionPool.from_url(LOCATION, **CONNECTION_POOL_KWARGS)`
(its default ConnectionFactory; Django itself is not installed here), celery ->
`kombu.Connection(BROKER_URL, ssl=BROKER_USE_SSL)`, edx-event-bus-redis ->
`redis.Redis.from_url(EVENT_BUS_REDIS_CONNECTION_URL)` (walrus' Database.from_url).
redis 7.1.0 and kombu 5.6.2 are the versions pinned in the Tutor 22 image.
"""

from __future__ import annotations

import ssl
import typing as t
import uuid

import kombu
import pytest
import redis
from datastore_roots import mount_ca
from edx_settings_standin import evaluate


def _redis_caches(settings: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    return {
        name: cache
        for name, cache in settings["CACHES"].items()
        if cache["BACKEND"] == "django_redis.cache.RedisCache"
    }


def _cache_client(cache: dict[str, t.Any]) -> redis.Redis:
    kwargs = cache.get("OPTIONS", {}).get("CONNECTION_POOL_KWARGS", {})
    return redis.Redis(connection_pool=redis.ConnectionPool.from_url(cache["LOCATION"], **kwargs))


@pytest.fixture(scope="module")
def tls_settings(tls_root, tmp_path_factory):
    return evaluate(tls_root, mount_ca(tls_root, tmp_path_factory.mktemp("ca-mount")))


@pytest.fixture(scope="module")
def wrong_ca_settings(tls_root, pki, tmp_path_factory):
    mount = mount_ca(tls_root, tmp_path_factory.mktemp("wrong-ca"), bundle=pki.wrong_ca)
    return evaluate(tls_root, mount)


def test_caches_round_trip_over_tls_with_auth(tls_settings, redis_tls) -> None:
    caches = _redis_caches(tls_settings)
    assert set(caches) >= {"default", "general", "celery", "course_structure_cache"}
    for name, cache in caches.items():
        assert cache["LOCATION"].startswith("rediss://default:"), name
        assert cache["LOCATION"].endswith(f"@127.0.0.1:{redis_tls.port}/1"), name
        client = _cache_client(cache)
        key = f"eks-test:{name}:{uuid.uuid4()}"
        client.set(key, "value", ex=60)
        assert client.get(key) == b"value"
        info = client.connection_pool.get_connection()
        try:
            assert isinstance(info, redis.SSLConnection)
        finally:
            client.connection_pool.release(info)


def test_celery_broker_round_trip_over_tls(tls_settings) -> None:
    assert tls_settings["CELERY_BROKER_TRANSPORT"] == "rediss"
    assert tls_settings["BROKER_USE_SSL"]["ssl_cert_reqs"] == ssl.CERT_REQUIRED
    body = {"task": str(uuid.uuid4())}
    with kombu.Connection(tls_settings["BROKER_URL"], ssl=tls_settings["BROKER_USE_SSL"]) as conn:
        queue = conn.SimpleQueue(f"eks-test-{uuid.uuid4()}")
        queue.put(body)
        message = queue.get(timeout=10)
        assert message.payload == body
        message.ack()
        queue.close()


def test_event_bus_stream_round_trip_over_tls(tls_settings) -> None:
    url = tls_settings["EVENT_BUS_REDIS_CONNECTION_URL"]
    assert url.startswith("rediss://") and "ssl_cert_reqs=required" in url
    client = redis.Redis.from_url(url)
    stream = f"eks-test-stream-{uuid.uuid4()}"
    client.xadd(stream, {"event": "ping"})
    entries = client.xread({stream: 0}, count=1)
    assert entries[0][1][0][1] == {b"event": b"ping"}


def test_wrong_ca_is_refused(wrong_ca_settings) -> None:
    cache = _redis_caches(wrong_ca_settings)["default"]
    with pytest.raises(redis.exceptions.ConnectionError, match="certificate verify failed"):
        _cache_client(cache).ping()
    with pytest.raises(redis.exceptions.ConnectionError, match="certificate verify failed"):
        redis.Redis.from_url(wrong_ca_settings["EVENT_BUS_REDIS_CONNECTION_URL"]).ping()
    with kombu.Connection(
        wrong_ca_settings["BROKER_URL"],
        ssl=wrong_ca_settings["BROKER_USE_SSL"],
        connect_timeout=5,
    ) as conn:
        with pytest.raises(Exception, match="certificate verify failed"):
            conn.ensure_connection(max_retries=1)


def test_wrong_password_is_refused(tls_settings, redis_tls) -> None:
    location = _redis_caches(tls_settings)["default"]["LOCATION"]
    wrong = location.replace(redis_tls.password, "not-the-token")
    kwargs = tls_settings["CACHES"]["default"]["OPTIONS"]["CONNECTION_POOL_KWARGS"]
    client = redis.Redis(connection_pool=redis.ConnectionPool.from_url(wrong, **kwargs))
    with pytest.raises(redis.exceptions.AuthenticationError):
        client.ping()


def test_tutor_alone_cannot_reach_elasticache(tls_root, tmp_path) -> None:
    """Without the plugin's block, Tutor's own URLs are plain redis:// and the event bus
    points at redis:6379: the TLS-only server is unreachable from them."""
    tutor_only = evaluate(tls_root, mount_ca(tls_root, tmp_path), with_plugin=False)
    assert tutor_only["CACHES"]["default"]["LOCATION"].startswith("redis://")
    assert tutor_only["EVENT_BUS_REDIS_CONNECTION_URL"] == "redis://@redis:6379/"
    client = redis.Redis.from_url(tutor_only["CACHES"]["default"]["LOCATION"], socket_timeout=3)
    with pytest.raises(redis.exceptions.ConnectionError):
        client.ping()


def test_plain_redis_with_password_only(plain_root, redis_plain, tmp_path) -> None:
    """EKS_REDIS_TLS=false: redis:// with the password kept although REDIS_USERNAME is
    empty (Tutor drops it then), and the broker and event bus on REDIS_HOST."""
    settings = evaluate(plain_root, mount_ca(plain_root, tmp_path))
    for cache in _redis_caches(settings).values():
        assert (
            cache["LOCATION"] == f"redis://:{redis_plain.password}@127.0.0.1:{redis_plain.port}/1"
        )
        assert "OPTIONS" not in cache
        client = _cache_client(cache)
        client.set("eks-plain", "1")
        assert client.get("eks-plain") == b"1"
    assert settings["BROKER_USE_SSL"] is False
    with kombu.Connection(settings["BROKER_URL"]) as conn:
        queue = conn.SimpleQueue("eks-plain")
        queue.put({"ok": 1})
        assert queue.get(timeout=10).payload == {"ok": 1}
        queue.close()
    assert redis.Redis.from_url(settings["EVENT_BUS_REDIS_CONNECTION_URL"]).ping()
    tutor_only = evaluate(plain_root, mount_ca(plain_root, tmp_path / "t"), with_plugin=False)
    with pytest.raises(redis.exceptions.AuthenticationError):
        _cache_client(tutor_only["CACHES"]["default"]).ping()
