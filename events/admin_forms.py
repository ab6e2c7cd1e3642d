"""Forms of the Wagtail admin; the models name them as their base_form_class."""

from bénévolat.admin_forms import ImageCollectionsPageForm
from bénévolat.models import AssociationPage


class EventPageAdminForm(ImageCollectionsPageForm):
    """Under an association's page the event is that association's: the municipal
    service, the organiser of the commune's own events, is not asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page.specific_deferred if self.parent_page else None
        if isinstance(parent, AssociationPage) and "municipal_service" in self.fields:
            del self.fields["municipal_service"]
