"""Django's Redis cache backend, keeping its redis-py clients.

Django's backend makes a new `redis.Redis` client for every cache call, and
redis-py's client fills its table of about 170 response callbacks in its
constructor: measured in-process, that was 40 % of the time of a page served from
the cache (four calls per page). A client is only a connection pool and those
callbacks; it is safe to share between threads, and its pool reconnects after a
fork, so one client per pool is kept.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.utils.functional import cached_property

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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

    @cached_property
    def watched(self):
        return WatchedKeys(self)


class WatchedKeys:
    """A few small values read at every request (the page cache's generation and its
    tags' versions), kept in the worker's memory for as long as Redis does not say
    they changed: Redis's client-side caching (CLIENT TRACKING, RESP3), which tells
    the connection that read a key when any client changes it. A page served from the
    cache then costs no round trip to Redis: measured with gunicorn's two workers,
    2,350 requests a second for the plan against 1,430-1,720 (the static file:
    2,400-2,700), Redis's own process no longer taking a share of the two cores.

    Before a kept value is used, what Redis has sent is read without waiting, so a
    purge by any worker or server is seen as soon as its message arrives: Redis
    writes it before the next event of its loop, in the same instant as its answer to
    the purging client. The purges of this process forget its copies at once
    (`forget`). A lost connection (a Redis restart, a fork) forgets everything; an
    error reads through the cache as before. Redis's messages name a key without its
    database: a change of the same name in another database forgets the copy too (one
    read more, never a stale value)."""

    MAX_KEYS = 50_000
    # After an error (Redis restarting, or refusing CLIENT TRACKING: an older Redis, an
    # ACL), values are read through the cache, and a new connection tried this much
    # later: not at every request.
    RETRY_SECONDS = 10

    def __init__(self, backend):
        self._backend = backend
        self._values = {}
        self._connection = None
        self._pid = None
        self._retry_at = 0
        self._lock = threading.Lock()

    def get_many(self, keys):
        if time.monotonic() < self._retry_at:
            return self._backend.get_many(keys)
        redis_keys = {self._backend.make_key(key): key for key in keys}
        with self._lock:
            try:
                connection = self._ready()
                while connection.can_read(timeout=0):
                    connection.read_response(push_request=True)
                missing = [key for key in redis_keys if key not in self._values]
                if missing:
                    if len(self._values) + len(missing) > self.MAX_KEYS:
                        self._values.clear()
                    connection.send_command("MGET", *missing)
                    loads = self._backend._cache._serializer.loads
                    for key, value in zip(missing, connection.read_response(), strict=True):
                        if value is not None:
                            self._values[key] = loads(value)
                return {
                    redis_keys[key]: self._values[key] for key in redis_keys if key in self._values
                }
            except RedisError as error:
                logger.warning("Reading the cache without Redis's messages for a while: %s", error)
                self._close()
                self._retry_at = time.monotonic() + self.RETRY_SECONDS
        return self._backend.get_many(keys)

    def forget(self, keys):
        with self._lock:
            for key in keys:
                self._values.pop(self._backend.make_key(key), None)

    def _ready(self):
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        # A connection made before a fork belongs to the parent: never read from it.
        self._connection, self._values = None, {}
        pool = self._backend._cache._get_connection_pool(write=True)
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._invalidated)
            connection.send_command("CLIENT", "TRACKING", "ON")
            connection.read_response()
        except RedisError:
            connection.disconnect()
            raise
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _invalidated(self, message):
        # ["invalidate", [keys]], or ["invalidate", None] when the database is flushed.
        keys = message[1]
        if keys is None:
            self._values.clear()
            return
        for key in keys:
            self._values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def close(self):
        with self._lock:
            self._close()

    def _close(self):
        connection, self._connection, self._values = self._connection, None, {}
        if connection is not None and self._pid == os.getpid():
            connection.disconnect()


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
    def shared_key(key):
        return f"fragment:{key}"

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            from home.page_cache import FRAGMENTS, note_shared_read

            note_shared_read(key, FRAGMENTS)
            value = self._shared.get(self.shared_key(key), _MISSING)
            if value is _MISSING:
                return default
            super().set(key, value, version=version)
        return value

    def clear_here(self):
        """This worker's copies forgotten, the shared ones kept."""
        super().clear()

    def keep_here(self, key, value):
        """A copy read from the shared cache, kept in this worker."""
        super().set(key, value)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._shared.set(self.shared_key(key), value, settings.PAGE_CACHE_SECONDS)
