"""Settings of the application servers that the Varnish test starts in their own
processes: the test settings, with production's shared cache (Redis) and the
Varnish to purge, both given in the environment."""

import os

from ville_citoyenne.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "ville_citoyenne.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "ville-citoyenne",
    },
    "fragments": FRAGMENT_CACHE,  # noqa: F405
}
FRONTEND_CACHE_PURGE_URLS = [os.environ["FRONTEND_CACHE_PURGE_URL"]]
NUM_PROXIES = 1  # Varnish adds X-Forwarded-For
# The admin's scripts and styles, from the apps' folders (no collectstatic here).
WHITENOISE_USE_FINDERS = True
