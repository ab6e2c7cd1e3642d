from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from home import admin_views as home_admin_views
from home import routing
from home import views as home_views

from .api import api_router

# A lost database answers a French 503 page, other errors the 500 page.
handler500 = "home.errors.server_error"

urlpatterns = [
    # Before Wagtail's own: that one names any page by its id (home/admin_views.py).
    path(
        "admin/choose-page/chosen-multiple/",
        require_admin_access(home_admin_views.ScopedChosenMultipleView.as_view()),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", home_views.sitemap, name="sitemap"),
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
    # Wagtail's page view, with the page found in three queries (home/routing.py);
    # Wagtail's own utility addresses (_util/) keep their views.
    re_path(routing.SERVE_PATTERN, routing.serve),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
