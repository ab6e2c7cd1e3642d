"""The digests: weekly for the agenda and an association (the next seven days'
events and the missions published in the last seven), monthly for the plan (what
moved last month). Each is recorded per subscription and period (`Delivery`):
run twice, nobody gets two; nothing is sent when there is nothing new."""

from collections import OrderedDict
from datetime import timedelta

from django.db.models import Max
from django.http import QueryDict
from django.utils import timezone, translation

from bénévolat.models import MissionPage
from events.forms import AgendaFilterForm
from events.models import PARIS, public_occurrences

from .models import ActionUpdate, Delivery, Subscription, Target
from .texts import change_lines, in_language_of

WEEK = timedelta(days=7)
MAX_ITEMS = 50


def week_key(now):
    year, week, _day = now.astimezone(PARIS).isocalendar()
    return f"week:{year}-W{week:02d}"


def previous_month(now):
    """(first instant, first instant of the next month) of the month before `now`'s,
    in Paris time."""
    local = now.astimezone(PARIS)
    this_month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    return last_month, this_month


def month_key(now):
    start, _end = previous_month(now)
    return f"month:{start:%Y-%m}"


def agenda_digest(subscription, now):
    # The agenda in the subscriber's language: its events' and missions' links lead
    # to the pages they read (the language may have been changed since subscribing).
    agenda = subscription.localized_page()
    occurrences = public_occurrences(agenda.locale_id).filter(end__gte=now, start__lt=now + WEEK)
    missions = new_missions(agenda.locale_id, now, subscription)
    if subscription.filters:
        query = QueryDict(subscription.filters)
        form = AgendaFilterForm(query, locale_id=agenda.locale_id)
        if not form.is_valid():  # a commune or category removed since
            return None
        occurrences = form.filter(occurrences)
        commune = form.cleaned_data.get("commune")
        if commune is not None:
            missions = missions.filter(commune=commune)
        if query.get("organisateur") or query.get("categorie"):
            missions = missions.none()  # missions have no organiser's slug nor category
    return digest_context(list(occurrences[:MAX_ITEMS]), list(missions[:MAX_ITEMS]))


def association_digest(subscription, now):
    association = subscription.localized_page()
    occurrences = public_occurrences(association.locale_id).filter(
        end__gte=now,
        start__lt=now + WEEK,
        page__association__translation_key=association.translation_key,
    )
    missions = new_missions(association.locale_id, now, subscription).descendant_of(association)
    return digest_context(list(occurrences[:MAX_ITEMS]), list(missions[:MAX_ITEMS]))


def new_missions(locale_id, now, subscription):
    """Missions first published since the subscription's last weekly digest (the
    first digest: since its confirmation, within the week): the command may run on
    another day of the week, late or twice, and a mission is told once, never skipped."""
    last = (
        subscription.deliveries.filter(key__startswith="week:", created_at__lte=now).aggregate(
            last=Max("created_at")
        )["last"]
        if subscription.pk
        else None
    )
    since = last or max(subscription.confirmed_at or now, now - WEEK)
    return (
        MissionPage.objects.visible_to_public()
        .filter(locale_id=locale_id, first_published_at__gte=since)
        .select_related("commune")
        .order_by("-first_published_at")
    )


def digest_context(occurrences, missions):
    if not occurrences and not missions:
        return None
    return {"occurrences": occurrences, "missions": missions}


def plan_summary(subscription, now):
    start, end = previous_month(now)
    since = max(start, subscription.confirmed_at) if subscription.confirmed_at else start
    updates = (
        ActionUpdate.objects.filter(created_at__gte=since, created_at__lt=end)
        .select_related("page")
        .order_by("page__number", "created_at")
    )
    actions = OrderedDict()
    for update in updates:
        if update.page_id not in actions:
            # The action as the subscriber reads the site: its translation's title,
            # address and step names, when it has one.
            with translation.override(subscription.language):
                action = update.page.localized.specific
            actions[update.page_id] = {"action": action, "lines": []}
        entry = actions[update.page_id]
        entry["lines"].extend(change_lines(in_language_of(update.changes, entry["action"])))
    if not actions:
        return None
    return {"actions": list(actions.values()), "month": start}


DIGESTS = {
    Target.AGENDA: (agenda_digest, week_key, "follow/emails/weekly_digest"),
    Target.ASSOCIATION: (association_digest, week_key, "follow/emails/weekly_digest"),
    Target.PLAN: (plan_summary, month_key, "follow/emails/plan_summary"),
}


def next_digest(subscription, now=None):
    """(template, context) of the digest `subscription` would receive now, or None
    when there is nothing new (the staff's preview shows it, the command sends it)."""
    now = now or timezone.now()
    build, _key, template = DIGESTS[subscription.target]
    context = build(subscription, now)
    return (template, context) if context else None


def send_digests(now=None):
    """Queue every digest due; returns how many were queued."""
    now = now or timezone.now()
    sent = 0
    subscriptions = (
        Subscription.objects.confirmed()
        .filter(target__in=list(DIGESTS))
        .select_related("page")
        .order_by("pk")
    )
    for subscription in subscriptions.iterator():
        build, period_key, template = DIGESTS[subscription.target]
        key = period_key(now)
        if subscription.deliveries.filter(key=key).exists():
            continue
        context = build(subscription, now)
        if context is None:
            continue
        if Delivery.send_once(subscription, key, template, context, now=now) is not None:
            sent += 1
    return sent
