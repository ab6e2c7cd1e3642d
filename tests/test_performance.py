"""Page speed as citizens on a slow phone line meet it: every public page answers in
a handful of SQL queries however much the commune publishes, anonymous visitors get
pages from the cache until something is published, and images are resized in the
task queue before anyone asks for them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from home.models import CommuneSettings
from tests import factories
from tests.factories import actions, benevolat, events, expression

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12


def build_site(home, size):
    """Every public page type, with `size` actions, events, associations (a logo on
    every other one), missions and published answers, the French site and its
    English aliases."""
    photo = factories.wagtail_factories.ImageFactory(file__width=1600, file__height=900)
    site_settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    legal = factories.StandardPageFactory(parent=home, title="Mentions légales")
    personal_data = factories.PersonalDataPageFactory(parent=home)
    site_settings.legal_notice_page = legal
    site_settings.privacy_page = personal_data
    site_settings.logo = photo
    site_settings.save()
    figure = {"image": {"image": photo.pk, "alt_text": "La Loire", "decorative": False}}
    standard = factories.StandardPageFactory(
        parent=home,
        show_in_menus=True,
        social_image=photo,
        body=[{"type": "image", "value": {**figure, "caption": ""}}],
    )

    theme = actions.ThemeFactory()
    plan = actions.action_plan(home)
    for _ in range(size):
        action = actions.ActionPageFactory(
            parent=plan, indicators=[actions.indicator(values=[3, 5, 8])]
        )
        action.themes.add(theme)
        action.save()
    action_page = plan.get_children().last().specific

    agenda = events.agenda(home)
    for _ in range(size):
        event = events.EventPageFactory(parent=agenda, image=photo, image_alt="La Loire")
    ceremony = events.CeremonyPageFactory(parent=agenda)

    directory = benevolat.association_directory(home)
    listing = benevolat.missions_listing(home)
    for number in range(size):
        association = benevolat.AssociationPageFactory(
            parent=directory, **({"logo": photo, "logo_alt": "Logo"} if number % 2 else {})
        )
        mission = benevolat.MissionPageFactory(parent=association)
    events.EventPageFactory(parent=association)

    expression_page = expression.expression_page(home)
    answers = expression.questions_answers_page(home)
    for _ in range(size):
        expression.PublishedSubmissionFactory(action=action_page)
    form_page = expression.form_page_with_fields(home)

    factories.translate(home)
    english_standard = factories.translate(standard)
    return {
        "warm-up": legal.url,
        "home": home.url,
        "standard page": standard.url,
        "personal data page": personal_data.url,
        "plan": plan.url,
        "plan filtered": f"{plan.url}?theme={theme.slug}&statut=todo",
        "plan csv": plan.url + "donnees/csv/",
        "plan json": plan.url + "donnees/json/",
        "action page": action_page.url,
        "agenda": agenda.url,
        "agenda filtered": f"{agenda.url}?commune=corne",
        "agenda archives": agenda.url + "archives/",
        "agenda ical": agenda.url + "ical/",
        "agenda rss": agenda.url + "rss/",
        "event page": event.url,
        "event ical": event.url + "ical/",
        "ceremony page": ceremony.url,
        "association directory": directory.url,
        "association directory filtered": f"{directory.url}?q=Association&commune=corne&page=2",
        "association page": association.url,
        "missions listing": listing.url,
        "missions listing filtered": f"{listing.url}?ouvertes=1&commune=corne",
        "mission page": mission.url,
        "expression page": expression_page.url,
        "questions and answers": answers.url,
        "questions and answers filtered": f"{answers.url}?type=question&q=salle&page=1",
        "form page": form_page.url,
        "search": "/recherche/?q=association",
        "english home": "/en/",
        "english standard page": english_standard.url,
        "sitemap": "/sitemap.xml",
    }


@pytest.mark.parametrize("size", [1, 25])
def test_every_public_page_stays_within_the_query_budget(
    client, home, english, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Each page rendered for the first time (not from the page cache), once the
    header and footer, the same on every page, are in the cache."""
    with django_capture_on_commit_callbacks(execute=True):  # the task queue's renditions
        pages = build_site(home, size)
    client.get(pages.pop("warm-up"))
    for name, url in pages.items():
        with django_assert_max_num_queries(QUERY_BUDGET, info=name):
            response = client.get(url)
        assert response.status_code == 200, name


def test_the_first_renders_after_a_publication_stay_within_the_query_budget(
    client, home, english, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """A publication forgets the pages that show what changed, and only them: the
    menu, footer and translations stay cached, and the pages made again after it
    cost what they cost before it."""
    with django_capture_on_commit_callbacks(execute=True):
        pages = build_site(home, 5)
    pages.pop("warm-up")
    for url in pages.values():
        client.get(url)
    plan = actions.action_plan(home)
    action = plan.get_children().first().specific
    action.summary = "Un conseil élu par les jeunes de 11 à 17 ans."
    with django_capture_on_commit_callbacks(execute=True):
        action.save_revision().publish()
    for name, url in pages.items():
        with django_assert_max_num_queries(QUERY_BUDGET, info=name):
            response = client.get(url)
        assert response.status_code == 200, name


# The full-page cache -----------------------------------------------------------


@pytest.fixture
def commune_settings(home):
    return CommuneSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="redaction", is_staff=True, is_superuser=True)


def test_an_anonymous_visitor_gets_the_page_from_the_cache(client, home, django_assert_num_queries):
    page = factories.StandardPageFactory(parent=home, title="Horaires de la mairie")
    first = client.get(page.url)
    with django_assert_num_queries(0):
        second = client.get(page.url)
    assert second.status_code == 200
    assert second.content == first.content
    assert "Horaires de la mairie" in second.text
    assert second["Cache-Control"] == "public, max-age=60"
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Security-Policy" in second.headers


def test_open_data_downloads_keep_their_file_name_from_the_cache(client, home):
    plan = actions.action_plan(home)
    first = client.get(plan.url + "donnees/csv/")
    second = client.get(plan.url + "donnees/csv/")
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"] == first["Content-Type"]


def test_the_french_and_english_pages_are_kept_apart(client, home, english):
    page = factories.StandardPageFactory(parent=home, title="Vie locale", slug="vie-locale")
    factories.translate(page)
    french = client.get("/vie-locale/")
    english_page = client.get("/en/vie-locale/")
    assert '<html lang="fr">' in french.text
    assert '<html lang="en">' in english_page.text
    assert '<html lang="fr">' in client.get("/vie-locale/").text
    assert '<html lang="en">' in client.get("/en/vie-locale/").text


def test_publishing_editing_and_unpublishing_a_page_show_at_once(client, home):
    page = factories.StandardPageFactory(parent=home, title="Travaux rue du Port", slug="travaux")
    assert "Travaux rue du Port" in client.get("/travaux/").text
    assert "Fermeture du pont" not in client.get("/").text

    news = factories.StandardPageFactory(
        parent=home, title="Fermeture du pont", show_in_menus=True, live=False
    )
    news.save_revision().publish()
    assert "Fermeture du pont" in client.get("/").text  # the menu

    page.title = "Travaux rue du Port : fin des travaux"
    page.save_revision().publish()
    assert "fin des travaux" in client.get("/travaux/").text

    page.unpublish()
    assert client.get("/travaux/").status_code == 404


def test_a_snippet_and_the_settings_show_at_once(client, home, commune_settings):
    plan = actions.action_plan(home)
    theme = actions.ThemeFactory(name="Mobilités")
    action = actions.ActionPageFactory(parent=plan)
    action.themes.add(theme)
    action.save_revision().publish()
    assert "Mobilités" in client.get(plan.url).text

    theme.name = "Mobilités douces"
    theme.save()
    assert "Mobilités douces" in client.get(plan.url).text

    commune_settings.phone = "02 41 00 00 00"
    commune_settings.save()
    assert "02 41 00 00 00" in client.get(plan.url).text


def test_a_published_answer_shows_at_once(client, home):
    answers = expression.questions_answers_page(home)
    question = expression.SubmissionFactory(subject="Éclairage du city-stade")
    assert "city-stade" not in client.get(answers.url).text

    question.status = question.Status.ANSWERED
    question.answer = "Il s'éteint désormais à 22 heures."
    question.public_title = "Éclairage du city-stade"
    question.public_question = "Jusqu'à quelle heure le city-stade est-il éclairé ?"
    question.is_published = True
    question.save()
    assert "22 heures" in client.get(answers.url).text

    question.is_published = False
    question.save()
    assert "22 heures" not in client.get(answers.url).text


def test_a_citizens_message_leaves_the_cached_pages_alone(client, home):
    """A message changes no public page until the team publishes its answer: the
    submission and its one-time token keep the cache as it was."""
    from django.core.cache import cache

    from home import page_cache
    from home.models import Commune

    page = expression.expression_page(home)
    before = page_cache.generation()
    response = client.post(
        page.url,
        {
            "kind": "idea",
            "subject": "Un banc au bord de la Loire",
            "message": "Un banc à La Bohalle, face au fleuve.",
            "commune": Commune.objects.get(slug="la-bohalle").pk,
            "reply": "anonymous",
            "consent": "on",
            "form_token": "6f1c9f7e-2d3b-4f7a-9a51-0c7e8b1d2a34",
        },
    )
    assert response.status_code == 303  # stored, on to the confirmation
    assert cache.get(page_cache.GENERATION_KEY) == before


def test_the_page_cache_watches_what_each_app_declares_public():
    """Apps declare what public pages show (`public_content`, `shown_on_public_pages`):
    the page cache, in `home`, names none of them."""
    from home import page_cache

    watched = {model._meta.label for model in page_cache.watched_models()}
    for label in ["home.Commune", "actions.ActionPage", "actions.Theme", "events.EventPage"]:
        assert label in watched
    for label in ["benevolat.MissionPage", "expression.Submission", "wagtailimages.Image"]:
        assert label in watched
    private = ["home.SubmissionToken", "benevolat.VolunteerHours", "notifications.OutgoingEmail"]
    for label in private:
        assert label not in watched


def test_logged_in_users_are_never_served_nor_stored(client, home, staff):
    factories.StandardPageFactory(parent=home, slug="conseil")
    client.get("/conseil/")  # stored for anonymous visitors

    client.force_login(staff)
    response = client.get("/conseil/")
    assert "wagtail-userbar" in response.text  # made for them, not the cached copy
    assert "private" in response["Cache-Control"]

    client.logout()
    assert "wagtail-userbar" not in client.get("/conseil/").text


def test_a_page_with_a_form_is_made_for_each_visitor(home, django_assert_max_num_queries):
    """Its CSRF token is tied to each visitor's cookie: a shared copy would carry
    someone else's token and the form would be refused."""
    from django.test import Client

    page = expression.expression_page(home)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_response = first.get(page.url)
    second_response = second.get(page.url)

    for response in (first_response, second_response):
        assert 'name="csrfmiddlewaretoken"' in response.text
        assert "csrftoken" in response.cookies
        assert response["Cache-Control"] == "private, no-store"
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_post_is_never_served_from_the_cache(client, home):
    page = factories.StandardPageFactory(parent=home, slug="piscine")
    client.get("/piscine/")  # stored
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/piscine/")
    assert len(queries) > 0  # made again, not taken from the cache
    assert "private" in response["Cache-Control"]
    assert page.title in response.text


# Image renditions --------------------------------------------------------------


def test_renditions_are_made_in_the_queue_before_any_visit(
    client, home, django_capture_on_commit_callbacks
):
    from wagtail.images.models import Rendition

    from home.renditions import PUBLIC_FILTER_SPECS

    with django_capture_on_commit_callbacks(execute=True):
        photo = factories.wagtail_factories.ImageFactory(
            title="Le marché de Corné", file__width=1600, file__height=900
        )
    assert set(photo.renditions.values_list("filter_spec", flat=True)) == set(PUBLIC_FILTER_SPECS)

    photo.renditions.all().delete()
    page = factories.StandardPageFactory(parent=home, live=False, slug="marche", social_image=photo)
    page.body = [
        {
            "type": "image",
            "value": {
                "image": {"image": photo.pk, "alt_text": "Le marché", "decorative": False},
                "caption": "",
            },
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    made = Rendition.objects.count()
    assert made == len(PUBLIC_FILTER_SPECS)

    html = client.get("/marche/").text
    assert Rendition.objects.count() == made  # the visit made none
    assert 'type="image/webp"' in html or ".webp" in html
    assert 'loading="lazy"' in html and "srcset=" in html and "400w" in html


def test_the_pages_with_a_filter_form_declare_every_field_it_reads():
    """The page cache keys a page by the parameters its type declares: a filter the
    declaration forgot would serve one filter's page for another."""
    from events.forms import AgendaFilterForm
    from events.models import EventIndexPage
    from expression.models import QuestionsAnswersPage
    from expression.views import QuestionFilterForm

    assert {*AgendaFilterForm.base_fields, "page"} <= EventIndexPage.query_parameters
    assert {*QuestionFilterForm.base_fields, "page"} <= QuestionsAnswersPage.query_parameters


def test_the_warm_up_before_fork_parses_every_template_without_the_database(
    django_assert_num_queries,
):
    """gunicorn loads the site once before forking (gunicorn.conf.py, site/wsgi.py):
    each worker starts with the site's templates parsed, and with no database
    connection to share with the others."""
    from django.template import engines

    from home.warmup import project_templates, warm_up

    engine = engines["django"].engine
    cached_loader = engine.template_loaders[0]
    cached_loader.reset()
    with django_assert_num_queries(0):
        warm_up()
    parsed = {key.split(":")[0] for key in cached_loader.get_template_cache}
    names = list(project_templates())
    assert "base.html" in names
    assert set(names) <= parsed


# Transactional, as the browser tests: the master's connections are closed. The
# serialized rollback restores what the migrations made (the locales) for the next.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorns_master_makes_the_main_pages_before_the_fork_and_keeps_no_connection(client):
    """gunicorn.conf.py: before forking, the master visits the home and menu pages and
    the page of each type published last, so that every worker inherits what their
    first visitors would make (the pages' walks and kept values for the current
    generation, each type's code and templates touched); the pages are made even when
    the page cache holds them, and the master keeps no database connection to share."""
    from django.core.handlers.wsgi import WSGIHandler

    from home import page_cache, routing
    from home.warmup import visit_before_fork

    home = factories.make_site_home()
    plan = actions.action_plan(home)
    plan.show_in_menus = True
    plan.save_revision().publish()
    older, latest = (actions.action_page(home, number=number) for number in (4, 5))
    for page in (older, latest):
        page.save_revision().publish()
    for page in (home, plan):
        assert client.get(page.url).status_code == 200  # now in the page cache
    routing.walks.clear()
    page_cache.computed_copies.clear()

    visit_before_fork(WSGIHandler())

    walked = {key[3] for key in routing.walks._copies}
    assert {routing_path(home), routing_path(plan), routing_path(latest)} <= walked
    assert routing_path(older) not in walked
    # Django never closes SQLite's in-memory test database; PostgreSQL's is closed.
    if connection.vendor != "sqlite":
        assert connection.connection is None


def routing_path(page):
    """The path the routing is given for a page: its address without the language
    prefix and leading slash, as Wagtail's serve view receives it."""
    return page.url.removeprefix("/fr").lstrip("/")
