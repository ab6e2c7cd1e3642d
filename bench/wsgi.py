"""gunicorn's application for the benchmark: the site as production serves it
(site/wsgi.py, warmed up before the workers are forked), plus its public media served
as the production web server would serve them (never `private/`), so that browsers
and Lighthouse load the pages' images."""

from django.conf import settings

from whitenoise import WhiteNoise

from ville_citoyenne.wsgi import application

application = WhiteNoise(application)
for folder in ("images", "original_images"):
    if (settings.MEDIA_ROOT / folder).is_dir():
        application.add_files(settings.MEDIA_ROOT / folder, prefix=f"{settings.MEDIA_URL}{folder}/")
