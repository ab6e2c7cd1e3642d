"""Who may do what in the admin: the whole permission matrix.

Seven roles (a visitor, a citizen with an account but no admin access, members of two
associations, the communication team's editor and moderator, an administrator)
against every page type, every snippet, every list of what citizens send and every
export. The tables below are the rules; the tests check both directions: what is
allowed works (200), what is not is refused (login redirect, 403, 404 or a redirect
away) and never shows the data.
"""

from io import BytesIO

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site
from wagtail.snippets.models import get_snippet_models

import pytest
from PIL import Image

from bénévolat.accounts import add_member
from events.models import CeremonyRegistration
from notifications.models import OutgoingEmail
from tests.factories import PAGE_FACTORIES, UserFactory
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "member_a", "member_b", "editor", "moderator", "administrator"]

# Pages -----------------------------------------------------------------------------
# What each role may do on any page of the site that is not its association's.
# "add" counts where the page type takes subpages, "delete" on pages without children
# (Wagtail asks for "bulk delete" beyond); editors and members may delete only drafts.
SITE_PAGES = {
    "anonymous": set(),
    "citizen": set(),
    "member_a": set(),
    "member_b": set(),
    "editor": {"add", "edit"},
    "moderator": {"add", "edit", "publish", "delete"},
    "administrator": {"add", "edit", "publish", "delete"},
}
# On association A's page and what lies under it (its missions and events): its
# members add and change, never publish (the communication team approves).
ASSOCIATION_A_PAGES = {**SITE_PAGES, "member_a": {"add", "edit"}}

# Snippets ----------------------------------------------------------------------------
# Every snippet registered with Wagtail must be here: a new one fails until it is.
SNIPPETS = {
    #                      anonymous citizen member_a member_b editor moderator administrator
    "actions.theme":         ("",     "",     "",      "",      "",     "",      "add change delete"),
    "events.eventcategory":  ("",     "",     "",      "",      "add change", "add change delete", "add change delete"),
    "benevolat.activityfield": ("",   "",     "",      "",      "add change delete", "add change delete", "add change delete"),
}  # fmt: skip

# Lists of what citizens send, and exports -----------------------------------------
# ✓ sees every row; A or B only its association's rows; · refused.
LISTS = """
                              anonymous citizen member_a member_b editor moderator administrator
volunteer requests                ·        ·       A        B       ✓       ✓         ✓
volunteer requests (CSV)          ·        ·       A        B       ✓       ✓         ✓
volunteering hours                ·        ·       A        B       ✓       ✓         ✓
volunteering hours (CSV)          ·        ·       A        B       ✓       ✓         ✓
yearly hours totals (CSV)         ·        ·       A        B       ✓       ✓         ✓
ceremony sign-ups                 ·        ·       ·        ·       ·       ✓         ✓
ceremony sign-ups (CSV)           ·        ·       ·        ·       ·       ✓         ✓
citizen messages                  ·        ·       ·        ·       ·       ·         ✓
citizen messages (CSV)            ·        ·       ·        ·       ·       ·         ✓
comité de pilotage summary        ·        ·       ·        ·       ·       ·         ✓
photo of a report                 ·        ·       ·        ·       ·       ·         ✓
form answers                      ·        ·       ·        ·       ✓       ✓         ✓
form answers (CSV)                ·        ·       ·        ·       ✓       ✓         ✓
form results summary              ·        ·       ·        ·       ✓       ✓         ✓
outgoing emails                   ·        ·       ·        ·       ·       ·         ✓
commune settings                  ·        ·       ·        ·       ·       ✓         ✓
A's volunteer request             ·        ·       ✓        ·       ✓       ✓         ✓
B's volunteer request             ·        ·       ·        ✓       ✓       ✓         ✓
A's volunteering hours            ·        ·       ✓        ·       ✓       ✓         ✓
answer templates                  ·        ·       ·        ·       ·       ·         ✓
municipal services                ·        ·       ·        ·       ·       ·         ✓
user accounts                     ·        ·       ·        ·       ·       ·         ✓
new association member account    ·        ·       ·        ·       ·       ·         ✓
"""


def parse(table):
    lines = table.strip().splitlines()
    header = lines[0].split()
    rules = {}
    for line in lines[1:]:
        cells = line.split()
        name = " ".join(cells[: -len(header)])
        rules[name] = dict(zip(header, cells[-len(header) :], strict=True))
    return rules


LIST_RULES = parse(LISTS)


def a_photo():
    output = BytesIO()
    Image.new("RGB", (8, 8), "green").save(output, format="JPEG")
    return ContentFile(output.getvalue(), name="photo.jpg")


@pytest.fixture
def world(home):
    """Two associations with a member each, and one of everything citizens send."""
    directory = bf.association_directory(home)
    association_a = bf.AssociationPageFactory(parent=directory, title="Comité Alpha")
    association_b = bf.AssociationPageFactory(parent=directory, title="Comité Bêta")
    mission_a = bf.MissionPageFactory(parent=association_a, title="Mission Alpha")
    mission_b = bf.MissionPageFactory(parent=association_b, title="Mission Bêta")
    event_a = ef.EventPageFactory(parent=association_a, title="Fête Alpha")
    request_a = bf.VolunteerRequestFactory(mission=mission_a, name="Bénévole Alpha")
    request_b = bf.VolunteerRequestFactory(mission=mission_b, name="Bénévole Bêta")
    hours_a = bf.VolunteerHoursFactory(
        mission=mission_a, volunteer_name="Heures Alpha", validated=True
    )
    bf.VolunteerHoursFactory(mission=mission_b, volunteer_name="Heures Bêta", validated=True)
    ceremony = ef.CeremonyPageFactory(parent=ef.agenda(home))
    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Inscrite Gamma", email="gamma@example.org"
    )
    message = xf.SubmissionFactory(subject="Message Delta")
    message.photo.save("photo.jpg", a_photo())
    survey = xf.form_page_with_fields(home, title="Enquête Epsilon")
    FormSubmission.objects.create(page=survey, form_data={"votre_avis": "Réponse Epsilon"})
    OutgoingEmail.objects.create(to="zeta@example.org", subject="Courriel Zêta", body="…")
    xf.AnswerTemplateFactory(title="Réponse type Êta")
    xf.ServiceFactory(name="Service Thêta")
    users = {
        "anonymous": AnonymousUser(),
        "citizen": UserFactory(username="citoyen"),
        "member_a": add_member(association_a, "membre_a", "a@example.org", password="x" * 16)[0],
        "member_b": add_member(association_b, "membre_b", "b@example.org", password="x" * 16)[0],
        "editor": UserFactory(username="redacteur", groups=["Communication — rédacteurs"]),
        "moderator": UserFactory(username="moderateur", groups=["Communication — modérateurs"]),
        "administrator": UserFactory(username="admin", is_superuser=True),
    }
    return {
        "home": home,
        "users": users,
        "association_a": association_a,
        "association_a_pages": [association_a, mission_a, event_a],
        "message": message,
        "survey": survey,
        "request_a": request_a,
        "request_b": request_b,
        "hours_a": hours_a,
    }


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def is_refused(response):
    return response.status_code in (302, 403, 404)


# Pages -------------------------------------------------------------------------------


def allowed_page_actions(page, user):
    permissions = page.permissions_for_user(user)
    actions = {
        "add": permissions.can_add_subpage(),
        "edit": permissions.can_edit(),
        "publish": permissions.can_publish(),
        "delete": permissions.can_delete(),
    }
    return {action for action, allowed in actions.items() if allowed}


def applicable(page, actions, role):
    """The actions of the table that make sense on this page."""
    result = set(actions)
    if not page.specific_class.creatable_subpage_models():
        result.discard("add")
    if not page.is_leaf() and role != "administrator":
        result.discard("delete")
    if page.live and role in {"editor", "member_a"}:
        result.discard("delete")
    return result


def page_type_problems(world, role):
    """Every page type's permissions for this role, against the tables."""
    user = world["users"][role]
    site_pages = [make(world["home"]) for make in PAGE_FACTORIES.values()]
    problems = []
    for page in site_pages:
        expected = applicable(page, SITE_PAGES[role], role)
        actual = allowed_page_actions(page, user)
        if actual != expected:
            problems.append(
                f"{page.specific_class.__name__}: {sorted(actual)} ≠ {sorted(expected)}"
            )
    for page in world["association_a_pages"]:
        expected = applicable(page, ASSOCIATION_A_PAGES[role], role)
        actual = allowed_page_actions(page, user)
        if actual != expected:
            problems.append(f"A's {page.title}: {sorted(actual)} ≠ {sorted(expected)}")
    return problems


def page_editor_problems(client, world, role):
    """The admin's page views, opened for real: only for those allowed."""
    standard = PAGE_FACTORIES[next(k for k in PAGE_FACTORIES if k.__name__ == "StandardPage")](
        world["home"]
    )
    association_a, mission_a, _event = world["association_a_pages"]
    checks = [
        (reverse("wagtailadmin_pages:edit", args=[standard.pk]), standard, "edit"),
        (reverse("wagtailadmin_pages:delete", args=[standard.pk]), standard, "delete"),
        (reverse("wagtailadmin_pages:edit", args=[mission_a.pk]), mission_a, "edit"),
        (reverse("wagtailadmin_pages:delete", args=[mission_a.pk]), mission_a, "delete"),
        (
            reverse("wagtailadmin_pages:add", args=["benevolat", "missionpage", association_a.pk]),
            association_a,
            "add",
        ),
    ]
    problems = []
    for url, page, action in checks:
        rules = ASSOCIATION_A_PAGES if page in world["association_a_pages"] else SITE_PAGES
        allowed = action in applicable(page, rules[role], role)
        response = client.get(url)
        if allowed and response.status_code != 200:
            problems.append(f"{action} {page.title}: {response.status_code}, expected 200")
        if not allowed and not is_refused(response):
            problems.append(f"{action} {page.title}: {response.status_code}, expected a refusal")
        if not allowed and 'name="title"' in body(response):
            problems.append(f"{action} {page.title}: the editor's form was shown")
    return problems


# Snippets ----------------------------------------------------------------------------


def test_every_registered_snippet_is_in_the_matrix():
    registered = {model._meta.label_lower for model in get_snippet_models()}

    assert registered == set(SNIPPETS)


def snippet_problems(client, world, role):
    user = world["users"][role]
    problems = []
    for model in get_snippet_models():
        expected = set(SNIPPETS[model._meta.label_lower][ROLES.index(role)].split())
        policy = model.snippet_viewset.permission_policy
        actual = {
            action
            for action in ("add", "change", "delete")
            if policy.user_has_permission(user, action)
        }
        if actual != expected:
            problems.append(f"{model.__name__}: {sorted(actual)} ≠ {sorted(expected)}")
        response = client.get(reverse(model.snippet_viewset.get_url_name("list")))
        if expected and response.status_code != 200:
            problems.append(f"{model.__name__} list: {response.status_code}")
        if not expected and not is_refused(response):
            problems.append(f"{model.__name__} list: {response.status_code}, expected a refusal")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_snippets_allow_each_role_only_its_actions(client, world, role):
    client = client_for(client, world, role)

    assert page_type_problems(world, role) == []
    assert page_editor_problems(client, world, role) == []
    assert snippet_problems(client, world, role) == []


# Lists and exports ---------------------------------------------------------------------


def list_checks(world):
    """name → (url, the row every allowed role sees, or for A/B rows (A's, B's))."""
    survey = world["survey"].pk
    csv = "?export=csv"
    site = Site.objects.get(is_default_site=True)
    return {
        "volunteer requests": (
            reverse("benevolat_requests:index"),
            ("Bénévole Alpha", "Bénévole Bêta"),
        ),
        "volunteer requests (CSV)": (
            reverse("benevolat_requests:index") + csv,
            ("Bénévole Alpha", "Bénévole Bêta"),
        ),
        "volunteering hours": (reverse("benevolat_hours:index"), ("Heures Alpha", "Heures Bêta")),
        "volunteering hours (CSV)": (
            reverse("benevolat_hours:index") + csv,
            ("Heures Alpha", "Heures Bêta"),
        ),
        "yearly hours totals (CSV)": (
            reverse("benevolat_hours:yearly_totals"),
            ("Comité Alpha", "Comité Bêta"),
        ),
        "ceremony sign-ups": (reverse("ceremony_registrations:index"), "Inscrite Gamma"),
        "ceremony sign-ups (CSV)": (
            reverse("ceremony_registrations:index") + csv,
            "Inscrite Gamma",
        ),
        "citizen messages": (reverse("submission:index"), "Message Delta"),
        "citizen messages (CSV)": (reverse("submission:index") + csv, "Message Delta"),
        "comité de pilotage summary": (reverse("expression-summary:index"), "Synthèse"),
        "photo of a report": (reverse("submission:photo", args=[world["message"].pk]), "JFIF"),
        "form answers": (
            reverse("wagtailforms:list_submissions", args=[survey]),
            "Réponse Epsilon",
        ),
        "form answers (CSV)": (
            reverse("wagtailforms:list_submissions", args=[survey]) + csv,
            "Réponse Epsilon",
        ),
        "form results summary": (reverse("expression_form_summary", args=[survey]), "Epsilon"),
        "outgoing emails": (reverse("outgoing_emails:index"), "Courriel Zêta"),
        "commune settings": (
            reverse("wagtailsettings:edit", args=["home", "communesettings", site.pk]),
            "commune_name",
        ),
        "A's volunteer request": (
            reverse("benevolat_requests:edit", args=[world["request_a"].pk]),
            "Bénévole Alpha",
        ),
        "B's volunteer request": (
            reverse("benevolat_requests:edit", args=[world["request_b"].pk]),
            "Bénévole Bêta",
        ),
        "A's volunteering hours": (
            reverse("benevolat_hours:edit", args=[world["hours_a"].pk]),
            "Heures Alpha",
        ),
        "answer templates": (reverse("answertemplate:index"), "Réponse type Êta"),
        "municipal services": (reverse("service:index"), "Service Thêta"),
        "user accounts": (reverse("wagtailusers_users:index"), "citoyen"),
        "new association member account": (
            reverse("benevolat_member_account", args=[world["association_a"].pk]),
            'name="username"',
        ),
    }


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_exports_show_each_role_only_what_it_may_see(client, world, role):
    client = client_for(client, world, role)
    checks = list_checks(world)
    assert set(checks) == set(LIST_RULES)
    problems = []
    for name, (url, rows) in checks.items():
        rule = LIST_RULES[name][role]
        response = client.get(url)
        text = body(response)
        if isinstance(rows, tuple):
            row_a, row_b = rows
            visible = {"✓": {row_a, row_b}, "A": {row_a}, "B": {row_b}, "·": set()}[rule]
            hidden = {row_a, row_b} - visible
        else:
            visible, hidden = ({rows}, set()) if rule == "✓" else (set(), {rows})
        if visible and response.status_code != 200:
            problems.append(f"{name}: {response.status_code}, expected 200")
        if not visible and not is_refused(response):
            problems.append(f"{name}: {response.status_code}, expected a refusal")
        problems += [f"{name}: {row} missing" for row in visible if row not in text]
        problems += [f"{name}: {row} shown" for row in hidden if row in text]

    assert problems == []


def test_a_visitor_asked_to_log_in_reaches_the_login_page(client, db):
    response = client.get(reverse("submission:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
