import copy
import html
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import StreamValue
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.rich_text import RichText
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from axes.models import AccessAttempt

from .blocks import BodyBlock
from .page_cache import cached_until_published
from .rgpd import PUBLIC_TASK, Processing, processings

INTRO_FEATURES = ["bold", "italic", "link"]
# The communication team's own part of the admin (a page's address, search engines and
# menus, the site's reports), given to its groups by migration 0013; association
# members never have it.
TEAM_PERMISSION = "home.communication_team"


class Commune(models.Model):
    """One of the seven communes déléguées of Loire-Authion, which actions, events,
    associations, missions and citizens' messages are tied to."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("commune déléguée")
        verbose_name_plural = _("communes déléguées")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def restricted_paths():
    """The tree paths of the sections a visitor must not find listed, in every
    language: each page with a view restriction (password, logged-in users), its
    translations and its aliases. Wagtail copies a restriction along with a page, but
    one added later reaches that page only: its English copy, under another path,
    would be listed, and a translation of its own shown, to anyone.

    Wagtail reads every restriction at each .public(), and a listing calls it several
    times: they are kept in the cache instead, under the site's generation, which a
    new restriction, a publication or a new translation bumps."""
    return cached_until_published("restricted-paths", _private_roots)


def _private_roots():
    # An alias's own restriction (Wagtail copies it with the page) is ignored, as
    # Wagtail ignores it: the alias follows its source.
    restricted = list(
        PageViewRestriction.objects.filter(page__alias_of__isnull=True).values_list(
            "page__path", flat=True
        )
    )
    if not restricted:
        return []
    under_restriction = models.Q()
    for path in restricted:
        under_restriction |= models.Q(path__startswith=path)
    pages = Page.objects.filter(under_restriction)
    copies = Page.objects.filter(
        models.Q(translation_key__in=pages.values("translation_key"))
        | models.Q(alias_of__in=pages.values("pk"))
    )
    paths = sorted({*restricted, *copies.values_list("path", flat=True)})
    # A section's pages are already covered by the section: only the tops are kept.
    roots = []
    for path in paths:
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def private_pages_q(prefix=""):
    """The condition that selects private pages in any language (`prefix`: the
    relation to the page, for another model's rows, e.g. "page__")."""
    condition = models.Q()
    for path in restricted_paths():
        condition |= models.Q(**{f"{prefix}path__startswith": path})
    return condition if condition else models.Q(pk__in=[])


class SitePageQuerySet(PageQuerySet):
    """Every page type's queryset. `public()` (and `not_public()`) leave out the
    private sections in every language, not only the pages that carry the
    restriction."""

    def private_q(self):
        return private_pages_q()

    def visible_to_public(self):
        """What a listing, a feed, the search, the sitemap or the API may show to anyone."""
        return self.live().exclude(private_pages_q())


def all_pages():
    """Pages of every type, with the site's queryset (Page.objects has Wagtail's)."""
    return SitePageQuerySet(Page)


# What search engines show under a page's title: Google cuts at about 160 characters.
DESCRIPTION_LENGTH = 160


def _plain_text(value):
    """The words of a text, rich text or StreamField value, without markup."""
    if value is None:
        return ""
    if isinstance(value, StreamValue):
        # The paragraphs of the body (rich text), not its headings, images or links.
        return " ".join(
            _plain_text(block.value.source) for block in value if isinstance(block.value, RichText)
        )
    return " ".join(html.unescape(strip_tags(str(value))).split())


def page_description(page):
    """The page's meta description: the team's own (promote tab), else the opening
    words of its summary, introduction, description or body."""
    if page.search_description:
        return page.search_description
    for name in ("summary", "intro", "description", "body"):
        text = _plain_text(getattr(page, name, None))
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


class SharingMixin(models.Model):
    """What a page shows when it is shared (plan action 28): the search
    description of Wagtail's promote tab and an image for Open Graph."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("sharing image"),
        help_text=_("Shown when the page is shared on social networks (1200 × 630 px)."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PageManager.from_queryset(SitePageQuerySet)()

    # The page's address, what search engines, menus and social networks show: the
    # communication team's business. An association member's form has none of these
    # fields (Wagtail leaves out a field whose permission the user lacks), so the tab
    # is not shown and a new page's address is made from its title, never clashing
    # with a sibling's (an abandoned draft's included).
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", permission=TEAM_PERMISSION),
                FieldPanel("seo_title", permission=TEAM_PERMISSION),
                FieldPanel("search_description", permission=TEAM_PERMISSION),
            ],
            heading=_("For search engines"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_in_menus", permission=TEAM_PERMISSION)],
            heading=_("For site menus"),
        ),
        MultiFieldPanel(
            [FieldPanel("social_image", permission=TEAM_PERMISSION)], heading=_("Sharing")
        ),
    ]
    # The promote tab in the translation workflow: what search engines and social
    # networks show is translated; the address and the image stay the same.
    promote_translatable_fields = [
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        SynchronizedField("social_image"),
    ]

    class Meta:
        abstract = True

    def get_social_image(self):
        return self.social_image

    def get_view_restrictions(self):
        """Wagtail's check, without reading the ancestors again when the routing
        (home/routing.py) has read them. As in Wagtail, an alias has its source's
        restrictions instead of its own (the copies wagtail-localize gives an English
        alias would ask for the password a second time), and an alias of an alias
        its source's source's, through the subquery. A translation has those of the
        page it translates (or of its sections): a restriction added after a page
        was translated reaches the French page only."""
        ancestors = getattr(self, "_routed_ancestors", None)
        if ancestors is None:
            ancestors = list(self.get_ancestors().only("alias_of", "translation_key"))
        pages = [*ancestors, self]
        sources = [page.alias_of_id for page in pages if page.alias_of_id]
        restricted = restricted_paths()
        if not restricted or (
            not sources and not any(self.path.startswith(path) for path in restricted)
        ):
            # No private section on the site, or none above this page in any language.
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(
            models.Q(page_id__in=[page.pk for page in pages if not page.alias_of_id])
            | models.Q(
                page_id__in=Page.objects.filter(pk__in=sources).values(
                    source=Coalesce("alias_of_id", "pk")
                )
            )
            | models.Q(
                page__translation_key__in=[page.translation_key for page in pages],
                page__alias_of__isnull=True,
            )
        )


class HomePage(SharingMixin, Page):
    # What it shows of the feature apps arrives by registration; each app's pages
    # forget it when they change (`cache_purge_tags`, home/page_cache.py).
    cache_tags = ("home",)

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero picture"),
        help_text=_(
            "A wide picture of the commune, behind the title (at least 1600 × 700 px). "
            "It is decoration: say what matters in the title and introduction."
        ),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        SynchronizedField("hero_image"),
        TranslatableField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
        # A Django permission hangs on a model: the home page's, the root of every
        # page the team promotes.
        permissions = [
            (
                "communication_team",
                _("Works in the communication team (page addresses, menus, reports)"),
            )
        ]

    def get_context(self, request, *args, **kwargs):
        # Imported here: near_me reads the communes of this module.
        from .near_me import chosen_commune, communes

        context = super().get_context(request, *args, **kwargs)
        context["near_me"] = chosen_commune(request)
        context["communes"] = communes()
        sections = self.sections(context["near_me"])
        context["highlights"] = [section for section in sections if section["items"]]
        context["quick_actions"] = [
            action for section in sections for action in section.get("quick_actions", ())
        ]
        return context

    def sections(self, commune=None):
        """What the home page shows of each app: the next events, the plan's
        progress, open volunteer missions, the latest answers, and the quick actions
        each app offers (signaler, proposer une idée, devenir bénévole, s'abonner à
        l'agenda). Each app registers its own under the `home_page_highlights` hook,
        as `fn(home_page, sections, commune=None)` where `sections` maps a page class
        to the home page's child of that type and `commune` is the commune déléguée
        the visitor chose "près de chez vous"; `home` knows none of them. A highlight
        is a dict: title, template, items (not shown when empty), more_url,
        more_label, and optionally quick_actions (label, url, icon) and near (True
        when its items were chosen for `commune`)."""
        # The sections' pages, read in one query (their titles and addresses only).
        children = {
            type(page): page
            for page in reversed(
                list(all_pages().child_of(self).visible_to_public().specific(defer=True))
            )
        }
        highlights = [
            self._highlight(hook, children, commune)
            for hook in hooks.get_hooks("home_page_highlights")
        ]
        return [highlight for highlight in highlights if highlight]

    def _highlight(self, hook, children, commune):
        """A hook's section, kept until one of the tags the hook names in `cache_tags`
        is purged (the next events until an event is published, the latest answers
        until an answer is), and no longer than the page cache keeps a page: the next
        events move with the clock. Publishing an answer makes the home page again
        with the agenda's, the plan's and the missions' sections as they were."""
        tags = getattr(hook, "cache_tags", None)
        if tags is None:
            return hook(self, children, commune=commune)
        return cached_until_published(
            f"home-highlight:{hook.__module__}.{hook.__name__}:{self.pk}:"
            f"{commune.pk if commune else ''}",
            lambda: hook(self, children, commune=commune),
            tags=tags,
            timeout=settings.PAGE_CACHE_SECONDS,
        )

    def highlights(self, commune=None):
        """The sections that have something to show."""
        return [section for section in self.sections(commune) if section["items"]]


class PersonalDataPage(SharingMixin, Page):
    """The "Données personnelles" page: the team's introduction, then the register of
    processings generated from the models (`home.rgpd`), so it always states what the
    site really keeps and for how long. Every form links to it (commune settings)."""

    intro = RichTextField(_("introduction"), features=[*INTRO_FEATURES, "ul"], blank=True)
    body = StreamField(
        BodyBlock(),
        verbose_name=_("after the list of processings"),
        blank=True,
        help_text=_("For example: who is in charge, how to exercise your rights."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("personal data page")
        verbose_name_plural = _("personal data pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["processings"] = processings()
        return context


class SubmissionToken(models.Model):
    """The one-time token of a public form, kept once the form is stored, so that a
    double click or a retried request stores nothing twice. Not personal data."""

    token = models.UUIDField(primary_key=True)

    shown_on_public_pages = False
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # A browser retries within minutes; a day is ample.
    KEPT_FOR = timedelta(days=1)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")

    @classmethod
    def used(cls, token):
        return token is not None and cls.objects.filter(pk=token).exists()

    @classmethod
    def claim(cls, token):
        """Record `token` in the caller's transaction; raise DuplicateSubmission when
        it is already recorded, even by a request still in flight (the unique key
        makes the second insert wait for the first to commit)."""
        if token is None:
            return
        try:
            with transaction.atomic():
                cls.objects.create(token=token)
        except IntegrityError as error:
            raise DuplicateSubmission from error

    @classmethod
    def prune(cls, now):
        return cls.objects.filter(created_at__lt=now - cls.KEPT_FOR).delete()[0]


class DuplicateSubmission(Exception):
    """The form was already stored under the same token."""


class FailedLogin(AccessAttempt):
    """The admin's failed logins, which django-axes counts to lock an account or an
    address (settings: AXES_*). A proxy of its table, so that the register of
    processings lists them and the daily purge removes them once the lockout is over
    (axes itself only clears them at the next attempt)."""

    shown_on_public_pages = False

    personal_data = Processing(
        name=_("Failed logins to the administration"),
        data=_(
            "The username typed, the network address and browser of the attempt, and "
            "the number of failures."
        ),
        purpose=_("Protect the accounts of the staff and associations against password guessing."),
        legal_basis=PUBLIC_TASK,
        recipients=_("The site's administrators."),
        retention=settings.AXES_COOLOFF_TIME,
        retention_note=_("Counted from the last failed attempt."),
        order=70,
    )

    class Meta:
        proxy = True
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    @classmethod
    def purge_personal_data(cls, now):
        return cls.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()[0]

    @classmethod
    def personal_data_of(cls, email):
        # Staff log in with their username, which is often their address.
        return cls.objects.filter(username__iexact=email.strip())

    @classmethod
    def erase_personal_data(cls, email):
        return cls.personal_data_of(email).delete()[0]


class StandardPage(SharingMixin, Page):
    intro = models.TextField(_("lead paragraph"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class AccessibilityPage(SharingMixin, Page):
    """The accessibility statement the law requires (article 47 of law 2005-102),
    following the RGAA's model: the compliance status with the audit's date and
    rate, the content that is not accessible, the derogations, how the statement
    was established, the contact and the recourse to the Défenseur des droits. The
    footer shows its status ("Accessibilité : partiellement conforme") on every page."""

    class Compliance(models.TextChoices):
        # The RGAA's three statuses, decided by the share of criteria met.
        FULL = "totale", _("fully compliant")
        PARTIAL = "partielle", _("partially compliant")
        NONE = "non", _("not compliant")

    # Its status is in every page's footer: a publication changing it must forget
    # every page (home/page_cache.py), not only the statement's own.
    shown_on_every_page = True

    intro = models.TextField(_("lead paragraph"), blank=True, max_length=600)
    compliance = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.NONE,
        help_text=_(
            "Fully: every RGAA criterion is met. Partially: at least 50 % are. Not "
            "compliant: less than 50 %, or no valid audit."
        ),
    )
    rgaa_version = models.CharField(_("RGAA version"), max_length=10, default="4.1")
    audit_date = models.DateField(_("date of the audit"), null=True, blank=True)
    audited_by = models.CharField(
        _("audit carried out by"), max_length=200, blank=True, help_text=_("A firm or a team.")
    )
    compliance_rate = models.DecimalField(
        _("share of the RGAA criteria met (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    non_compliant = RichTextField(
        _("non-compliant content"),
        features=[*INTRO_FEATURES, "ul"],
        blank=True,
        help_text=_("What the audit found, and the accessible alternative when there is one."),
    )
    derogations = RichTextField(
        _("derogations for disproportionate burden"),
        features=[*INTRO_FEATURES, "ul"],
        blank=True,
        help_text=_("Each one explained and justified."),
    )
    exempted = RichTextField(
        _("content not subject to the obligation"),
        features=[*INTRO_FEATURES, "ul"],
        blank=True,
    )
    established_on = models.DateField(_("statement established on"))
    technologies = models.CharField(
        _("technologies used"), max_length=200, default="HTML5, CSS, SVG, JavaScript"
    )
    test_environment = models.TextField(
        _("test environment"),
        blank=True,
        help_text=_("The browsers and assistive technologies used, one per line."),
    )
    tools = models.TextField(_("evaluation tools"), blank=True, help_text=_("One per line."))
    pages_checked = models.TextField(_("pages checked"), blank=True, help_text=_("One per line."))
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Left empty: the commune's contact email (commune settings)."),
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contact form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("after the statement"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("compliance"),
                FieldRowPanel([FieldPanel("rgaa_version"), FieldPanel("compliance_rate")]),
                FieldRowPanel([FieldPanel("audit_date"), FieldPanel("audited_by")]),
            ],
            heading=_("Compliance status"),
        ),
        MultiFieldPanel(
            [FieldPanel("non_compliant"), FieldPanel("derogations"), FieldPanel("exempted")],
            heading=_("Content that is not accessible"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("established_on"),
                FieldPanel("technologies"),
                FieldPanel("test_environment"),
                FieldPanel("tools"),
                FieldPanel("pages_checked"),
            ],
            heading=_("How this statement was established"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_page")],
            heading=_("Feedback and contact"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        SynchronizedField("compliance"),
        SynchronizedField("rgaa_version"),
        SynchronizedField("audit_date"),
        SynchronizedField("audited_by"),
        SynchronizedField("compliance_rate"),
        TranslatableField("non_compliant"),
        TranslatableField("derogations"),
        TranslatableField("exempted"),
        SynchronizedField("established_on"),
        SynchronizedField("technologies"),
        TranslatableField("test_environment"),
        TranslatableField("tools"),
        TranslatableField("pages_checked"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_page"),
        TranslatableField("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def clean(self):
        super().clean()
        rate = self.compliance_rate
        # The status follows the rate (RGAA): the team cannot claim more than measured.
        if rate is not None and (
            (self.compliance == self.Compliance.FULL and rate < 100)
            or (self.compliance == self.Compliance.PARTIAL and not 50 <= rate < 100)
        ):
            raise ValidationError(
                {
                    "compliance": _(
                        "This status does not match the share of criteria met: fully "
                        "compliant at 100 %, partially from 50 %, not compliant below."
                    )
                }
            )

    def footer_mention(self):
        return _("Accessibility: %(status)s") % {"status": self.get_compliance_display()}

    def lines(self, field):
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]


def _luminance(hex_colour):
    def channel(value):
        value = int(value, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(hex_colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(hex_colour):
    """WCAG's contrast ratio between a colour (#rrggbb) and white."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def darker(hex_colour, factor=0.7):
    """The colour darkened (hover states, the footer), as #rrggbb."""
    return "#" + "".join(f"{round(int(hex_colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def validate_readable_on_white(value):
    """White text on the colour, and the colour as text on white, must both be read
    by everyone (WCAG AA: 4.5:1), whatever colour another commune chooses."""
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "This colour is too light: white text on it has a contrast of %(ratio).1f:1, "
                "4.5:1 at least is needed (WCAG AA). Choose a darker shade."
            ),
            params={"ratio": ratio},
        )


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give the colour as # followed by six hexadecimal digits.")
)


@register_setting(icon="site")
class CommuneSettings(BaseSiteSetting):
    @classmethod
    def for_site(cls, site):
        """Read once per site generation, which any change of the settings bumps:
        every page shows them (header, footer), a query saved on each. A copy: Wagtail's
        `for_request` sets the request on what it returns, and the kept instance is
        shared by the requests of this worker."""
        return copy.copy(
            cached_until_published(
                f"commune-settings:{site.pk}", lambda: super(CommuneSettings, cls).for_site(site)
            )
        )

    commune_name = models.CharField(_("commune name"), max_length=100, default="Loire-Authion")
    tagline = models.CharField(
        _("site name"),
        max_length=60,
        default="Ville citoyenne",
        help_text=_("Shown under the commune's name in the header."),
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#0b5566",
        validators=[colour_validator, validate_readable_on_white],
        help_text=_("Links, buttons, the menu. e.g. #0b5566"),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#a13f12",
        validators=[colour_validator, validate_readable_on_white],
        help_text=_("Quick actions, highlights. e.g. #a13f12"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(_("town hall address"), blank=True, max_length=300)
    # The address as written above is free text; search engines need its parts.
    postal_code = models.CharField(
        _("postal code"),
        blank=True,
        max_length=10,
        help_text=_("Given with the places of the agenda's events to search engines."),
    )
    department = models.CharField(
        _("département"),
        blank=True,
        max_length=100,
        help_text=_("e.g. Maine-et-Loire"),
    )
    phone = models.CharField(_("phone"), blank=True, max_length=30)
    email = models.EmailField(_("contact email"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("personal data page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Read with the settings in the one query every page makes for them.
    select_related = ["logo", "legal_notice_page", "privacy_page", "accessibility_page"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("commune_name"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
                FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")]),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("department")]),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
            ],
            heading=_("Social networks"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("legal_notice_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Pages required in the footer"),
        ),
    ]

    class Meta:
        verbose_name = _("commune settings")

    def theme_css(self):
        """The commune's colours as the stylesheet's custom properties (theme.css)."""
        primary, accent = self.primary_colour.lower(), self.accent_colour.lower()
        return (
            f":root {{ --brand: {primary}; --brand-dark: {darker(primary)}; "
            f"--brand-deep: {darker(primary, 0.45)}; --accent: {accent}; "
            f"--accent-dark: {darker(accent)}; }}\n"
        )

    def social_links(self):
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(name, url) for name, url in links if url]

    def legal_pages(self):
        return [
            page
            for page in (self.legal_notice_page, self.privacy_page, self.accessibility_page)
            if page is not None
        ]
