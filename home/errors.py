"""The site's answer when PostgreSQL cannot be reached."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.views import defaults

# Seconds after which a browser or a proxy may try again: Django reconnects by
# itself on the next request once the database is back (conn_health_checks).
RETRY_AFTER = 30


def server_error(request):
    """Django's 500 handler, except for a lost database: then a French 503 page,
    rendered without touching the database, instead of "server error"."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        with translation.override("fr"):
            body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return defaults.server_error(request)
