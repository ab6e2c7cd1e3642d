"""Security headers that Django does not set itself."""

# Public pages run no inline script (JSON-LD blocks are data, which browsers do not
# execute), load nothing from elsewhere, and are never framed.
PUBLIC_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
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
        in_admin = request.path.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy",
            ADMIN_CONTENT_SECURITY_POLICY if in_admin else PUBLIC_CONTENT_SECURITY_POLICY,
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
