from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from bénévolat.models import AssociationPage
from home.forms import PublicFormMixin, consent_field
from home.locales import content_language, in_reader_language
from home.models import Commune
from home.page_cache import cached_until_published

from .models import (
    PARIS,
    Audience,
    CeremonyKind,
    CeremonyRegistration,
    EventCategory,
    EventPage,
    MunicipalService,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def render(self, name, value, attrs=None, renderer=None):
        """What Django's input template writes, written here (two templates a field
        on each agenda visit); with a true-or-false attribute, its template."""
        attributes = self.build_attrs(self.attrs, attrs)
        if any(isinstance(given, bool) for given in attributes.values()):
            return super().render(name, value, attrs, renderer)
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        # In the order given, as the template writes them (flatatt() sorts them).
        written = format_html_join("", ' {}="{}"', attributes.items())
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name, shown, written)


class PlainBoundField(BoundField):
    """A filter as Django's field template writes it, a label then the widget, written
    here when that is all there is (no error, no help text): its templates cost a
    quarter of an uncached agenda. With an error, Django's templates as before."""

    def as_field_group(self):
        field = self.field
        if (
            self.errors
            or self.help_text
            or self.use_fieldset
            or field.required
            or not self.label
            or not self.auto_id
            or field.widget.attrs.get("id")
        ):
            return super().as_field_group()
        contents = self.label
        suffix = field.label_suffix if field.label_suffix is not None else self.form.label_suffix
        # As BoundField.label_tag(): no suffix after a label ending in punctuation.
        if suffix and contents[-1] not in gettext(":?.!"):
            contents = format_html("{}{}", contents, suffix)
        label = format_html(
            '<label for="{}">{}</label>', field.widget.id_for_label(self.auto_id), contents
        )
        return format_html("{}\n\n\n\n{}", label, self.as_widget())


class PlainSelect(forms.Select):
    """A select written here rather than through Django's widget templates, which
    render every option as a template of its own: for the agenda's few hundred
    organisers that was 60 ms of every uncached visit, and the agenda's other lists
    cost a few more.

    `french_names`: the options are names the team writes in French (associations),
    marked lang="fr" for a reader of another language (RGAA 8.7); True for every
    option, or the labels of the option groups that hold them.

    `translated`: the options are rows of a translatable snippet (categories), named
    in the reader's language where the team translated them: each option is marked
    with the language its name is written in.

    `options_key` and `options_tags`, when the form gives them: the options' HTML,
    the same for every visitor, is kept by `cached_until_published` under that key
    (with the reader's language), and only the chosen option is marked per request."""

    def __init__(self, attrs=None, choices=(), french_names=False, translated=False):
        super().__init__(attrs, choices)
        self.french_names = french_names
        self.translated = translated
        self.options_key = None
        self.options_tags = ()

    def use_required_attribute(self, initial):
        # Select's own check reads the first choice, which lists every one when they
        # come from a function (the organisers): only a required field needs it.
        return self.is_required and super().use_required_attribute(initial)

    def options_html(self):
        in_french = self.french_names and get_language() != settings.LANGUAGE_CODE
        groups = []
        for group_name, options in self.grouped_choices():
            french = in_french and (
                self.french_names is True or str(group_name) in map(str, self.french_names)
            )
            lang = f' lang="{settings.LANGUAGE_CODE}"' if french else ""
            rendered = "".join(
                f'<option value="{escape(value)}"{self.option_lang(value, lang)}>'
                f"{escape(label)}</option>"
                for value, label in options
            )
            groups.append(
                f'<optgroup label="{escape(group_name)}">{rendered}</optgroup>'
                if group_name
                else rendered
            )
        return "".join(groups)

    def option_lang(self, value, group_lang):
        if not value:
            return ""
        instance = getattr(value, "instance", None)
        if not self.translated or instance is None:
            return group_lang
        language = content_language(in_reader_language(instance))
        return "" if language == get_language() else f' lang="{language}"'

    def grouped_choices(self):
        """[(group label or None, [(value, label)])], as Django's optgroups() groups them:
        a run of plain options between two groups is a group of its own."""
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                yield value, [("" if v is None else str(v), text) for v, text in label]
            else:
                yield None, [("" if value is None else value, label)]

    def render(self, name, value, attrs=None, renderer=None):
        if self.options_key:
            options = cached_until_published(
                f"{self.options_key}:{get_language()}", self.options_html, tags=self.options_tags
            )
        else:
            options = self.options_html()
        # As Django's Select: the first option of the value (the empty one when there
        # is none) is the chosen one.
        chosen = f'<option value="{escape(self.format_value(value)[0])}"'
        options = options.replace(chosen, f"{chosen} selected", 1)
        attributes = flatatt({**self.build_attrs(self.attrs, attrs), "name": name})
        # Every value and label above went through escape(); flatatt escapes its own.
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308


# The agenda's period stays within these years: at the ends of Python's calendar
# (year 1, year 9999) the day after or the time in Paris cannot be computed.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def within_the_agenda(day):
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise forms.ValidationError(
            gettext("Choose a date between %(start)s and %(end)s.")
            % {"start": formats.date_format(EARLIEST_DAY), "end": formats.date_format(LATEST_DAY)}
        )


class VocabularyChoiceField(forms.ModelChoiceField):
    """A choice among the rows of a short list the team keeps (the communes
    déléguées, the categories), read once per site generation: changing such a row
    starts a new one (home/page_cache.py). The filters of every agenda visit then
    read no row. A translatable row is offered under its name in the reader's
    language when it has one."""

    def __init__(self, queryset, *, rows_name, **kwargs):
        super().__init__(queryset, **kwargs)
        self.rows_name = rows_name

    def label_from_instance(self, obj):
        return str(in_reader_language(obj))

    def rows(self):
        return cached_until_published(self.rows_name, lambda: list(self.queryset))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        for row in self.rows():
            if getattr(row, self.to_field_name) == value:
                return row
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class AgendaFilterForm(forms.Form):
    """The agenda's filters: a plain GET form, the same for the page and its feeds."""

    bound_field_class = PlainBoundField

    du = forms.DateField(
        label=_("From"), required=False, widget=DateInput, validators=[within_the_agenda]
    )
    au = forms.DateField(
        label=_("To"), required=False, widget=DateInput, validators=[within_the_agenda]
    )
    commune = VocabularyChoiceField(
        label=_("Delegated commune"),
        queryset=Commune.objects.all(),
        rows_name="agenda-communes",
        to_field_name="slug",
        required=False,
        empty_label=_("All communes"),
        widget=PlainSelect,
    )
    categorie = VocabularyChoiceField(
        label=_("Category"),
        # The French categories, which events point at: `?categorie=` finds the same
        # events on the English agenda, named there in English when translated.
        queryset=EventCategory.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
        rows_name="agenda-categories",
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
        widget=PlainSelect(translated=True),
    )
    # A plain text value shown as a list: the list offers the associations that have
    # events, but any association's feed may be subscribed to before its first event.
    organisateur = forms.CharField(
        label=_("Organiser"),
        required=False,
        max_length=100,
        widget=PlainSelect(french_names=[_("Associations")]),
    )
    public = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Every audience")), *Audience.choices],
        widget=PlainSelect,
    )

    def __init__(self, *args, locale_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale_id = locale_id
        # Listed only when the options' HTML is made again (below): normalising a few
        # hundred choices at each visit cost as much as showing them.
        self.fields["organisateur"].widget.choices = lambda: [
            ("", _("All organisers")),
            (_("The commune"), list(MunicipalService.choices)),
            (_("Associations"), self.organising_associations(locale_id)),
        ]
        # The options' HTML is the same for every visitor of this agenda: kept until
        # a new generation (communes, categories) or an event's publication (the
        # organisers).
        for name, field in self.fields.items():
            if isinstance(field.widget, PlainSelect):
                field.widget.options_key = f"agenda-filter-options:{name}:{locale_id}"
                field.widget.options_tags = ("events",) if name == "organisateur" else ()

    def communes(self):
        """The communes déléguées, for the links above the filters."""
        return self.fields["commune"].rows()

    @staticmethod
    def organising_associations(locale_id):
        """The associations that have events in this language, [(slug, name)]. Read
        once per site generation and publication of an event (its tag): reading them
        means going through every event."""
        return cached_until_published(
            f"agenda-organisers:{locale_id}",
            lambda: list(
                AssociationPage.objects.filter(
                    locale_id=locale_id,
                    pk__in=EventPage.objects.live()
                    .filter(locale_id=locale_id)
                    .values("association"),
                )
                .order_by("title")
                .values_list("slug", "title")
            ),
            tags=("events",),
        )

    def clean_organisateur(self):
        organiser = self.cleaned_data["organisateur"]
        if not organiser or organiser in MunicipalService.values:
            return organiser
        if not AssociationPage.objects.filter(locale_id=self.locale_id, slug=organiser).exists():
            raise forms.ValidationError(gettext("This organiser is unknown."))
        return organiser

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", gettext("The end of the period must follow its start."))
        return cleaned

    def filter(self, occurrences):
        data = self.cleaned_data
        if data.get("du"):
            occurrences = occurrences.filter(end__gte=datetime.combine(data["du"], time.min, PARIS))
        if data.get("au"):
            day_after = datetime.combine(data["au"] + timedelta(days=1), time.min, PARIS)
            occurrences = occurrences.filter(start__lt=day_after)
        if data.get("commune"):
            occurrences = occurrences.filter(
                Q(page__commune=data["commune"]) | Q(page__whole_commune=True)
            )
        if data.get("categorie"):
            occurrences = occurrences.filter(page__category=data["categorie"])
        if data.get("public"):
            occurrences = occurrences.filter(page__audience=data["public"])
        organiser = data.get("organisateur")
        if organiser in MunicipalService.values:
            occurrences = occurrences.filter(
                page__municipal_service=organiser, page__association__isnull=True
            )
        elif organiser:
            occurrences = occurrences.filter(page__association__slug=organiser)
        return occurrences


# Which fields each kind of ceremony asks for, besides name, email and phone.
CEREMONY_FIELDS = {
    CeremonyKind.BIRTH: ["child_name", "child_birth_date", "guests"],
    CeremonyKind.CITIZENSHIP: ["birth_date", "guests"],
    CeremonyKind.PARENTHOOD: ["guests", "reason"],
    CeremonyKind.WEDDING: ["guests", "reason"],
    CeremonyKind.VOLUNTEERS: ["nominee_name", "nominee_contact", "reason"],
    CeremonyKind.FEAT: ["nominee_name", "nominee_contact", "reason"],
}
REQUIRED_FIELDS = {
    CeremonyKind.BIRTH: ["child_name", "child_birth_date"],
    CeremonyKind.CITIZENSHIP: ["birth_date"],
    CeremonyKind.VOLUNTEERS: ["nominee_name", "reason"],
    CeremonyKind.FEAT: ["nominee_name", "reason"],
}
NOMINATIONS = {CeremonyKind.VOLUNTEERS, CeremonyKind.FEAT}


class CeremonyRegistrationForm(PublicFormMixin, forms.ModelForm):
    consent = consent_field(
        _(
            "I agree that the commune uses these details to organise the ceremony and to "
            "contact me about it. They are read only by the town hall staff in charge and "
            "deleted one year after they are sent."
        )
    )

    class Meta:
        model = CeremonyRegistration
        fields = [
            "name",
            "email",
            "phone",
            "child_name",
            "child_birth_date",
            "birth_date",
            "nominee_name",
            "nominee_contact",
            "reason",
            "guests",
        ]
        labels = {"name": _("Your first and last name"), "email": _("Your email address")}
        help_texts = {
            "email": _("The confirmation is sent there."),
            "guests": _("Including you."),
        }
        widgets = {
            "child_birth_date": DateInput,
            "birth_date": DateInput,
            "reason": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, data=None, *, ceremony, **kwargs):
        super().__init__(data, **kwargs)
        self.ceremony = ceremony
        kind = ceremony.kind
        wanted = {"name", "email", "phone", "consent", "website", "form_token"}
        wanted.update(CEREMONY_FIELDS[kind])
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in REQUIRED_FIELDS.get(kind, []):
            self.fields[name].required = True
        self.fields["phone"].label = _("Your phone number (optional)")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        if "reason" in self.fields:
            self.fields["reason"].label = (
                _("Why this nomination? Tell us about the commitment or the feat")
                if kind in NOMINATIONS
                else _("Message (optional)")
            )

    def clean_child_birth_date(self):
        born = self.cleaned_data.get("child_birth_date")
        if born and born > timezone.localdate():
            raise forms.ValidationError(gettext("The date of birth cannot be in the future."))
        return born

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        today = timezone.localdate()
        if born and (born > today or born.year < today.year - 120):
            raise forms.ValidationError(gettext("Enter a valid date of birth."))
        return born

    @transaction.atomic
    def save_and_notify(self, request):
        registration = self.save(commit=False)
        registration.ceremony = self.ceremony
        registration.save_and_notify(request)
        return registration
