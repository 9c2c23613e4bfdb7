"""The shared cache in Redis, with one client for each server.

Django's Redis backend makes a new `redis.Redis` for every operation, and a
client copies its table of about three hundred reply handlers when it is
made: about a dozen operations a public page, each paying for it. A client
is safe to share between threads (each command takes a connection from the
pool), so one for each server's pool is kept and used for every operation.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ClientPerServer(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerServer
