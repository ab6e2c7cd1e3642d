"""The visitor's side: the subscription form, the confirmation, the one-click
unsubscribe and the page managing an address's subscriptions (changing or ending
them). No account: each link is signed, and names one subscription or one address."""

import uuid

from django.core import signing
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from events.forms import AgendaFilterForm
from home.forms import Refusal, handle_public_form
from home.models import all_pages

from .forms import DUPLICATE_MESSAGE, ChangeSubscriptionForm, SubscriptionForm
from .models import (
    AGENDA_FILTERS,
    CONFIRMATION_VALIDITY,
    Subscription,
    Target,
    canonical_filters,
    email_from_manage_token,
    normalise,
    target_of,
)


def followed_page(page_id):
    if page_id > 2**63 - 1:  # SQLite cannot even look it up
        raise Http404
    page = get_object_or_404(all_pages().visible_to_public(), pk=page_id).specific
    if target_of(page) is None:
        raise Http404
    return page


def agenda_filters(request, page):
    """The agenda's filters from the address (commune, category, organiser), checked
    as the agenda checks them; None when one is unknown."""
    query = QueryDict(mutable=True)
    for name in AGENDA_FILTERS:
        value = request.GET.get(name, "")
        if value:
            query[name] = value
    form = AgendaFilterForm(query, locale_id=page.locale_id)
    if query and not form.is_valid():
        return None
    return canonical_filters(query)


@never_cache
def subscribe(request, page_id):
    page = followed_page(page_id)
    target = target_of(page)
    filters = ""
    if target == Target.AGENDA:
        filters = agenda_filters(request, page)
        if filters is None:
            return render_invalid(request, status=400)
    preview = Subscription(page=page, target=target, filters=filters, language=get_language())

    def save(form):
        subscription, _created = Subscription.objects.get_or_create(
            email=normalise(form.cleaned_data["email"]),
            page=page,
            filters=filters,
            defaults={"target": target, "language": get_language() or "fr"},
        )
        subscription.ask_confirmation()
        return subscription

    def render(form, refusal, status):
        return TemplateResponse(
            request,
            "follow/subscribe.html",
            {"form": form, "refusal": refusal, "followed": page, "preview": preview},
            status=status,
        )

    def thanks(_stored):
        # The same answer whether the address was new, waiting or confirmed: the
        # form tells nobody who follows what.
        return TemplateResponse(
            request,
            "follow/subscribe_thanks.html",
            {"followed": page, "preview": preview, "valid_days": CONFIRMATION_VALIDITY.days},
        )

    return handle_public_form(
        request,
        make_form=lambda data=None, files=None: SubscriptionForm(data),
        save=save,
        thanks=thanks,
        render=render,
        scope="follow",
    )


def render_invalid(request, *, expired=False, status=400):
    return TemplateResponse(
        request, "follow/invalid_link.html", {"expired": expired}, status=status
    )


@never_cache
def confirm(request, token):
    try:
        subscription = Subscription.from_token(
            token, "follow.confirm", max_age=CONFIRMATION_VALIDITY
        )
    except signing.SignatureExpired:
        return render_invalid(request, expired=True, status=410)
    except (signing.BadSignature, Subscription.DoesNotExist):
        return render_invalid(request)
    # A link opened (by a person, or a mail filter checking links) only shows the
    # button: the subscription is confirmed by pressing it.
    # Opened again once confirmed: it says so rather than asking again.
    confirmed = subscription.is_confirmed
    if request.method == "POST":
        subscription.confirm()
        confirmed = True
    return TemplateResponse(
        request,
        "follow/confirm.html",
        {"subscription": subscription, "confirmed": confirmed},
    )


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the address, with
# no cookie nor CSRF token; the signed address is the authority.
@csrf_exempt
@never_cache
def unsubscribe(request, token):
    try:
        subscription = Subscription.from_token(token, "follow.unsubscribe")
    except signing.BadSignature:
        return render_invalid(request)
    except Subscription.DoesNotExist:
        subscription = None  # ended already: leaving twice is still leaving
    done = subscription is None
    what = subscription.describe() if subscription else ""
    manage_url = subscription.manage_url() if subscription else ""
    if request.method == "POST" and subscription is not None:
        subscription.delete()
        done = True
    return TemplateResponse(
        request,
        "follow/unsubscribe.html",
        {"done": done, "what": what, "manage_url": manage_url},
    )


@never_cache
def manage(request, token):
    try:
        email = email_from_manage_token(token)
    except signing.SignatureExpired:
        return render_invalid(request, expired=True, status=410)
    except signing.BadSignature:
        return render_invalid(request)
    # Only this address's own subscriptions can be changed or ended from its page.
    subscriptions = Subscription.objects.of_address(email).select_related("page")
    if request.method == "POST":
        if "change" in request.POST:
            return change_subscription(request, email, subscriptions)
        chosen = request.POST.get("end", "")
        if chosen == "all":
            ended = subscriptions.delete()[0]
        else:
            key = valid_uuid(chosen)
            ended = subscriptions.filter(key=key).delete()[0] if key else 0
        return HttpResponseRedirect(request.path + ("?arrete=1" if ended else ""), status=303)
    done = "changed" if request.GET.get("modifie") else "ended" if request.GET.get("arrete") else ""
    return render_manage(request, email, subscriptions, done=done)


def change_subscription(request, email, subscriptions):
    key = valid_uuid(request.POST.get("change", ""))
    subscription = subscriptions.filter(key=key).first() if key else None
    if subscription is None:
        refusal = Refusal(
            Refusal.INVALID,
            _("This subscription has ended already, or this address does not follow it."),
        )
        return render_manage(request, email, subscriptions, refusal=refusal, status=400)
    form = ChangeSubscriptionForm(request.POST, subscription=subscription)
    if form.is_valid():
        try:
            form.save()
        except IntegrityError:  # the same change made at the same moment elsewhere
            form.add_error(None, DUPLICATE_MESSAGE)
        else:
            return HttpResponseRedirect(request.path + "?modifie=1", status=303)
    return render_manage(request, email, subscriptions, bound=form, status=400)


def render_manage(request, email, subscriptions, *, bound=None, refusal=None, done="", status=200):
    """The address's subscriptions, each with the form changing it (the one just
    refused keeps what was typed, with its errors)."""
    items = [
        (
            subscription,
            bound
            if bound is not None and bound.subscription.pk == subscription.pk
            else ChangeSubscriptionForm(subscription=subscription),
        )
        for subscription in subscriptions.order_by("created_at", "pk")
    ]
    return TemplateResponse(
        request,
        "follow/manage.html",
        {
            "email": email,
            "items": items,
            "has_errors": bool(refusal or (bound is not None and bound.errors)),
            "refusal": refusal,
            "done": done,
        },
        status=status,
    )


def valid_uuid(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
