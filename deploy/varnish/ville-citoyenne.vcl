# Varnish in front of the site's application servers (README, "Production"): what
# the site's own page cache keeps for anonymous visitors, Varnish keeps too, and
# forgets by the same tags. The site names a page's tags in `Surrogate-Key`, and on
# each change sends `PURGE` with an `xkey-purge` header listing the tags to forget
# (home/page_cache.py); the xkey module of Debian's varnish-modules does the rest.
# Included by a file that declares the `apps` director (see default.vcl).

import xkey;

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header required"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    set req.backend_hint = apps.backend();
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|api|documents)/") {
        return (pass);
    }
    # A visitor with a session (staff, a page's password) or a message waiting gets
    # the page made for them, as the site's own cache decides.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # The commune déléguée a visitor chose ("près de chez vous", home/near_me.py)
    # changes the home page and the header: one copy per commune, as the site's own
    # cache keeps. No other cookie changes a page: a page with a form sets its own
    # CSRF cookie, and such a response is never kept (Set-Cookie, private).
    if (req.http.Cookie ~ "(^|;\s*)pres_de_chez_vous=[a-z0-9-]{1,60}(;|$)") {
        set req.http.X-Commune = regsub(
            req.http.Cookie, "^(.*;\s*)?pres_de_chez_vous=([a-z0-9-]+).*$", "\2");
    } else {
        unset req.http.X-Commune;
    }
    unset req.http.Cookie;
}

sub vcl_hash {
    hash_data(req.http.X-Commune);
}

sub vcl_backend_fetch {
    if (bereq.http.X-Commune) {
        set bereq.http.Cookie = "pres_de_chez_vous=" + bereq.http.X-Commune;
    }
    unset bereq.http.X-Commune;
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        # Forgotten exactly when what it shows changes; kept as long as the site's
        # own cache keeps it (PAGE_CACHE_SECONDS), for what the clock alone changes.
        if (beresp.ttl > 0s) {
            set beresp.ttl = 300s;
        }
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
