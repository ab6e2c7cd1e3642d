"""The admin in French where Wagtail builds a sentence French cannot build.

Wagtail makes "Add %(model_name)s" and "There are no %(model_name)s to display." from
a model's verbose name; French needs the noun's gender and elision ("Ajouter un(e)
thème", "Il n'y a pas de heures de bénévolat"). A model or an inline panel says its
own phrase instead; Wagtail's neutral wording (locale-overrides/) serves the others.
"""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.panels import InlinePanel as WagtailInlinePanel
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.views.generic.models import IndexView


class InlinePanel(WagtailInlinePanel):
    """An inline panel whose button says what it adds: `add_label=_("Add a date")`.
    Wagtail's own button says "Add {label}", "Ajouter un(e) Date" in French."""

    def __init__(self, *args, add_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(WagtailInlinePanel.BoundPanel):
        template_name = "wagtailadmin/panels/inline_panel_add_label.html"


class LoginForm(WagtailLoginForm):
    """Wagtail redeclares the password field without a label: Django then shows the
    field's name, "Password", in every language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = AuthenticationForm.base_fields["password"].label


def _add_item_label(view):
    label = getattr(view.model, "admin_add_label", None) if view.model else None
    return capfirst(label) if label else _wagtail_add_item_label(view)


def _no_results_message(view):
    model = getattr(view, "model", None)
    message = getattr(model, "admin_empty_message", None)
    if message and not (view.is_searching or view.is_filtering):
        return message
    return _wagtail_no_results_message(view)


_wagtail_add_item_label = IndexView.add_item_label.func
_wagtail_no_results_message = BaseListingView.no_results_message.func


def use_models_phrases():
    """Let each model's `admin_add_label` and `admin_empty_message` speak in every
    listing (snippets, ModelViewSets): Wagtail offers no setting for them."""
    IndexView.add_item_label = cached_property(_add_item_label)
    IndexView.add_item_label.__set_name__(IndexView, "add_item_label")
    BaseListingView.no_results_message = cached_property(_no_results_message)
    BaseListingView.no_results_message.__set_name__(BaseListingView, "no_results_message")


def name_wagtails_models_in_french():
    """Wagtail's Locale and wagtail-localize's Translation have no translatable verbose
    name: the group screen headed their permissions "Locale" and "Translation", and
    named them "Peut ajouter locale". (Set on the model's options only, not in its
    Meta: no migration follows.)"""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation

    Locale._meta.verbose_name = _("language")
    Locale._meta.verbose_name_plural = _("languages")
    Translation._meta.verbose_name = _("translation")
    Translation._meta.verbose_name_plural = _("translations")
