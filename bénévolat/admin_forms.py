"""Forms of the Wagtail admin; the models name them as their base_form_class, so
they import the models lazily."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.permissions import policy_registry

from home.locales import DefaultLocalePageForm, in_default_locale


def image_ids(field, value):
    """The ids of the images a model field's value points at: a foreign key, or the
    images inside a StreamField or rich text (what Wagtail's reference index finds)."""
    if value is None or value == "":
        return set()
    if field.many_to_one and issubclass(field.related_model, AbstractImage):
        return {str(getattr(value, "pk", value))}
    if hasattr(field, "extract_references"):
        return {
            str(object_id)
            for model, object_id, _path, _content_path in field.extract_references(value)
            if issubclass(model, AbstractImage)
        }
    return set()


class ImageCollectionsPageForm(DefaultLocalePageForm):
    """A page accepts only the images its editor may choose: the chooser shows an
    association member only its collection's images, and the form must not take
    another id posted by hand. An image already on the page (put by the team)
    stays."""

    def clean(self):
        cleaned_data = super().clean()
        user = getattr(self, "for_user", None)
        if user is None:
            return cleaned_data
        choosable = policy_registry.get_by_type(
            get_image_model()
        ).instances_user_has_any_permission_for(user, ["choose"])
        for name, value in list(cleaned_data.items()):
            try:
                field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            added = image_ids(field, value) - image_ids(
                field, field.value_from_object(self.instance)
            )
            if added and choosable.filter(pk__in=added).count() < len(added):
                # A StreamField shows its errors block by block: the message goes on top.
                self.add_error(
                    name if field.many_to_one else None,
                    gettext("This image is not in a collection you may use."),
                )
        return cleaned_data


class AssociationPageAdminForm(ImageCollectionsPageForm):
    pass


class MissionPageAdminForm(ImageCollectionsPageForm):
    """Under an association's page the structure is that association; under the
    listing, the editor chooses between the CCAS and the mairie."""

    def __init__(self, *args, **kwargs):
        # Cycle: the models import this module for their base_form_class.
        from .models import AssociationPage, MissionPage

        super().__init__(*args, **kwargs)
        parent = self.parent_page.specific if self.parent_page else None
        if "structure" not in self.fields:
            return
        if isinstance(parent, AssociationPage):
            del self.fields["structure"]
            self.instance.structure = MissionPage.Structure.ASSOCIATION
        else:
            self.fields["structure"].choices = [
                choice
                for choice in MissionPage.Structure.choices
                if choice[0] != MissionPage.Structure.ASSOCIATION
            ]
            if self.instance.structure == MissionPage.Structure.ASSOCIATION:
                self.initial["structure"] = MissionPage.Structure.CCAS


class VolunteerHoursAdminForm(WagtailAdminModelForm):
    """An association member records hours for its own missions only.

    The mission is a plain list, not Wagtail's page chooser: a volunteer knows their
    association's few missions by name, and a tree of pages to walk through (the
    site's root, the associations' directory, then their page) asks them to know the
    site's structure instead. The list holds the French missions alone: the English
    copies are the same missions (the model records their hours on the French one)."""

    def __init__(self, *args, **kwargs):
        # Cycle: the models import this module, and accounts imports the models.
        from .accounts import associations_of
        from .models import MissionPage, VolunteerRequest

        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        missions = in_default_locale(MissionPage.objects.all())
        requests = VolunteerRequest.objects.filter(
            status=VolunteerRequest.Status.ACCEPTED
        ).select_related("mission")
        if user is not None and not user.has_perm("benevolat.change_volunteerhours"):
            associations = associations_of(user)
            missions = missions.filter(association__in=associations)
            requests = requests.filter(association__in=associations)
        if "mission" in self.fields:
            field = self.fields["mission"]
            field.queryset = missions.select_related("association").order_by("title")
            field.empty_label = gettext("Choose the mission")
            if user is None or user.has_perm("benevolat.change_volunteerhours"):
                # The team sees every structure's missions: each says whose it is.
                field.label_from_instance = lambda mission: (
                    f"{mission.title} ({mission.structure_name})"
                )
        if "volunteer_request" in self.fields:
            self.fields["volunteer_request"].queryset = requests
