"""Following without an account: an email address subscribed to an action, the
agenda (with its filters), an association or the whole plan, once it has confirmed
(double opt-in); what is sent to it, each alert and digest recorded once; and the
state of each action at its last publication, to tell what moved."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, PageLogEntry, Site

from actions.models import ActionIndexPage, ActionPage
from bénévolat.models import AssociationPage
from events.models import EventIndexPage
from home.locales import in_reader_language
from home.rgpd import CONSENT, Processing
from notifications.models import OutgoingEmail

# A confirmation link works this long; an address that never confirms is deleted
# after UNCONFIRMED_RETENTION (`purge_personal_data`).
CONFIRMATION_VALIDITY = timedelta(days=3)
UNCONFIRMED_RETENTION = timedelta(days=7)
# At most one confirmation email per address and target in this interval: the form
# cannot be used to flood someone's mailbox.
CONFIRMATION_INTERVAL = timedelta(days=1)
# The link to manage one's subscriptions, in every email: a fresh one comes with each.
MANAGE_LINK_VALIDITY = timedelta(days=365)
# The agenda's filters a subscription keeps (the period is the digest's own week).
AGENDA_FILTERS = ("commune", "categorie", "organisateur")


class Target(models.TextChoices):
    ACTION = "action", _("an action of the plan")
    AGENDA = "agenda", _("the agenda")
    ASSOCIATION = "association", _("an association")
    PLAN = "plan", _("the whole plan")


PAGE_TARGETS = {
    ActionPage: Target.ACTION,
    EventIndexPage: Target.AGENDA,
    AssociationPage: Target.ASSOCIATION,
    ActionIndexPage: Target.PLAN,
}


def target_of(page):
    """What following `page` means, or None for a page that cannot be followed."""
    return PAGE_TARGETS.get(page.specific_class)


def absolute_url(path):
    """An address for an email: the default site's root (the pages' own full URLs
    use it too)."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + path


def canonical_filters(data):
    """The agenda's filters as one comparable string, in a fixed order, empty
    values left out."""
    return urlencode([(name, data[name]) for name in AGENDA_FILTERS if data.get(name)])


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def following(self, page):
        """Subscriptions to `page` in any language (its translations share a key)."""
        return self.filter(page__translation_key=page.translation_key)

    def of_address(self, email):
        return self.filter(email=normalise(email))


def normalise(email):
    return email.strip().lower()


class Subscription(models.Model):
    """An address following one page: nothing but the confirmation is sent to it
    until it has confirmed."""

    email = models.EmailField(_("email"), max_length=254)
    target = models.CharField(_("followed"), max_length=20, choices=Target.choices)
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    # The agenda's filters, as `canonical_filters` writes them ("" for other targets).
    filters = models.CharField(_("agenda filters"), max_length=300, blank=True)
    # The site's language when subscribing: the emails are written in it.
    language = models.CharField(_("language"), max_length=8, default="fr", editable=False)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    personal_data = Processing(
        name=_("Email alerts (following an action, the agenda, an association or the plan)"),
        data=_("Your email address, what you follow, the language and dates of your subscription."),
        purpose=_(
            "Send you the alerts and digests you asked for, and nothing else; "
            "the team sees how many people follow a page, not who."
        ),
        legal_basis=CONSENT,
        recipients=_(
            "Nobody reads the addresses: they are used to send the emails. "
            "The site's administrators answer requests about your data."
        ),
        retention=UNCONFIRMED_RETENTION,
        retention_note=_(
            "For an unconfirmed subscription; a confirmed one is kept until you unsubscribe "
            "(a link in every email)."
        ),
        order=15,
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "page", "filters"], name="follow_one_subscription_per_target"
            )
        ]

    def __str__(self):
        return f"{self.get_target_display()} — {self.page.title}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def describe(self):
        """What is followed, as the emails and the management page say it."""
        page = self.localized_page()
        if self.target == Target.AGENDA and self.filters:
            return _("%(title)s (%(filters)s)") % {
                "title": page.title,
                "filters": ", ".join(self.filter_labels()),
            }
        return page.title

    def filter_labels(self):
        from django.http import QueryDict

        labels = []
        query = QueryDict(self.filters)
        for name in AGENDA_FILTERS:
            value = query.get(name)
            if value:
                labels.append(filter_label(name, value, self.language))
        return labels

    def localized_page(self):
        """The followed page in the subscription's language when it exists."""
        page = self.page.specific
        with translation.override(self.language):
            localized = page.localized
        return localized.specific if localized.pk != page.pk else page

    def page_url(self):
        page = self.localized_page()
        url = page.get_full_url() or absolute_url(page.url or "/")
        if self.filters:
            url += "?" + self.filters
        return url

    # Signed links ---------------------------------------------------------------

    def confirmation_token(self):
        return signing.dumps(str(self.key), salt="follow.confirm")

    def unsubscribe_token(self):
        return signing.dumps(str(self.key), salt="follow.unsubscribe")

    @classmethod
    def from_token(cls, token, salt, max_age=None):
        """The subscription a signed link names; raises signing.BadSignature
        (signing.SignatureExpired past `max_age`) or cls.DoesNotExist."""
        key = signing.loads(token, salt=salt, max_age=max_age)
        return cls.objects.get(key=key)

    def link(self, name, token):
        with translation.override(self.language):
            return absolute_url(reverse(name, args=[token]))

    def confirmation_url(self):
        return self.link("follow:confirm", self.confirmation_token())

    def unsubscribe_url(self):
        return self.link("follow:unsubscribe", self.unsubscribe_token())

    def manage_url(self):
        return self.link("follow:manage", manage_token(self.email))

    # Emails --------------------------------------------------------------------

    def ask_confirmation(self, now=None):
        """Send the confirmation email, unless one went to this address for this
        target within CONFIRMATION_INTERVAL. Returns whether one was queued."""
        now = now or timezone.now()
        if self.is_confirmed:
            return False
        # The target is the page in any language and, for the agenda, with any
        # filters: varying them must not let the form flood a mailbox.
        recent = Subscription.objects.filter(
            email=self.email,
            page__translation_key=self.page.translation_key,
            confirmation_sent_at__gt=now - CONFIRMATION_INTERVAL,
        )
        if recent.exists():
            return False
        # Asked again after its link expired: the week an unconfirmed address is
        # kept, and the purge, count from this request.
        self.confirmation_sent_at = self.created_at = now
        self.save(update_fields=["confirmation_sent_at", "created_at"])
        with translation.override(self.language):
            context = {
                "subscription": self,
                "what": self.describe(),
                "confirmation_url": self.confirmation_url(),
                "valid_days": CONFIRMATION_VALIDITY.days,
                "page_url": self.page_url(),
            }
        OutgoingEmail.queue(
            self.email, "follow/emails/confirmation", context, language=self.language, html=True
        )
        return True

    def confirm(self, now=None):
        if not self.is_confirmed:
            self.confirmed_at = now or timezone.now()
            self.save(update_fields=["confirmed_at"])
            if self.target == Target.ACTION:
                # The action's state from now on is what its alerts compare with.
                ActionSnapshot.baseline(source_page(self.page.specific))

    def change(self, *, language, filters=""):
        """Change the language of the emails and, for the agenda, the filters its
        digest follows: the next alert or digest is built from them. Raises
        IntegrityError when the address already follows the page with those filters."""
        self.language = language
        if self.target == Target.AGENDA:
            self.filters = filters
        with transaction.atomic():
            self.save(update_fields=["language", "filters"])
        return self

    def queue_email(self, template, context):
        """An alert or digest: HTML and plain text, with the one-click unsubscribe of
        RFC 8058 (the mail client POSTs to the address, no session needed)."""
        unsubscribe_url = self.unsubscribe_url()
        with translation.override(self.language):
            context = {
                **context,
                "subscription": self,
                "what": self.describe(),
                "page_url": self.page_url(),
                "unsubscribe_url": unsubscribe_url,
                "manage_url": self.manage_url(),
            }
        return OutgoingEmail.queue(
            self.email,
            template,
            context,
            language=self.language,
            html=True,
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )

    # Personal data --------------------------------------------------------------

    @classmethod
    def purge_personal_data(cls, now):
        """Unconfirmed subscriptions are deleted after UNCONFIRMED_RETENTION."""
        expired = cls.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_RETENTION
        )
        return expired.delete()[1].get(cls._meta.label, 0)

    @classmethod
    def personal_data_of(cls, email):
        return cls.objects.filter(email__iexact=email.strip())

    @classmethod
    def erase_personal_data(cls, email):
        return cls.personal_data_of(email).delete()[1].get(cls._meta.label, 0)


def manage_token(email):
    return signing.dumps(normalise(email), salt="follow.manage")


def email_from_manage_token(token):
    return signing.loads(token, salt="follow.manage", max_age=MANAGE_LINK_VALIDITY)


def filter_label(name, value, language=None):
    """A filter's value as the agenda's list names it (a commune's name, a
    category's, an organiser's), a category in `language` when it is translated."""
    from events.forms import AgendaFilterForm

    field = AgendaFilterForm(locale_id=None).fields[name]
    if name == "organisateur":
        for _group, options in field.widget.choices[1:]:
            for option_value, label in options:
                if str(option_value) == value:
                    return str(label)
        return value
    found = field.queryset.filter(**{field.to_field_name: value}).first()
    return str(in_reader_language(found, language)) if found else value


class Delivery(models.Model):
    """One alert or digest sent to one subscription: the key (`week:2026-W49`,
    `month:2026-11`, `revision:812`) is unique per subscription, so running the
    digests twice, or a publication signalled twice, sends nothing twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    key = models.CharField(max_length=60)
    email = models.ForeignKey(
        OutgoingEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("email sent to a subscription")
        verbose_name_plural = _("emails sent to subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "key"], name="follow_one_delivery_per_period"
            )
        ]

    @classmethod
    def send_once(cls, subscription, key, template, context, now=None):
        """Record the delivery and queue its email in one transaction; None when it
        was sent already. The email itself goes through the queue: a mail server
        outage delays it, the queue and `send_pending_emails` retry it."""
        try:
            with transaction.atomic():
                delivery = cls.objects.create(
                    subscription=subscription, key=key, created_at=now or timezone.now()
                )
                delivery.email = subscription.queue_email(template, context)
                delivery.save(update_fields=["email"])
        except IntegrityError:
            return None
        return delivery


def source_page(page):
    """The page in the site's default language (French), which the others translate:
    what an action's alerts compare (a translation may lag behind it)."""
    from wagtail.models import Locale

    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page


def action_state(page):
    """What an alert compares: the action's status, each step's status (by the
    step's block id, the same in every language) and its measurements."""
    return {
        "status": page.status,
        "steps": {
            block.id: block.value["status"] for block in page.steps if block.block_type == "step"
        },
        "measurements": sorted(
            [
                block.id,
                str(measurement["date"]),
                str(measurement["value"]),
            ]
            for block in page.indicators
            for measurement in block.value["measurements"]
        ),
    }


class ActionSnapshot(models.Model):
    """An action's state at its last publication, for all its languages (a
    translation published after its source finds nothing new)."""

    translation_key = models.UUIDField(unique=True)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    @classmethod
    def baseline(cls, page):
        cls.objects.get_or_create(
            translation_key=page.translation_key, defaults={"state": action_state(page)}
        )

    @classmethod
    def changes_on_publish(cls, page, revision=None):
        """What moved since the action's last publication: [(kind, details)], and
        the snapshot moved on. Without a snapshot, the page's previous published
        revision is the reference (or nothing, for a first publication)."""
        state = action_state(page)
        with transaction.atomic():
            snapshot = (
                cls.objects.select_for_update().filter(translation_key=page.translation_key).first()
            )
            if snapshot is not None:
                previous = snapshot.state
                snapshot.state = state
                snapshot.save(update_fields=["state", "updated_at"])
            else:
                previous = previous_published_state(page, revision)
                cls.objects.create(translation_key=page.translation_key, state=state)
        if previous is None:
            return []
        return compare(page, previous, state)


def previous_published_state(page, revision):
    entries = PageLogEntry.objects.filter(
        page_id=page.pk, action="wagtail.publish", revision__isnull=False
    )
    if revision is not None:
        entries = entries.exclude(revision_id=revision.pk)
    entry = entries.select_related("revision").order_by("-timestamp", "-pk").first()
    if entry is None:
        return None
    return action_state(entry.revision.as_object())


def compare(page, previous, state):
    changes = []
    if previous.get("status") != state["status"]:
        changes.append({"kind": "status", "old": previous.get("status"), "new": state["status"]})
    old_steps = previous.get("steps", {})
    for block in page.steps:
        if block.block_type != "step":
            continue
        if block.value["status"] == "done" and old_steps.get(block.id) != "done":
            changes.append({"kind": "step", "id": block.id, "title": block.value["title"]})
    old_measurements = {tuple(row) for row in previous.get("measurements", [])}
    for block in page.indicators:
        for measurement in block.value["measurements"]:
            row = (block.id, str(measurement["date"]), str(measurement["value"]))
            if row not in old_measurements:
                changes.append(
                    {
                        "kind": "measurement",
                        "id": block.id,
                        "indicator": block.value["name"],
                        "unit": block.value["unit"],
                        "value": str(measurement["value"]),
                        "date": str(measurement["date"]),
                    }
                )
    return changes


class ActionUpdate(models.Model):
    """What moved in an action at one publication: the alerts tell it at once, the
    plan's monthly summary gathers a month of them."""

    page = models.ForeignKey(ActionPage, on_delete=models.CASCADE, related_name="+")
    revision_id = models.PositiveBigIntegerField()
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
