"""The admin's page search in one language (see locales.py): the views cannot live
beside the helpers, which the models import."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from wagtail.admin.views.pages.search import SearchView, page_filter_search
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from .locales import locale_asked


class DefaultLocaleSearchView(SearchView):
    """The admin's page search (the search box on top of the sidebar): Wagtail's, in
    one language, French unless `?locale=` asks for another."""

    # One language: no language label after each title.
    show_locale_labels = False
    # Wagtail's view names no model: its count read "1-4 sur 4 None".
    verbose_name = Page._meta.verbose_name
    verbose_name_plural = Page._meta.verbose_name_plural

    def get_queryset(self):
        # Wagtail's, restated: it builds its pages inline and searches them at once,
        # and a search's results can no longer be filtered.
        locale = locale_asked(self.request)
        self.all_pages = Page.objects.filter(locale=locale)
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            self.all_pages = self.all_pages.filter(
                pk__in=self.permission_policy.explorable_instances(self.request.user).values_list(
                    "pk", flat=True
                )
            )
        pages = self.all_pages
        if self.ordering:
            pages = pages.order_by(self.ordering)
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        pages = self.annotate_queryset(pages)
        pages, self.all_pages = page_filter_search(
            self.search_query, pages, self.all_pages, self.ordering
        )
        if pages.supports_facet:
            self.content_types = [
                (ContentType.objects.get_for_id(content_type_id), count)
                for content_type_id, count in self.all_pages.facet("content_type_id").items()
            ]
        return pages


class DefaultLocalePageViewSet(PageViewSet):
    search_view_class = DefaultLocaleSearchView
