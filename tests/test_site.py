"""The foundation, as the commune's users meet it: French pages at the root,
English under /en/, the legal footer, search, sitemap, errors and sharing tags."""

from django.core.management import call_command
from django.test import Client

from wagtail.models import Page, Site, get_page_models

import pytest

from home.models import CommuneSettings, StandardPage
from tests import factories

pytestmark = pytest.mark.django_db


def concrete_page_models():
    return [model for model in get_page_models() if model is not Page]


def test_every_page_type_has_a_factory():
    missing = [
        model.__name__ for model in concrete_page_models() if model not in factories.PAGE_FACTORIES
    ]
    assert missing == []


@pytest.mark.parametrize("model", concrete_page_models(), ids=lambda model: model.__name__)
def test_every_page_type_renders_in_both_locales(client, home, english, model):
    page = factories.PAGE_FACTORIES[model](home)
    translation = factories.translate(page)

    french_response = client.get(page.url)
    english_response = client.get(translation.url)

    assert french_response.status_code == 200
    assert english_response.status_code == 200
    assert translation.url.startswith("/en/")
    assert '<html lang="fr">' in french_response.text
    assert '<html lang="en">' in english_response.text


def test_french_is_served_at_the_root_with_french_interface(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "Aller au contenu" in response.text  # the skip link, translated


def test_english_interface_under_en(client, home, english):
    factories.translate(home)
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Skip to content" in response.text


def test_language_switcher_and_hreflang_point_to_the_translation(client, home, english):
    page = factories.StandardPageFactory(
        parent=home, title="Vie associative", slug="vie-associative"
    )
    factories.translate(page)
    html = client.get("/vie-associative/").text
    assert 'href="/en/vie-associative/" hreflang="en"' in html
    assert (
        '<link rel="alternate" hreflang="en" href="http://localhost/en/vie-associative/">' in html
    )
    assert '<link rel="alternate" hreflang="fr" href="http://localhost/vie-associative/">' in html


def test_main_navigation_lists_pages_shown_in_menus(client, home):
    factories.StandardPageFactory(parent=home, title="Participer", show_in_menus=True)
    factories.StandardPageFactory(parent=home, title="Page cachée du menu", show_in_menus=False)
    html = client.get("/").text
    nav = html.split('class="main-nav main-nav--bar"')[1].split("</nav>")[0]
    assert "Participer" in nav
    assert "Page cachée du menu" not in nav


def test_footer_links_the_legally_required_pages(client, home):
    site = Site.objects.get(is_default_site=True)
    commune = CommuneSettings.for_site(site)
    commune.legal_notice_page = factories.StandardPageFactory(parent=home, title="Mentions légales")
    commune.privacy_page = factories.StandardPageFactory(parent=home, title="Données personnelles")
    commune.accessibility_page = factories.StandardPageFactory(
        parent=home, title="Déclaration d'accessibilité"
    )
    commune.phone = "02 41 00 00 00"
    commune.save()
    footer = client.get("/").text.split("<footer")[1]
    for title in ["Mentions légales", "Données personnelles", "Déclaration d&#x27;accessibilité"]:
        assert title in footer
    assert 'href="tel:0241000000"' in footer


def test_sharing_tags_use_the_page_description_and_image(client, home):
    image = factories.wagtail_factories.ImageFactory(title="Bords de Loire")
    factories.StandardPageFactory(
        parent=home,
        title="Fête de la Loire",
        slug="fete",
        search_description="La fête des bords de Loire à La Daguenière.",
        social_image=image,
    )
    html = client.get("/fete/").text
    assert '<meta name="description" content="La fête des bords de Loire à La Daguenière.">' in html
    assert '<meta property="og:title" content="Fête de la Loire">' in html
    assert '<meta property="og:description" content="La fête des bords de Loire' in html
    assert 'property="og:image" content="http://testserver/media/images/' in html
    assert '<meta property="og:locale" content="fr_FR">' in html


def test_unknown_page_is_a_french_404(client, home):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert '<html lang="fr">' in response.text


def test_server_error_page_is_french():
    from django.template.loader import render_to_string
    from django.utils import translation

    # As in a request to a French page, whatever language an earlier test left active.
    with translation.override("fr"):
        html = render_to_string("500.html")
    assert "Le site rencontre un problème" in html
    assert '<html lang="fr">' in html


def test_search_finds_a_page_by_a_word_typed_without_its_accents(client, home):
    page = factories.StandardPageFactory(parent=home, title="Espace ressources bénévolat")
    page.save_revision().publish()
    response = client.get("/recherche/", {"q": "benevolat"})
    assert response.status_code == 200
    assert "Espace ressources bénévolat" in response.text
    assert "1 résultat" in response.text


def test_search_reads_an_index_on_the_expression_it_matches(db):
    """Wagtail matches `title || body`; without an index on that expression every
    search reads the whole index table."""
    from django.conf import settings
    from django.db import connection

    if not settings.DATABASE_IS_POSTGRES:
        pytest.skip("PostgreSQL's full-text search only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'wagtailsearch_indexentry_title_body_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (((title || body)))" in definition


def test_search_stays_calm_on_hostile_input(client, home):
    for query in [
        "x" * 5000,
        "a\x00b",
        "'; DROP TABLE wagtailcore_page; --",
        "<script>alert(1)</script>",
    ]:
        response = client.get("/recherche/", {"q": query, "page": "-3"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text
    assert client.get("/recherche/", {"page": "99999999999999999999"}).status_code == 200


def test_sitemap_lists_live_pages_and_not_drafts(client, home, english):
    live = factories.StandardPageFactory(parent=home, title="En ligne", slug="en-ligne")
    factories.translate(live)
    factories.StandardPageFactory(parent=home, title="Brouillon", slug="brouillon", live=False)
    xml = client.get("/sitemap.xml").text
    assert "http://localhost/en-ligne/" in xml
    assert "http://localhost/en/en-ligne/" in xml
    assert "brouillon" not in xml


def test_robots_txt_points_to_the_sitemap(client, home):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_admin_login_works(home):
    factories.UserFactory(username="agent", is_staff=True, is_superuser=True)
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "agent", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_command_is_idempotent_and_every_page_answers(client):
    from follow.digests import next_digest
    from follow.models import Subscription, Target

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (
        Page.objects.count(),
        StandardPage.objects.count(),
        CommuneSettings.objects.count(),
        Subscription.objects.count(),
    )
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        Page.objects.count(),
        StandardPage.objects.count(),
        CommuneSettings.objects.count(),
        Subscription.objects.count(),
    ) == counts

    # Fictional followers, confirmed: the admin shows counts, the digest preview a week.
    followers = Subscription.objects.confirmed()
    assert followers.count() == Subscription.objects.count() >= 5
    assert all(
        email.endswith("@example.org") for email in followers.values_list("email", flat=True)
    )
    assert set(followers.values_list("target", flat=True)) == set(Target.values)
    assert any(next_digest(s) for s in followers.filter(target=Target.AGENDA))

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.title == "Ville citoyenne"
    pages = Page.objects.live().filter(depth__gt=1)
    assert pages.filter(locale__language_code="en").exists()
    for page in pages:
        assert client.get(page.url).status_code == 200, page.url


def test_demo_command_prints_a_working_admin_login():
    from io import StringIO

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "identifiant « admin », mot de passe « demo-loire-authion »" in out.getvalue()
    client = Client()
    assert client.login(username="admin", password="demo-loire-authion")
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("model", concrete_page_models(), ids=lambda model: model.__name__)
def test_every_page_type_goes_through_the_translation_workflow(
    home, english, model, django_capture_on_commit_callbacks
):
    """wagtail-localize extracts every page type's texts for translators and
    builds the English page from them (it publishes once the transaction commits)."""
    from wagtail_localize.models import TranslationSource

    page = factories.PAGE_FACTORIES[model](home)
    with django_capture_on_commit_callbacks(execute=True):
        for ancestor in [*page.get_ancestors().filter(depth__gt=1).specific(), page]:
            source, _created = TranslationSource.get_or_create_from_instance(ancestor)
            source.create_or_update_translation(english, fallback=True)
    translation = page.get_translation(english)
    assert translation.live
    assert translation.title == page.title  # the French text until a translator works on it


def test_a_standard_page_renders_every_block_of_its_body(client, home):
    image = factories.wagtail_factories.ImageFactory(title="photo")
    document = factories.wagtail_factories.DocumentFactory(title="Compte rendu du comité")
    target = factories.StandardPageFactory(parent=home, title="Participer", slug="participer")
    page = factories.StandardPageFactory(
        parent=home,
        slug="tous-les-blocs",
    )
    # The body as Wagtail stores it (raw JSON), as the page editor saves it.
    page.body = [
        {"type": "heading", "value": {"text": "Une section", "level": "h2"}},
        {"type": "heading", "value": {"text": "Une sous-section", "level": "h3"}},
        {"type": "paragraph", "value": "<p>Du <b>texte</b> riche.</p>"},
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "alt_text": "Le marché de Corné", "decorative": False},
                "caption": "Le marché du samedi",
            },
        },
        {
            "type": "quote",
            "value": {"quote": "Il s'agit d'un dialogue.", "attribution": "Action 5"},
        },
        {
            "type": "call_to_action",
            "value": {
                "title": "Donnez votre avis",
                "text": "",
                "page": target.pk,
                "url": "",
                "button_label": "Je participe",
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": ""}},
    ]
    page.save_revision().publish()
    html = client.get(page.url).text
    assert "<h2>Une section</h2>" in html and "<h3>Une sous-section</h3>" in html
    assert "<b>texte</b>" in html
    assert 'alt="Le marché de Corné"' in html and 'loading="lazy"' in html and "srcset=" in html
    assert "<figcaption>Le marché du samedi</figcaption>" in html
    assert "<blockquote><p>Il s&#x27;agit d&#x27;un dialogue.</p></blockquote>" in html
    assert 'class="button" href="/participer/">Je participe</a>' in html
    assert f'href="{document.url}" download>Compte rendu du comité' in html


def test_a_call_to_action_needs_a_page_or_an_address():
    from wagtail.blocks import StructBlockValidationError

    from home.blocks import CallToActionBlock

    block = CallToActionBlock()
    value = block.to_python(
        {"title": "Participez", "text": "", "page": None, "url": "", "button_label": "Go"}
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


@pytest.mark.parametrize("model", concrete_page_models(), ids=lambda model: model.__name__)
def test_every_page_type_declares_its_promote_tab_for_translators(model):
    declared = {field.field_name for field in model.translatable_fields}
    assert {"title", "seo_title", "search_description", "slug", "social_image"} <= declared
