"""Screenshots of every page type at a phone's and a desktop's width, for people to
look at (kept out of the test run: a gallery is judged by eye).

    python manage.py screenshots /tmp/shots --base-url http://127.0.0.1:8000

The site must be served at --base-url from the same database (e.g. `make serve`).
It takes the first live page of each page type in French and in English (en-<page
type>), the search results and the site map, and each page's form sent empty
(<page type>-errors), at 375 × 812 and 1280 × 900, full page, as PNG files named
<name>-<width>.png. Needs Playwright (the test extras) and Chromium."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Page, get_page_models

from home.models import all_pages

SIZES = [(375, 812), (1280, 900)]
CHROMIUM = "/usr/bin/chromium"


def pages_to_shoot(language="fr"):
    """(name, path) of one page of each page type, the search and the English home."""
    shots = []
    for model in get_page_models():
        if model is Page:
            continue
        page = (
            all_pages()
            .type(model)
            .exact_type(model)
            .visible_to_public()
            .filter(locale__language_code=language)
            .order_by("path")
            .first()
        )
        if page is not None and page.url:
            shots.append((model._meta.model_name, page.url))
    shots.append(("search", "/recherche/?q=f%C3%AAte"))
    shots.append(("english-home", "/en/"))
    return shots


def every_shot():
    """The French and English pages, the site map, and the forms sent empty: what a
    reviewer looks at (the third item asks for the page's form to be sent empty)."""
    french = pages_to_shoot()[:-1]  # the English home is among the English pages
    english = [(f"en-{name}", path) for name, path in pages_to_shoot("en")[:-2]]
    forms = [(f"{name}-errors", path, True) for name, path in french + english]
    return [
        *french,
        *english,
        ("en-search", "/en/recherche/?q=market"),
        ("sitemap", "/plan-du-site/"),
        ("en-sitemap", "/en/plan-du-site/"),
        *forms,
    ]


def take_screenshots(browser, base_url, shots, folder):
    """Full-page screenshots of `shots` ((name, path) pairs) at each width, with a
    Playwright browser; returns the files written."""
    written = []
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for name, path, *send_empty in shots:
            page.goto(base_url.rstrip("/") + path)
            page.wait_for_load_state("networkidle")
            if send_empty:
                send = page.locator("main form[method=post] button[type=submit]")
                if not send.count():
                    continue
                send.last.click()
                page.wait_for_load_state("networkidle")
            file = Path(folder) / f"{name}-{width}.png"
            page.screenshot(path=file, full_page=True)
            written.append(file)
        context.close()
    return written


class Command(BaseCommand):
    help = "Write screenshots of every page type at 375 and 1280 px into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument(
            "--only", default="", help="Comma-separated page type names (as in the files)."
        )

    def handle(self, folder, base_url, only, **options):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError("Playwright is needed: pip install -e '.[test]'") from error
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        shots = every_shot()
        if only:
            wanted = set(only.split(","))
            shots = [shot for shot in shots if shot[0] in wanted]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            written = take_screenshots(browser, base_url, shots, target)
            browser.close()
        self.stdout.write(f"{len(written)} screenshots written to {target}")
