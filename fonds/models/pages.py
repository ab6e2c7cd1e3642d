"""The fund's page: its rules, cap and calendar, the form of the current call, the
applicant's private tracking page and the gallery of supported projects."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import SharingMixin

from ..blocks import CommitteeMeetingBlock

TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class FundPage(RoutablePageMixin, SharingMixin, Page):
    """The fonds d'initiative citoyenne: what it funds, who may apply, the cap, the
    committee's calendar and, while the call is open, the application form."""

    # The query parameters it reads (the gallery's pages): the page cache keys it by these alone.
    query_parameters = {"page"}

    intro = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)
    rules = RichTextField(
        _("rules of the fund"),
        features=[*TEXT_FEATURES, "h2", "h3"],
        blank=True,
        help_text=_("What the fund supports, the kinds of help, how the committee decides."),
    )
    eligibility = RichTextField(_("who may apply"), features=TEXT_FEATURES, blank=True)
    max_amount = models.DecimalField(
        _("cap per project (euros)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("500"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("The most the fund gives one project in money."),
    )
    call_open = models.BooleanField(
        _("call for projects open"),
        default=True,
        help_text=_("Untick to close the form (the page and the gallery stay)."),
    )
    call_closes_on = models.DateField(
        _("call closes on"),
        null=True,
        blank=True,
        help_text=_("Optional: the form closes by itself after this day."),
    )
    committee_meetings = StreamField(
        [("meeting", CommitteeMeetingBlock())],
        verbose_name=_("committee calendar"),
        blank=True,
    )
    answer_within_days = models.PositiveSmallIntegerField(
        _("first answer within (days)"),
        default=15,
        help_text=_("The time the commune commits to for a first answer, told to applicants."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("call_open"), FieldPanel("call_closes_on")]),
                FieldRowPanel([FieldPanel("max_amount"), FieldPanel("answer_within_days")]),
            ],
            heading=_("Current call"),
        ),
        FieldPanel("eligibility"),
        FieldPanel("rules"),
        FieldPanel("committee_meetings"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("rules"),
        TranslatableField("eligibility"),
        TranslatableField("committee_meetings"),
        SynchronizedField("max_amount"),
        SynchronizedField("call_open"),
        SynchronizedField("call_closes_on"),
        SynchronizedField("answer_within_days"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("fund page")
        verbose_name_plural = _("fund pages")

    @property
    def is_open(self):
        if not self.call_open:
            return False
        return self.call_closes_on is None or timezone.localdate() <= self.call_closes_on

    def upcoming_meetings(self):
        today = timezone.localdate()
        return [block for block in self.committee_meetings if block.value["date"] >= today]

    @path("", name="form")
    def form_view(self, request):
        from ..views import fund_form  # the views import this module

        return fund_form(request, self)

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        from ..views import fund_confirmation  # the views import this module

        return fund_confirmation(request, self)

    @path("suivi/<str:token>/", name="tracking")
    def tracking_view(self, request, token):
        from ..views import fund_tracking  # the views import this module

        return fund_tracking(request, self, token)

    @path("projets-soutenus/", name="gallery")
    def gallery_view(self, request):
        from ..views import fund_gallery  # the views import this module

        return fund_gallery(request, self)
