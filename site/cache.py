"""Django's Redis cache backend, keeping its redis-py clients.

Django's backend makes a new `redis.Redis` client for every cache call, and
redis-py's client fills its table of about 170 response callbacks in its
constructor: measured in-process, that was 40 % of the time of a page served from
the cache (four calls per page). A client is only a connection pool and those
callbacks; it is safe to share between threads, and its pool reconnects after a
fork, so one client per pool is kept.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


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


_MISSING = object()


class LocalThenShared(LocMemCache):
    """The site chrome's fragments (the header, the footer): kept in the worker's
    memory, and in the shared cache for the other workers and servers. Their keys
    name the site's generation, so a copy is right for as long as its key is asked
    for; the header of a page first made by the task worker's visit after its
    publication (home/warmup.py) is then made nowhere else. Shared copies live no
    longer than a cached page: the header's key names the page's address and the
    search typed."""

    @property
    def _shared(self):
        return caches["default"]

    @staticmethod
    def _shared_key(key):
        return f"fragment:{key}"

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            value = self._shared.get(self._shared_key(key), _MISSING)
            if value is _MISSING:
                return default
            super().set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._shared.set(self._shared_key(key), value, settings.PAGE_CACHE_SECONDS)
