"""Forms of the Wagtail admin; the models name them as their base_form_class, so
they import the models lazily."""

from django.conf import settings

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm


class MissionPageAdminForm(WagtailAdminPageForm):
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
    """An association member records hours for its own missions only."""

    def __init__(self, *args, **kwargs):
        # Cycle: the models import this module, and accounts imports the models.
        from .accounts import associations_of
        from .models import MissionPage, VolunteerRequest

        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        missions = MissionPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("title")
        requests = VolunteerRequest.objects.filter(
            status=VolunteerRequest.Status.ACCEPTED
        ).select_related("mission")
        if user is not None and not user.has_perm("benevolat.change_volunteerhours"):
            associations = associations_of(user)
            missions = missions.filter(association__in=associations)
            requests = requests.filter(association__in=associations)
        if "mission" in self.fields:
            self.fields["mission"].queryset = missions
        if "volunteer_request" in self.fields:
            self.fields["volunteer_request"].queryset = requests
