from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import account
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from home import admin_views as home_admin_views
from home import near_me, routing, throttle
from home import views as home_views

from .api import api_router

# A lost database answers a French 503 page, other errors the 500 page.
handler500 = "home.errors.server_error"

# Wagtail's password forms, throttled (home/throttle.py): the same addresses and
# names as Wagtail's, placed first so that they answer instead.
page_password = throttle.throttle_failures("page-password", "page_view_restriction_id")(
    wagtail_views.authenticate_with_password
)
collection_password = throttle.throttle_failures("collection-password", "restriction_id")(
    wagtaildocs_serve.authenticate_with_password
)
password_reset = throttle.throttle_requests("password-reset", "email")(
    account.PasswordResetView.as_view()
)

urlpatterns = [
    path("admin/password_reset/", password_reset, name="wagtailadmin_password_reset"),
    # Before Wagtail's own: that one names any page by its id (home/admin_views.py).
    path(
        "admin/choose-page/chosen-multiple/",
        require_admin_access(home_admin_views.ScopedChosenMultipleView.as_view()),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", home_views.sitemap, name="sitemap"),
    path("theme.css", home_views.theme_css, name="theme_css"),
    path("pres-de-chez-vous/", near_me.choose_commune, name="choose_commune"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# French at the root of the site, English under /en/.
urlpatterns += i18n_patterns(
    path("recherche/", home_views.search, name="search"),
    path("plan-du-site/", home_views.site_map, name="site_map"),
    path("suivre/", include("follow.urls")),
    # Wagtail's page view, with the page found in three queries (home/routing.py);
    # Wagtail's own utility addresses (_util/) keep their views.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    re_path(routing.SERVE_PATTERN, routing.serve),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
