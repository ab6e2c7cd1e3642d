"""Public views of volunteering: the "Je veux aider" form, served by the routes of
a mission's page and of the missions listing (models/missions.py)."""

from django.http import HttpResponseRedirect

from home.forms import handle_public_form

from .emails import ANSWER_WITHIN_DAYS
from .forms import VolunteerRequestForm
from .models import VolunteerRequest

SESSION_KEY = "benevolat_request"


def sent_request(request):
    """The request this visitor just sent, for its thank-you page (or None)."""
    pk = request.session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return VolunteerRequest.objects.select_related("commune").filter(pk=pk).first()


def serve_volunteer_form(page, request, mission):
    """The "Je veux aider" form, on a mission's page or on the listing (general offer).

    The request and its three emails are saved in one transaction; a closed or full
    mission, a robot, a flood from one address are refused with a French message.
    """
    template = "benevolat/mission_page.html" if mission else "benevolat/volunteer_offer_page.html"

    def render(form, refusal, status):
        context = {"form": form, "refusal": refusal, "answer_within_days": ANSWER_WITHIN_DAYS}
        response = page.render(request, template=template, context_overrides=context)
        response.status_code = status
        return response

    def thanks(stored):
        if stored is not None:  # the thank-you page repeats what was sent
            request.session[SESSION_KEY] = stored.pk
        return HttpResponseRedirect(
            page.url + page.reverse_subpage("thanks" if mission else "offer_thanks"), status=303
        )

    return handle_public_form(
        request,
        make_form=lambda data=None, files=None: VolunteerRequestForm(data, general=mission is None),
        save=lambda form: form.save_request(mission.source_mission() if mission else None, page),
        thanks=thanks,
        render=render,
        scope="benevolat-request",
        closed=(mission.refusal_reason() or "") if mission else "",
    )
