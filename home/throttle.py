"""Throttles of the page passwords and of the admin's password reset.

django-axes guards the admin's login only. A page's (or a collection's) password was
open to guessing without limit, and the password reset sent as many emails as it was
asked for. Each is counted in the cache, as the public forms' rate limit is
(home/forms.py), per visitor's address and per target (the restriction guessed, the
account asked for), so that many addresses guessing one password are stopped too.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .forms import client_address


def _keys(scope, request, target):
    # The target may be an email address: only its digest goes into the cache.
    digest = hashlib.sha256(str(target).strip().lower().encode()).hexdigest()[:32]
    return (
        (f"throttle:{scope}:address:{client_address(request)}", 0),
        (f"throttle:{scope}:target:{digest}", 1),
    )


def _limits(setting):
    per_address, per_target, period = getattr(settings, setting)
    return (per_address, per_target), period


def _blocked(keys, limits):
    counts = cache.get_many([key for key, _which in keys])
    return any(counts.get(key, 0) >= limits[which] for key, which in keys)


def _count(keys, period):
    for key, _which in keys:
        cache.add(key, 0, timeout=period)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period)


def too_many_attempts(request, period):
    minutes = max(1, period // 60)
    return render(request, "too_many_attempts.html", {"minutes": minutes}, status=429)


def throttle_failures(scope, target_argument, setting="PAGE_PASSWORD_ATTEMPT_LIMIT"):
    """A password form's view, refused (429) once its target or the visitor's address
    has failed too often, even with the right password; a redirection is a success
    (Wagtail's views redirect to the page once the password is right)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            keys = _keys(scope, request, kwargs[target_argument])
            limits, period = _limits(setting)
            if _blocked(keys, limits):
                return too_many_attempts(request, period)
            response = view(request, *args, **kwargs)
            if not 300 <= response.status_code < 400:
                _count(keys, period)
            return response

        return wrapper

    return decorator


def throttle_requests(scope, field, setting="PASSWORD_RESET_LIMIT"):
    """A view that sends an email on each POST: every request counts, for the
    visitor's address and for the address asked for (the `field` of the form)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                keys = _keys(scope, request, request.POST.get(field, "")[:320])
                limits, period = _limits(setting)
                if _blocked(keys, limits):
                    return too_many_attempts(request, period)
                _count(keys, period)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
