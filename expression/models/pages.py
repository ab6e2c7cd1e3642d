"""The idea box's two pages: the expression page, where citizens write, and the
questions and answers page, where the staff's published answers are read."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import SharingMixin

INTRO_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class ExpressionPage(RoutablePageMixin, SharingMixin, Page):
    """The idea box: the one form through which citizens send ideas, questions, coups de
    cœur, coups de gueule and reports of problems in the public space."""

    # The query parameters it reads: the page cache keys it by these alone (`kind`, the former
    # name of `type`, answers a redirect but stays in the key while links carry it).
    query_parameters = {"type", "kind", "action"}

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer within (days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("The time the commune commits to for an answer, told to the citizen."),
    )
    confirmation_text = RichTextField(
        _("confirmation text"),
        features=INTRO_FEATURES,
        blank=True,
        help_text=_("Shown after sending, below what happens next."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("answer_within_days"),
        FieldPanel("confirmation_text"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("confirmation_text"),
        SynchronizedField("answer_within_days"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("expression page")
        verbose_name_plural = _("expression pages")

    @path("", name="form")
    def form_view(self, request):
        from ..views import expression_form  # the views import this module

        return expression_form(request, self)

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        from ..views import expression_confirmation  # the views import this module

        return expression_confirmation(request, self)

    @path("suivi/<str:token>/", name="tracking")
    def tracking_view(self, request, token):
        from ..views import expression_tracking  # the views import this module

        return expression_tracking(request, self, token)

    def questions_answers_page(self):
        return (
            QuestionsAnswersPage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("path")
            .first()
        )


class QuestionsAnswersPage(RoutablePageMixin, SharingMixin, Page):
    """The plan's "rubrique questions/réponses": the messages the staff published with
    their answers, without any personal data."""

    # The query parameters it reads: the page cache keys it by these alone (`kind` as above).
    query_parameters = {"q", "type", "kind", "commune", "action", "page"}
    # What it lists, for the page cache: a published answer forgets it.
    cache_tags = ("answers",)

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("questions and answers page")
        verbose_name_plural = _("questions and answers pages")

    @path("", name="index")
    def index_view(self, request):
        from ..views import questions_answers  # the views import this module

        return questions_answers(request, self)

    @path("signalements/", name="reports")
    def reports_view(self, request):
        from ..views import public_reports  # the views import this module

        return public_reports(request, self)
