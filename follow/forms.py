from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from events.forms import AgendaFilterForm
from home.forms import PublicFormMixin, consent_field

from .models import AGENDA_FILTERS, UNCONFIRMED_RETENTION, Subscription, Target, canonical_filters


class SubscriptionForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = consent_field(
        format_lazy(
            _(
                "I agree that the commune keeps my address to send me these emails, until I "
                "unsubscribe (a link in every email); unconfirmed, it is deleted after {days} days."
            ),
            days=UNCONFIRMED_RETENTION.days,
        )
    )


DUPLICATE_MESSAGE = _(
    "You already follow the agenda with these filters: change them, or stop this subscription."
)


class ChangeSubscriptionForm(AgendaFilterForm):
    """What the management page lets an address change in one of its subscriptions:
    the language of its emails and, for the agenda, the filters its digest follows,
    checked exactly as the agenda checks them (the agenda's own form, without the
    period and audience, which a subscription does not keep)."""

    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, data=None, *, subscription):
        self.subscription = subscription
        page = subscription.page
        initial = {"language": subscription.language}
        if subscription.target == Target.AGENDA:
            initial.update(QueryDict(subscription.filters).dict())
        super().__init__(
            data,
            initial=initial,
            locale_id=page.locale_id,
            # Each subscription has its form on the page: its fields' ids are its own.
            prefix=f"s{subscription.pk}",
        )
        kept = (
            {"language", *AGENDA_FILTERS} if subscription.target == Target.AGENDA else {"language"}
        )
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]

    def new_filters(self):
        if self.subscription.target != Target.AGENDA:
            return ""
        values = {
            "commune": getattr(self.cleaned_data.get("commune"), "slug", ""),
            "categorie": getattr(self.cleaned_data.get("categorie"), "slug", ""),
            "organisateur": self.cleaned_data.get("organisateur", ""),
        }
        return canonical_filters(values)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            others = Subscription.objects.filter(
                email=self.subscription.email, page=self.subscription.page
            ).exclude(pk=self.subscription.pk)
            if others.filter(filters=self.new_filters()).exists():
                raise forms.ValidationError(DUPLICATE_MESSAGE, code="duplicate")
        return cleaned

    def save(self):
        return self.subscription.change(
            language=self.cleaned_data["language"], filters=self.new_filters()
        )
