"""Public views of volunteering: the "Je veux aider" form, served by the routes of
a mission's page and of the missions listing (models/missions.py)."""

from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from home.forms import RATE_LIMIT_MESSAGE, already_stored, rate_limit_exceeded, store_once

from .emails import ANSWER_WITHIN_DAYS
from .forms import VolunteerRequestForm


def serve_volunteer_form(page, request, mission):
    """The "Je veux aider" form, on a mission's page or on the listing (general offer).

    The request and its three emails are saved in one transaction; a closed or full
    mission, a robot, a flood from one address are refused with a French message.
    """
    refusal = mission.refusal_reason() if mission else None
    template = "benevolat/mission_page.html" if mission else "benevolat/volunteer_offer_page.html"
    form = VolunteerRequestForm(general=mission is None)
    status = 200
    context = {"refusal": refusal}
    if request.method == "POST":
        form = VolunteerRequestForm(request.POST, general=mission is None)
        thanks = page.url + page.reverse_subpage("thanks" if mission else "offer_thanks")
        if refusal:
            status = 409
        elif not form.is_valid():
            status = 400
        elif already_stored(form):
            return HttpResponseRedirect(thanks)
        elif rate_limit_exceeded(request, "benevolat-request"):
            status = 429
            context["rate_limited"] = RATE_LIMIT_MESSAGE
        else:
            store_once(
                form, lambda: form.save_request(mission.source_mission() if mission else None, page)
            )
            return HttpResponseRedirect(thanks)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    context.update(form=form, answer_within_days=ANSWER_WITHIN_DAYS)
    response = page.render(request, template=template, context_overrides=context)
    if isinstance(response, TemplateResponse):
        response.status_code = status
    return response
