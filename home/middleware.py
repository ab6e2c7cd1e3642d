"""Security headers that Django does not set itself, the public pages' French
query parameters, and a 400 for a StreamField post Wagtail cannot read."""

from urllib.parse import parse_qsl, urlencode

from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path
from django.utils.http import escape_leading_slashes

# Public pages run no inline script (JSON-LD blocks are data, which browsers do not
# execute), load nothing from elsewhere, and are never framed.
PUBLIC_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
PUBLIC_CONTENT_SECURITY_POLICY = "; ".join([*PUBLIC_DIRECTIVES, "frame-ancestors 'none'"])
# A preview is the public page made inside the admin's request (Wagtail runs the
# middleware again on a request to the page's own address, flagged `is_dummy`): it
# keeps the public rules, and only the admin, on this same site, may frame it in its
# preview panel.
PREVIEW_CONTENT_SECURITY_POLICY = "; ".join([*PUBLIC_DIRECTIVES, "frame-ancestors 'self'"])
# Wagtail's admin uses inline scripts and styles, and frames the site's pages in its
# preview panel: it keeps its own, looser policy, still closed to other sites.
ADMIN_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            policy = ADMIN_CONTENT_SECURITY_POLICY
        elif getattr(request, "is_dummy", False):
            policy = PREVIEW_CONTENT_SECURITY_POLICY
        else:
            policy = PUBLIC_CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# The public pages' query parameters speak French, like their addresses (`du`, `au`,
# `commune`, `categorie`, `type`, `q`, `page`…). Names once published in English
# answer a permanent redirect, so old links and bookmarks keep working.
RENAMED_QUERY_PARAMETERS = {"kind": "type"}
# Wagtail's admin and API keep Wagtail's own names (the API's `type`, the admin's
# filters): nothing renamed applies there.
NOT_PUBLIC_PREFIXES = ("/admin/", "/api/", "/documents/")


def french_query(query_string):
    """The query string with renamed parameters under their French name, in the same
    order. An old name given beside its new one is dropped: the French one, which the
    page reads, wins."""
    pairs = parse_qsl(query_string, keep_blank_values=True, errors="replace")
    present = {name for name, _value in pairs}
    return urlencode(
        [
            (RENAMED_QUERY_PARAMETERS.get(name, name), value)
            for name, value in pairs
            if RENAMED_QUERY_PARAMETERS.get(name) not in present
        ]
    )


class FrenchQueryParametersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and not request.path_info.startswith(NOT_PUBLIC_PREFIXES)
            # request.GET applies Django's limit on the number of parameters.
            and any(name in request.GET for name in RENAMED_QUERY_PARAMETERS)
        ):
            # Escaped as Django escapes it, so that "//elsewhere" stays on this site.
            path = escape_leading_slashes(escape_uri_path(request.path))
            query = french_query(request.META["QUERY_STRING"])
            return HttpResponsePermanentRedirect(f"{path}?{query}")
        return self.get_response(request)


def raised_reading_a_stream(exception):
    """Whether the error comes from Wagtail reading a StreamField's form data: its
    blocks take their counts and types straight from the post
    (`int(data["body-count"])` in wagtail/blocks/stream_block.py), so a post made by
    hand without them raises KeyError or ValueError there, deep in Wagtail."""
    if not isinstance(exception, (KeyError, ValueError)):
        return False
    frame = exception.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        module = frame.tb_frame.f_globals.get("__name__", "")
        if code.co_name == "value_from_datadict" and module.startswith("wagtail.blocks"):
            return True
        frame = frame.tb_next
    return False


class MalformedStreamPostMiddleware:
    """A StreamField post missing its counts answers 400, not 500. The cause is in
    Wagtail, which trusts the admin's JavaScript to send them; only that error is
    caught, any other KeyError stays a 500 to be seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method == "POST" and raised_reading_a_stream(exception):
            return HttpResponseBadRequest()
        return None
