"""Factories that build exactly what a test asserts on (never the demo content).

Each app has its module here; PAGE_FACTORIES gathers, for every concrete page type,
how to build a live one in the site whose home page is given (creating the parents
its type requires). The test that every page type renders in both locales fails for
a page type that has none.
"""

from . import actions, benevolat, events, expression, fonds, home
from .home import (  # noqa: F401 - the helpers every test uses
    HomePageFactory,
    PersonalDataPageFactory,
    StandardPageFactory,
    UserFactory,
    english,
    french,
    make_site_home,
    translate,
    wagtail_factories,
)

PAGE_FACTORIES = {
    **home.PAGE_FACTORIES,
    **actions.PAGE_FACTORIES,
    **benevolat.PAGE_FACTORIES,
    **expression.PAGE_FACTORIES,
    **events.PAGE_FACTORIES,
    **fonds.PAGE_FACTORIES,
}
