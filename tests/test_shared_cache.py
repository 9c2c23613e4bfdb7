"""The shared cache in Redis (config.cache): one client for each server,
and the operations the page cache and the rate limits use, against a real
Redis when one is running (REDIS_TEST_URL, by default database 14 of the
local one)."""

import os
import socket
from urllib.parse import urlsplit

import pytest

from config.cache import SharedRedisCache
from timeline.checks import unshared_caches

URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


def redis_running():
    address = urlsplit(URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_running(), reason=f"no Redis at {URL}")


@pytest.fixture
def shared():
    cache = SharedRedisCache(URL, {"KEY_PREFIX": "test-shared-cache"})
    cache.clear()
    yield cache
    cache.clear()


@needs_redis
def test_every_operation_goes_through_one_client_for_the_server(shared):
    first = shared._cache.get_client("a")
    shared.set("a", 1)

    assert shared._cache.get_client("b", write=True) is first


@needs_redis
def test_the_shared_cache_keeps_what_the_page_cache_and_the_limits_ask_of_it(shared):
    assert shared.add("lock", 1, 40)
    assert not shared.add("lock", 2, 40)
    shared.set_many({"token:a": "x", "token:b": "y"}, None)
    shared.set("count", 1)
    shared.incr("count")

    assert shared.get_many(["token:a", "token:b", "missing"]) == {"token:a": "x", "token:b": "y"}
    assert shared.get("count") == 2
    shared.delete("lock")
    assert shared.get("lock") is None


def test_the_shared_cache_counts_as_shared_for_the_production_check(settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.SharedRedisCache", "LOCATION": URL}}

    assert unshared_caches() == []


def test_a_cache_of_each_process_still_does_not(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert unshared_caches() == ["default"]
