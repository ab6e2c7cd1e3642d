from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.icons import PictogramField
from home.locales import DefaultLocalePageForm
from home.models import SharingMixin
from home.page_cache import cached_until_published, page_tag, page_tags

from .blocks import IndicatorBlock, StepBlock, StepStatus
from .sources import registered_sources


@register_snippet
class Theme(TranslatableMixin, models.Model):
    """A theme grouping actions of the plan; the communication team edits them."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, help_text=_("Used in the address of the filtered plan.")
    )
    description = models.TextField(_("description"), blank=True, max_length=500)
    pictogram = PictogramField(default="star")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("pictogram"),
        FieldPanel("sort_order"),
    ]

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add a theme")
    admin_empty_message = _("No theme yet.")

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_theme_slug_per_locale")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)


class ActionIndexPage(RoutablePageMixin, SharingMixin, Page):
    """The plan d'actions: every action with its progress, filters and open data."""

    # The query parameters it reads: the page cache keys it by these alone.
    query_parameters = {"theme", "statut", "commune"}
    # What it lists, for the page cache: a published action forgets it.
    cache_tags = ("actions",)

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["actions.ActionPage"]
    max_count_per_parent = 1
    # The team finds an action by its number, as the plan lists them.
    admin_default_ordering = "number"

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def actions(self):
        return (
            ActionPage.objects.visible_to_public()
            .child_of(self)
            .order_by("number")
            .prefetch_related("themes", "communes")
        )

    @path("")
    def index(self, request):
        from .views import action_index  # the views import this module

        return action_index(request, self)

    @path("donnees/csv/", name="csv")
    def csv_export(self, request):
        from .views import export_csv  # the views import this module

        return export_csv(request, self)

    @path("donnees/json/", name="json")
    def json_export(self, request):
        from .views import export_json  # the views import this module

        return export_json(request, self)

    @path("donnees/indicateurs/csv/", name="indicators_csv")
    def indicators_csv_export(self, request):
        from .views import export_indicators_csv  # the views import this module

        return export_indicators_csv(request, self)

    @path("donnees/indicateurs/json/", name="indicators_json")
    def indicators_json_export(self, request):
        from .views import export_indicators_json  # the views import this module

        return export_indicators_json(request, self)


class ActionPage(SharingMixin, Page):
    """An action of the projet citoyen de territoire and how far it has come."""

    number = models.PositiveSmallIntegerField(_("number"))
    summary = models.TextField(
        _("summary"),
        max_length=500,
        blank=True,
        help_text=_("One or two sentences for the plan's list."),
    )
    details_to_come = models.BooleanField(
        _("details to come"),
        default=False,
        help_text=_(
            "The plan gives only this action's title; its details are still to be written."
        ),
    )
    context = RichTextField(
        _("context"), features=["bold", "italic", "link", "ul", "ol"], blank=True
    )
    objectives = StreamField(
        [("objective", blocks.CharBlock(label=_("Objective"), max_length=300, icon="tick"))],
        verbose_name=_("objectives"),
        blank=True,
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    deadline = models.CharField(
        _("deadline"),
        max_length=100,
        blank=True,
        help_text=_("The target period or date, e.g. « 2023 » or « second semestre 2024 »."),
    )
    deadline_date = models.DateField(_("deadline date"), null=True, blank=True)
    deadline_note = models.TextField(_("deadline note"), blank=True, max_length=500)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StepStatus.CHOICES,
        default=StepStatus.TODO,
        editable=False,
    )
    status_override = models.CharField(
        _("status set by the team"),
        max_length=20,
        choices=StepStatus.CHOICES,
        blank=True,
        help_text=_("Leave empty: the status then follows the steps."),
    )
    steps_total = models.PositiveSmallIntegerField(default=0, editable=False)
    steps_done = models.PositiveSmallIntegerField(default=0, editable=False)
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="actions"
    )
    pilot_service = models.CharField(_("pilot service"), max_length=150, blank=True)
    communes = ParentalManyToManyField(
        "home.Commune",
        verbose_name=_("communes déléguées concerned"),
        blank=True,
        related_name="actions",
        help_text=_("Leave empty when the action concerns the whole commune."),
    )
    related_actions = ParentalManyToManyField(
        "self", verbose_name=_("related actions"), blank=True, symmetrical=False
    )
    indicators = StreamField(
        [("indicator", IndicatorBlock())], verbose_name=_("indicators"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("number"), FieldPanel("pilot_service")]),
        FieldPanel("summary"),
        FieldPanel("details_to_come"),
        FieldPanel("context"),
        FieldPanel("objectives"),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("deadline"), FieldPanel("deadline_date")]),
                FieldPanel("deadline_note"),
                FieldPanel("status_override"),
            ],
            heading=_("Deadline and status"),
        ),
        FieldPanel("indicators"),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("communes"), FieldPanel("related_actions")],
            heading=_("Classification"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("context"),
        # Searching "5" in the admin finds action 5.
        index.AutocompleteField("number"),
        index.FilterField("number"),
        index.FilterField("status"),
    ]

    api_fields = [
        APIField("number"),
        APIField("summary"),
        APIField("status"),
        APIField("status_label"),
        APIField("progress"),
        APIField("steps"),
        APIField("indicators"),
        APIField("deadline"),
        APIField("deadline_date"),
        APIField("deadline_note"),
        APIField("pilot_service"),
        APIField("theme_names"),
        APIField("commune_names"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("summary"),
        TranslatableField("context"),
        TranslatableField("objectives"),
        TranslatableField("steps"),
        TranslatableField("deadline"),
        TranslatableField("deadline_note"),
        TranslatableField("pilot_service"),
        TranslatableField("indicators"),
        SynchronizedField("number"),
        SynchronizedField("details_to_come"),
        SynchronizedField("deadline_date"),
        SynchronizedField("status_override"),
        SynchronizedField("themes"),
        SynchronizedField("communes"),
        SynchronizedField("related_actions"),
    ]

    parent_page_types = ["actions.ActionIndexPage"]
    subpage_types = []
    base_form_class = DefaultLocalePageForm

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def clean(self):
        super().clean()
        if self.number is not None:
            duplicates = ActionPage.objects.filter(number=self.number, locale_id=self.locale_id)
            if self.pk:
                duplicates = duplicates.exclude(pk=self.pk)
            if duplicates.exists():
                raise ValidationError(
                    {
                        "number": _("Another action of the plan already has number %(number)s.")
                        % {"number": self.number}
                    }
                )

    def serve_preview(self, request, mode_name):
        # A preview is built from the edit form or a revision and never saved: its
        # progress (steps done, status) would be that of the last save, not of the
        # steps the moderator is approving.
        self.update_progress()
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # An action's parent is the plan (its only allowed parent type). Read only
        # when the page's parts kept until its publication are made again.
        context["plan"] = SimpleLazyObject(self.get_parent)
        context["themes"] = SimpleLazyObject(self.localized_themes)
        context["related"] = ActionPage.public_among(self.related_actions)
        return context

    def localized_themes(self):
        """The action's themes in its language, as (slug, name, the theme named), the
        last telling the name's language (an English alias shows French themes until
        the team translates them)."""
        themes = list(self.themes.all())
        # Themes already in the page's language (French, mostly) need no query.
        localized = {
            theme.translation_key: theme for theme in themes if theme.locale_id == self.locale_id
        }
        if len(localized) < len(themes):
            localized |= {
                theme.translation_key: theme
                for theme in Theme.objects.filter(
                    locale_id=self.locale_id,
                    translation_key__in=[theme.translation_key for theme in themes],
                )
            }
        named = [localized.get(theme.translation_key, theme) for theme in themes]
        return [
            (theme.slug, source.name, source) for theme, source in zip(themes, named, strict=True)
        ]

    def cache_purge_tags(self):
        """Where an action shows: the plan, the home page's latest actions, and the
        actions that name it among theirs."""
        return {"actions", "home"} | page_tags(ActionPage.objects.filter(related_actions=self))

    @classmethod
    def public_among(cls, related_actions):
        """The live, public actions among a page's chosen ones (`related_actions`):
        an action still in draft or kept private stays off public pages. In a preview
        the relation is modelcluster's in-memory list, which has no live(): filtering
        real pages by its ids works there and stays one query (a subquery) on the
        public page."""
        related = related_actions.values_list("id", flat=True)
        return cls.objects.visible_to_public().filter(pk__in=related).order_by("number")

    def save(self, *args, **kwargs):
        self.update_progress()
        super().save(*args, **kwargs)

    # Progress -----------------------------------------------------------------

    def step_statuses(self):
        return [step.value["status"] for step in self.steps if step.block_type == "step"]

    @staticmethod
    def status_from_steps(statuses):
        """The action's status as its steps tell it: abandoned steps do not count,
        one step under way (or some done, others to come) makes it in progress."""
        active = [status for status in statuses if status != StepStatus.ABANDONED]
        if not statuses:
            return StepStatus.TODO
        if not active:
            return StepStatus.ABANDONED
        if all(status == StepStatus.DONE for status in active):
            return StepStatus.DONE
        if any(status in (StepStatus.IN_PROGRESS, StepStatus.DONE) for status in active):
            return StepStatus.IN_PROGRESS
        if any(status == StepStatus.POSTPONED for status in active):
            return StepStatus.POSTPONED
        return StepStatus.TODO

    def update_progress(self):
        statuses = self.step_statuses()
        self.steps_total = len([status for status in statuses if status != StepStatus.ABANDONED])
        self.steps_done = statuses.count(StepStatus.DONE)
        self.status = self.status_override or self.status_from_steps(statuses)

    @property
    def progress(self):
        """The share of the action's steps done, in percent (abandoned steps left out)."""
        if not self.steps_total:
            return 0
        return round(100 * self.steps_done / self.steps_total)

    @property
    def status_label(self):
        return str(dict(StepStatus.CHOICES)[self.status])

    @property
    def theme_names(self):
        return [theme.name for theme in self.themes.all()]

    @property
    def commune_names(self):
        return [commune.name for commune in self.communes.all()]

    def linked_content(self):
        """What other parts of the site tie to this action (its next events, open
        volunteer missions, citizens' questions), as sections of its page. Each app
        registers its section under the `action_page_sections` hook, as
        `fn(action_page)` returning {"title", "template", "items"} or None; `actions`
        imports none of them. A section with no item is left out unless it says
        `"always": True` (one that invites the reader to add the first item).

        A hook naming the tags of what it lists in `cache_tags` has its section kept
        until one of them, or this page, is published, and no longer than the page
        cache keeps a page: the next events move with the clock."""
        sections = [self._section(hook) for hook in hooks.get_hooks("action_page_sections")]
        return [
            section
            for section in sections
            if section and (section["items"] or section.get("always"))
        ]

    def _section(self, hook):
        tags = getattr(hook, "cache_tags", None)
        # What links to an action links to its translation key: a preview's revision
        # shows the same sections as the live page.
        if tags is None or not self.pk:
            return hook(self)
        return cached_until_published(
            f"action-section:{hook.__module__}.{hook.__name__}:{self.pk}",
            lambda: hook(self),
            tags=sorted({page_tag(self), *tags}),
            timeout=settings.PAGE_CACHE_SECONDS,
        )

    @cached_property
    def indicator_list(self):
        """Indicators with their measurements sorted by date, ready for charts: those
        typed by the team and, for an indicator tied to an automatic source, the
        monthly figures the site computed (`computed` tells them apart)."""
        blocks_ = [block for block in self.indicators if block.block_type == "indicator"]
        sources = {block.value.get("source") for block in blocks_} - {None, ""}
        computed = {}
        if sources:  # one query for every source of the page's indicators
            for row in ComputedMeasurement.objects.filter(source__in=sources).order_by("month"):
                computed.setdefault(row.source, []).append(row.as_measurement())
        known = registered_sources()
        indicators = []
        for block in blocks_:
            value = block.value
            source = value.get("source") or ""
            typed = [
                {
                    "date": measurement["date"],
                    "value": measurement["value"],
                    "comment": measurement["comment"],
                    "computed": False,
                }
                for measurement in value["measurements"]
            ]
            measurements = sorted(
                typed + computed.get(source, []), key=lambda measurement: measurement["date"]
            )
            indicators.append(
                {
                    "id": block.id,
                    "name": value["name"],
                    "unit": value["unit"],
                    "target": value["target"],
                    "source": source,
                    "source_label": known[source].label if source in known else "",
                    "measurements": measurements,
                    "has_computed": any(m["computed"] for m in measurements),
                    "latest": measurements[-1] if measurements else None,
                    "chart": chart_geometry(measurements, value["target"]),
                }
            )
        return indicators


class ComputedMeasurement(models.Model):
    """A month's figure of an automatic source (`actions.sources`), written by the
    monthly `compute_indicators` command. A month once measured is kept as it was:
    the records it counted may later be purged (personal data), the figure stays."""

    source = models.CharField(_("source"), max_length=80)
    month = models.DateField(_("month"), help_text=_("The first day of the month measured."))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("computed measurement")
        verbose_name_plural = _("computed measurements")
        ordering = ["source", "month"]
        constraints = [
            models.UniqueConstraint(fields=["source", "month"], name="unique_month_per_source")
        ]

    def __str__(self):
        return f"{self.source} {self.month:%Y-%m}: {self.value}"

    def as_measurement(self):
        return {
            "date": self.month,
            "value": self.value,
            "comment": "",
            "computed": True,
        }


def chart_geometry(measurements, target, width=600, height=240, margin=40):
    """Points of a line chart of the measurements, in SVG coordinates, drawn by the
    template as inline SVG (no JavaScript, nothing to download)."""
    if not measurements:
        return None
    values = [Decimal(measurement["value"]) for measurement in measurements]
    top = max([*values, Decimal(target)] if target is not None else values)
    top = top if top > 0 else Decimal(1)
    plot_width, plot_height = width - 2 * margin, height - 2 * margin
    step = plot_width / (len(values) - 1) if len(values) > 1 else 0
    points = []
    for position, (measurement, value) in enumerate(zip(measurements, values, strict=True)):
        x = margin + (step * position if len(values) > 1 else plot_width / 2)
        y = margin + plot_height - float(value / top) * plot_height
        points.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "value": value,
                "date": measurement["date"],
                "computed": measurement.get("computed", False),
            }
        )
    target_y = (
        round(margin + plot_height - float(Decimal(target) / top) * plot_height, 1)
        if target is not None
        else None
    )
    return {
        "width": width,
        "height": height,
        "baseline": height - margin,
        "left": margin,
        "right": width - margin,
        "top_value": top,
        "top_y": margin,
        "points": points,
        "polyline": " ".join(f"{point['x']},{point['y']}" for point in points),
        "target_y": target_y,
    }


def plan_progress(rows):
    """How many actions in each status, as shares for a bar, and the share of all
    steps done, from (status, steps_total, steps_done) rows."""
    counts = dict.fromkeys([value for value, _label in StepStatus.CHOICES], 0)
    steps_total = steps_done = 0
    for status, total, done in rows:
        counts[status] = counts.get(status, 0) + 1
        steps_total += total
        steps_done += done
    actions_total = sum(counts.values())
    by_status, offset = [], 0.0
    for value, label in StepStatus.CHOICES:
        if counts[value]:
            share = 100 * counts[value] / actions_total
            # The bar's parts, laid end to end (an SVG: no inline style under the CSP).
            by_status.append(
                {
                    "status": value,
                    "label": label,
                    "count": counts[value],
                    "percent": f"{share:.2f}",
                    "offset": f"{offset:.2f}",
                }
            )
            offset += share
    return {
        "total": actions_total,
        "by_status": by_status,
        "steps_done_percent": round(100 * steps_done / steps_total) if steps_total else 0,
    }


def home_highlight(home, plan, commune=None):
    """The home page's highlight: where the plan stands (how many actions in each
    status, the share of steps done) and the three actions the team updated last
    (the plan, the home page's child, or None). With a commune déléguée chosen, its
    actions and the whole commune's."""
    actions = []
    progress = None
    if plan is not None:
        published = ActionPage.objects.visible_to_public().child_of(plan)
        if commune is not None:
            published = published.filter(
                models.Q(communes=commune) | models.Q(communes__isnull=True)
            ).distinct()
        actions = list(published.order_by("-last_published_at")[:3])
        progress = plan_progress(published.values_list("status", "steps_total", "steps_done"))
    return {
        "progress": progress,
        "near": commune is not None,
        "title": plan.title if plan else "",
        "page": plan,
        "template": "actions/includes/latest_actions.html",
        "items": actions,
        "more_url": plan.url if plan else "",
        "more_label": _("See the 31 actions of the plan"),
    }
