"""gunicorn's application for the benchmark: the site, plus its public media served
as the production web server would serve them (never `private/`), so that browsers
and Lighthouse load the pages' images."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from whitenoise import WhiteNoise

application = get_wsgi_application()
application = WhiteNoise(application)
for folder in ("images", "original_images"):
    if (settings.MEDIA_ROOT / folder).is_dir():
        application.add_files(settings.MEDIA_ROOT / folder, prefix=f"{settings.MEDIA_URL}{folder}/")
