from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from home.forms import BoundedModelChoiceField, PublicFormMixin, consent_field
from home.models import Commune
from home.near_me import communes

from .emails import queue_request_emails
from .models import VolunteerRequest

PHONE = RegexValidator(
    r"^\+?[0-9 .()-]{6,30}$", _("Enter a phone number, for example 06 12 34 56 78.")
)


class KeptCommunesIterator(forms.models.ModelChoiceIterator):
    """The communes' options from the list kept per generation (home.near_me): the
    same choices, without a query at each display of the form. What is sent is
    still checked against the table (the field's queryset)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for commune in communes():
            yield self.choice(commune)

    def __len__(self):
        return len(communes()) + (1 if self.field.empty_label is not None else 0)


class VolunteerRequestForm(PublicFormMixin, forms.Form):
    """ "Je veux aider": on a mission's page, or a general offer of help
    (`general=True`, which asks for interests and availability)."""

    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("The structure answers you at this address."),
    )
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=30,
        required=False,
        validators=[PHONE],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    commune = BoundedModelChoiceField(
        label=_("Your delegated commune (optional)"),
        queryset=Commune.objects.all(),
        required=False,
        empty_label=_("— Choose —"),
    )
    interests = forms.CharField(
        label=_("What would you like to do?"),
        max_length=600,
        help_text=_("For example: help at events, visit isolated elderly people, gardening."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    availability = forms.CharField(
        label=_("Your availability (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: Saturday mornings, school holidays."),
    )
    message = forms.CharField(
        label=_("Your message (optional)"),
        max_length=2000,
        required=False,
        help_text=_("At most 2,000 characters."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = consent_field(
        _(
            "I agree that the commune and the structure of the mission keep these details "
            "for one year after my request was last handled, only to answer me and organise "
            "the volunteering."
        )
    )

    def __init__(self, *args, general=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        commune = self.fields["commune"]
        commune.iterator = KeptCommunesIterator
        commune.widget.choices = commune.choices  # the widget took Django's at copy
        if not general:
            del self.fields["interests"]
        # The honeypot goes last, out of the way of keyboard users.
        self.order_fields([name for name in self.fields if name != "website"] + ["website"])

    def save_request(self, mission, page):
        """Store the request and queue its emails (the caller holds the transaction)."""
        data = self.cleaned_data
        request = VolunteerRequest.objects.create(
            mission=mission,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            commune=data["commune"],
            interests=data.get("interests", ""),
            availability=data["availability"],
            message=data["message"],
            consent=True,
        )
        queue_request_emails(request, page)
        return request
