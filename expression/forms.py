import json
from collections import Counter

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.contrib.forms.forms import FormBuilder

from actions.models import ActionPage
from home.forms import BoundedModelChoiceField, PageSelect, PublicFormMixin, consent_field
from home.locales import DefaultLocaleChoicesMixin, content_language
from home.models import Commune
from home.page_cache import cached_until_published

from .models import AnswerTemplate, Submission
from .photos import keep_photo, kept_photo_thumbnail, open_kept_photo, reencode_photo

EXPRESSION_CONSENT = _(
    "I agree that the commune keeps this message to process it and answer me. My name, "
    "email and photo are erased one year after sending; the message is deleted after three "
    "years, unless the commune published it without my name."
)


def actions_for_locale(locale_id):
    # What an option shows and its language needs (home.forms.PageSelect): an action's
    # row holds its whole content, steps and measurements, decoded for nothing here.
    return (
        ActionPage.objects.live()
        .filter(locale_id=locale_id)
        .order_by("number")
        .only("title", "number", "locale_id", "alias_of_id")
    )


def _attributes(attrs):
    """Django's widgets/attrs.html in Python."""
    return mark_safe(  # noqa: S308 — every name and value goes through format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def render_select(widget):
    """Django's widgets/select.html and select_option.html in Python, the same HTML:
    through templates, each option is a template of its own (the filter of the
    questions and answers has some fifty, a dozen milliseconds of its page)."""
    parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>',
                option["value"],
                _attributes(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 — each part made by format_html


class QuickSelect(forms.Select):
    """A select rendered by `render_select`."""

    def render(self, name, value, attrs=None, renderer=None):
        return render_select(self.get_context(name, value, attrs)["widget"])


class QuickPageSelect(QuickSelect):
    """A choice of pages given as (id, label) choices, with the language of each
    page's title in `languages` ({id: language}): marked when it is not the reader's
    (RGAA 8.7), as `PageSelect` does."""

    languages = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        language = self.languages.get(value)
        if language and language != get_language():
            option["attrs"]["lang"] = language
        return option


def action_options(locale_id):
    """The plan's actions in `locale_id` as the filters' select shows them, in the
    reader's language: ([(id, label)], {id: language of its title}). Kept until an
    action is published."""

    def read():
        actions = list(actions_for_locale(locale_id))
        return (
            [(action.pk, ActionChoiceField.option_label(action)) for action in actions],
            {action.pk: content_language(action) for action in actions},
        )

    return cached_until_published(
        f"action-options:{get_language()}:{locale_id}", read, tags=("actions",)
    )


def commune_options():
    """The communes déléguées as [(id, name)]: any change turns the site over."""
    return cached_until_published(
        "commune-options", lambda: list(Commune.objects.values_list("pk", "name"))
    )


class ActionChoiceField(BoundedModelChoiceField):
    widget = PageSelect

    def label_from_instance(self, obj):
        return self.option_label(obj)

    @staticmethod
    def option_label(action):
        return gettext("Action %(number)s: %(title)s") % {
            "number": action.number,
            "title": action.title,
        }


class SubmissionForm(PublicFormMixin, forms.ModelForm):
    """The expression page's form. The photo is re-encoded without its metadata
    while the form is cleaned, so what is saved is already safe."""

    REPLY_EMAIL = "email"
    REPLY_ANONYMOUS = "anonymous"

    reply = forms.ChoiceField(
        label=_("Would you like an answer?"),
        choices=[
            (REPLY_EMAIL, _("Yes, by email (give your name and email below)")),
            (REPLY_ANONYMOUS, _("No, I stay anonymous (the answer can only be published)")),
        ],
        initial=REPLY_EMAIL,
        widget=forms.RadioSelect,
    )
    consent = consent_field(EXPRESSION_CONSENT)
    # The photo of an earlier attempt that had an error (expression/photos.py).
    kept_photo = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    remove_kept_photo = forms.BooleanField(label=_("Remove this photo"), required=False)

    class Meta:
        model = Submission
        fields = [
            "kind",
            "subject",
            "message",
            "commune",
            "action",
            "photo",
            "reply",
            "name",
            "email",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 8}),
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "kind": _("What would you like to send?"),
            "commune": _("Delegated commune concerned"),
            "action": _("Related action of the plan (optional)"),
            "photo": _("Photo of the problem (optional, for a report only)"),
            "name": _("Your name"),
            "email": _("Your email"),
        }
        help_texts = {
            "subject": _("In a few words, at most 150 characters."),
            "message": _("At most 3,000 characters."),
            "photo": _(
                "JPEG, PNG, WebP or GIF, at most 8 MB. Its location and camera details "
                "are removed before it is kept."
            ),
        }
        field_classes = {"action": ActionChoiceField, "commune": BoundedModelChoiceField}

    def __init__(self, *args, locale_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Submission.Kind.choices
        self.fields["commune"].queryset = Commune.objects.all()
        self.fields["commune"].empty_label = _("Choose a delegated commune")
        self.fields["action"].queryset = actions_for_locale(locale_id)
        self.fields["action"].empty_label = _("No particular action")
        self.fields["name"].required = False
        self.fields["email"].required = False

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            return reencode_photo(photo)
        if self.kept_photo_reference and not self.data.get(self.add_prefix("remove_kept_photo")):
            return open_kept_photo(self.kept_photo_reference)
        return None

    @property
    def kept_photo_reference(self):
        return (self.data.get(self.add_prefix("kept_photo")) or "")[:300] if self.is_bound else ""

    def keep_photo(self):
        """After an error, keep the photo that passed its checks, so that the citizen
        does not have to choose it again: the form then carries its reference, or
        none when there is no photo to keep (removed, refused, or none sent)."""
        photo = self.cleaned_data.get("photo")
        reference = ""
        if photo and self.files.get(self.add_prefix("photo")) is not None:
            reference = keep_photo(photo)
        elif photo:
            reference = self.kept_photo_reference
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_photo")] = reference
        self.data.pop(self.add_prefix("remove_kept_photo"), None)

    def kept_photo_preview(self):
        """The kept photo as a small image (a data: URL), or ""."""
        if not self.kept_photo_reference:
            return ""
        return kept_photo_thumbnail(self.kept_photo_reference)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reply") == self.REPLY_EMAIL:
            if not cleaned.get("name", "").strip() and "name" not in self.errors:
                self.add_error(
                    "name", _("Please give your name so that the commune can answer you.")
                )
            if not cleaned.get("email") and "email" not in self.errors:
                self.add_error(
                    "email", _("Please give your email so that the commune can answer you.")
                )
        else:
            # Anonymous: whatever was typed in name and email is not kept.
            cleaned["name"] = cleaned["email"] = ""
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.cleaned_data.get("reply") == self.REPLY_ANONYMOUS:
            self.instance.name = self.instance.email = ""


class SubmissionAdminForm(DefaultLocaleChoicesMixin, WagtailAdminModelForm):
    """The staff's form: processing, answer and publication."""

    answer_template = forms.ModelChoiceField(
        label=_("Start from an answer template"),
        queryset=AnswerTemplate.objects.all(),
        required=False,
        help_text=_("When the answer is empty, it takes the template's text; edit it then."),
    )
    send_answer = forms.BooleanField(
        label=_("Email the answer to the citizen when saving"),
        required=False,
        help_text=_(
            "The message is then marked as answered. Anonymous messages get no email: "
            "publish the answer instead."
        ),
    )

    class Media:
        js = ["expression/answer-templates.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "answer_template" in self.fields:
            texts = {str(template.pk): template.body for template in AnswerTemplate.objects.all()}
            self.fields["answer_template"].widget.attrs["data-answer-templates"] = json.dumps(texts)
        instance = self.instance
        # The staff rewrite the published version from the original, never publish it blindly.
        if "public_title" in self.fields and not instance.public_title:
            self.initial["public_title"] = instance.subject
        if "public_question" in self.fields and not instance.public_question:
            self.initial["public_question"] = instance.message

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("answer_template")
        if template and not cleaned.get("answer", "").strip():
            cleaned["answer"] = template.body
        if cleaned.get("send_answer") and not cleaned.get("answer", "").strip():
            self.add_error("answer", _("Write the answer before sending it."))
        return cleaned

    def save(self, commit=True):
        # The answer's email tells the new status: no status email before it.
        self.instance.answer_follows = bool(self.cleaned_data.get("send_answer"))
        instance = super().save(commit=commit)
        if commit and self.cleaned_data.get("send_answer"):
            instance.send_answer(self.for_user)
        return instance


class BoundedFormBuilder(FormBuilder):
    """Wagtail's form builder with every field bounded in length."""

    def create_multiline_field(self, field, options):
        options["max_length"] = 3000
        return super().create_multiline_field(field, options)

    def create_email_field(self, field, options):
        options["max_length"] = 254
        return super().create_email_field(field, options)

    def create_url_field(self, field, options):
        options["max_length"] = 500
        return super().create_url_field(field, options)

    def create_hidden_field(self, field, options):
        options["max_length"] = 255
        return super().create_hidden_field(field, options)

    def create_number_field(self, field, options):
        options["max_digits"] = 12
        return super().create_number_field(field, options)


def form_consent_text(page):
    return ngettext(
        "I agree that the commune keeps my answers to this form for %(days)s day, "
        "then deletes them.",
        "I agree that the commune keeps my answers to this form for %(days)s days, "
        "then deletes them.",
        page.retention_days,
    ) % {"days": page.retention_days}


def public_form_class(page, built_class):
    """The class Wagtail's form builder made, with the honeypot and the consent."""
    return type(
        "FormPageForm",
        (PublicFormMixin, built_class),
        {"consent": consent_field(form_consent_text(page))},
    )


CHOICE_FIELD_TYPES = {"dropdown", "radio", "checkboxes", "multiselect", "checkbox"}


def summary_of(page):
    """[{"label", "total", "choices": [{"label", "count", "percent"}]}] for each choice
    field of `page`, counted over all its submissions."""
    fields = [field for field in page.get_form_fields() if field.field_type in CHOICE_FIELD_TYPES]
    builder = BoundedFormBuilder(fields)
    counters = {field.clean_name: Counter() for field in fields}
    answered = dict.fromkeys(counters, 0)
    total = 0
    for data in page.get_submissions().values_list("form_data", flat=True).iterator():
        total += 1
        for name, counter in counters.items():
            value = data.get(name)
            if value in (None, "", []):
                continue
            answered[name] += 1
            values = value if isinstance(value, list) else [value]
            counter.update(str(item) for item in values)
    summary = []
    for field in fields:
        counter = counters[field.clean_name]
        if field.field_type == "checkbox":
            options = [("True", gettext("Yes")), ("False", gettext("No"))]
        else:
            options = builder.get_formatted_field_choices(field)
        known = {value for value, _label in options}
        rows = [(label, counter.get(value, 0)) for value, label in options]
        # Options removed from the form since some answers were given still count.
        rows += [(value, count) for value, count in counter.items() if value not in known]
        base = answered[field.clean_name]
        summary.append(
            {
                "label": field.label,
                "answered": base,
                "choices": [
                    {
                        "label": label,
                        "count": count,
                        "percent": round(100 * count / base) if base else 0,
                    }
                    for label, count in rows
                ],
            }
        )
    return {"total": total, "fields": summary}
