from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from bénévolat.models import AssociationPage
from home.forms import BoundedModelChoiceField, PageSelect, PublicFormMixin, consent_field
from home.models import Commune
from home.photos import MAX_UPLOAD_SIZE, reencode_photo

from .models import Application

FUND_CONSENT = _(
    "I agree that the commune keeps this application to instruct it and present it to the "
    "fund's committee. My name, email, phone and attachment are erased two years after "
    "sending; an application not granted is then deleted."
)


def clean_attachment(upload):
    """A PDF is kept as sent (checked by its content and size); anything else must be
    a photo, re-encoded without its metadata."""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            gettext("The file is too large (%(size)s). It must weigh at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_SIZE)},
            code="too_large",
        )
    upload.seek(0)
    if upload.read(5) == b"%PDF-":
        upload.seek(0)
        return ContentFile(upload.read(), name="document.pdf")
    try:
        return reencode_photo(upload)
    except ValidationError:
        raise ValidationError(
            gettext("This file is neither a PDF document nor a photo (JPEG, PNG, WebP or GIF)."),
            code="format",
        ) from None


class ApplicationForm(PublicFormMixin, forms.ModelForm):
    """The fund's application form, sent without an account."""

    consent = consent_field(FUND_CONSENT)

    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "commune",
            "carrier",
            "association",
            "collective_name",
            "amount_requested",
            "materials_requested",
            "skills_requested",
            "planned_date",
            "attachment",
            "contact_name",
            "email",
            "phone",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 8}),
            "association": PageSelect,
            "carrier": forms.RadioSelect,
            "amount_requested": forms.NumberInput(attrs={"min": "0", "step": "1"}),
            "materials_requested": forms.Textarea(attrs={"rows": 3}),
            "skills_requested": forms.Textarea(attrs={"rows": 3}),
            "planned_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attachment": forms.FileInput(attrs={"accept": "image/*,application/pdf"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        labels = {
            "summary": _("Your project"),
            "commune": _("Delegated commune where it takes place"),
            "carrier": _("Who carries the project?"),
            "association": _("Your association"),
            "collective_name": _("Name of your collective (optional)"),
            "materials_requested": _("Materials you need (optional)"),
            "skills_requested": _("Skills you are looking for (optional)"),
            "planned_date": _("Planned date (optional)"),
            "attachment": _("A photo or a document (optional)"),
            "contact_name": _("Your name"),
            "email": _("Your email"),
            "phone": _("Your phone (optional)"),
        }
        help_texts = {
            "title": _("In a few words, at most 150 characters."),
            "summary": _(
                "What you want to do, where, with whom, and what it brings to the "
                "neighbourhood. At most 3,000 characters."
            ),
            "association": _("Associations of the directory of Loire-Authion."),
            "materials_requested": _("Supplied by the technical services or a partner company."),
            "skills_requested": _("Given by employees of local companies (skills sponsorship)."),
            "planned_date": _("Format: DD/MM/YYYY."),
            "attachment": _("JPEG, PNG, WebP or GIF photo, or PDF document, at most 8 MB."),
            "email": _("Your reference and private follow-up link are sent to this address."),
        }
        field_classes = {"commune": BoundedModelChoiceField, "association": BoundedModelChoiceField}

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["commune"].queryset = Commune.objects.all()
        self.fields["commune"].empty_label = _("Choose a delegated commune")
        self.fields["carrier"].choices = Application.Carrier.choices
        self.fields["association"].queryset = (
            AssociationPage.objects.visible_to_public()
            .filter(locale_id=page.locale_id)
            .order_by("title")
        )
        self.fields["association"].empty_label = _("Choose your association")
        self.fields["planned_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["amount_requested"].label = gettext(
            "Amount requested, in euros (optional, at most %(cap)s €)"
        ) % {"cap": number_format(page.max_amount, decimal_pos=0)}

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return clean_attachment(upload) if upload else None

    def clean_amount_requested(self):
        amount = self.cleaned_data.get("amount_requested")
        if amount is not None and amount > self.page.max_amount:
            raise ValidationError(
                gettext("The fund gives at most %(cap)s € per project.")
                % {"cap": number_format(self.page.max_amount, decimal_pos=0)},
                code="over_cap",
            )
        return amount

    def clean_planned_date(self):
        planned = self.cleaned_data.get("planned_date")
        if planned and planned < timezone.localdate():
            raise ValidationError(gettext("The planned date is already past."), code="past")
        return planned

    def clean(self):
        cleaned = super().clean()
        carrier = cleaned.get("carrier")
        if carrier == Application.Carrier.ASSOCIATION:
            if not cleaned.get("association") and "association" not in self.errors:
                self.add_error("association", gettext("Choose your association in the list."))
            cleaned["collective_name"] = ""
        elif carrier == Application.Carrier.COLLECTIVE:
            cleaned["association"] = None
        if not (
            cleaned.get("amount_requested")
            or cleaned.get("materials_requested", "").strip()
            or cleaned.get("skills_requested", "").strip()
        ) and not {"amount_requested", "materials_requested", "skills_requested"} & set(
            self.errors
        ):
            self.add_error(
                "amount_requested",
                gettext("Say what help you ask for: an amount, materials or skills."),
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.cleaned_data.get("carrier") == Application.Carrier.ASSOCIATION:
            self.instance.collective_name = ""
        elif self.cleaned_data.get("carrier") == Application.Carrier.COLLECTIVE:
            self.instance.association = None


class InformationAnswerForm(PublicFormMixin, forms.Form):
    """The applicant's answer to the team's request, on their tracking page."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most 3,000 characters."),
    )


class ApplicationAdminForm(WagtailAdminModelForm):
    """The fund team's form: instruction, committee decision and publication."""

    send_info_request = forms.BooleanField(
        label=_("Email this request to the applicant when saving"),
        required=False,
        help_text=_(
            "The status becomes « more information requested »; they answer through their link."
        ),
    )
    send_decision = forms.BooleanField(
        label=_("Email the decision to the applicant when saving"),
        required=False,
        help_text=_("Granted: the help given. Refused: the reason written above."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        # The team rewrites the published version from the original, never publishes it blindly.
        if "public_title" in self.fields and not instance.public_title:
            self.initial["public_title"] = instance.title
        if "public_summary" in self.fields and not instance.public_summary:
            self.initial["public_summary"] = instance.summary

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send_info_request") and not cleaned.get("info_request", "").strip():
            self.add_error("info_request", _("Write what the applicant should add."))
        if cleaned.get("send_decision"):
            status = cleaned.get("status")
            if status == Application.Status.REFUSED:
                if not cleaned.get("refusal_reason", "").strip():
                    self.add_error(
                        "refusal_reason", _("Give the reason for the refusal: it is emailed.")
                    )
            elif status == Application.Status.GRANTED:
                if not (
                    cleaned.get("granted_amount")
                    or cleaned.get("granted_materials", "").strip()
                    or cleaned.get("granted_skills", "").strip()
                ):
                    self.add_error(
                        "granted_amount",
                        _("Say what help is granted: an amount, materials or skills."),
                    )
            else:
                self.add_error(
                    "status",
                    _("Set the status to granted or refused before emailing the decision."),
                )
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit:
            if self.cleaned_data.get("send_info_request"):
                instance.request_information()
            if self.cleaned_data.get("send_decision"):
                instance.send_decision()
        return instance
