"""Checks of the production configuration run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

EVICTION_HINT = (
    "Set `maxmemory` and `maxmemory-policy allkeys-lru` in redis.conf (see README, "
    "Production): the cache then drops its least used entries when full."
)


@register(Tags.caches, deploy=True)
def redis_eviction(app_configs, **kwargs):
    """A Redis that never evicts fills up with cached pages and rate-limit counters
    until every write fails (writes of the cache, of sessions' throttles...); the
    site must run on one that drops its least used keys instead."""
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return []
    import redis

    try:
        connection = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        policy = connection.config_get("maxmemory-policy").get("maxmemory-policy")
    except redis.exceptions.RedisError as error:
        # A managed Redis may refuse CONFIG: it cannot be checked from here.
        return [
            Warning(
                f"Could not read Redis' maxmemory-policy (CONFIG GET refused or failed: "
                f"{error}); check by hand that it evicts keys.",
                hint=EVICTION_HINT,
                id="home.W002",
            )
        ]
    if policy in (None, "noeviction"):
        return [
            Warning(
                f"Redis at REDIS_URL never evicts keys (maxmemory-policy {policy}): once "
                "its memory is full, every write of the cache fails.",
                hint=EVICTION_HINT,
                id="home.W001",
            )
        ]
    return []
