"""Image renditions made in the task queue, so that no visitor waits while an
image is resized: when an image is uploaded (or its focal point changes), and when
a page is published, for the images it shows."""

from collections.abc import Sequence

from django.db import models, transaction

from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page

from django_tasks import task

# Every filter the public templates use: the body's figures and the event images
# (WebP, three widths), the sharing image (JPEG, which every social network reads),
# association logos (WebP, 1x and 2x), the commune's logo in the header, the home page's
# hero and the event cards (two widths each).
# A template that uses a new filter adds it here.
PUBLIC_FILTER_SPECS = [
    "width-400|format-webp",
    "width-800|format-webp",
    "width-1200|format-webp",
    "fill-1200x630|format-jpeg",
    "fill-160x160|format-webp",
    "fill-320x320|format-webp",
    "height-64|format-webp",
    "height-128|format-webp",
    "height-96|format-webp",
    # the home page's hero, the event cards
    "fill-800x400|format-webp",
    "fill-1600x800|format-webp",
    "fill-400x225|format-webp",
    "fill-800x450|format-webp",
]


@task()
def make_renditions(image_ids):
    for image in get_image_model().objects.filter(pk__in=image_ids):
        # Wagtail creates the missing renditions only, in one go.
        image.get_renditions(*PUBLIC_FILTER_SPECS)


def images_of(page):
    """The ids of the images a page shows: its image fields and the images of its
    StreamFields (figures, at any depth)."""
    image_model = get_image_model()
    ids = set()
    for field in page._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is image_model:
            ids.add(getattr(page, field.attname))
        elif isinstance(field, StreamField):
            ids |= _stream_images(getattr(page, field.name), image_model)
    ids.discard(None)
    return ids


def _stream_images(value, image_model):
    if isinstance(value, image_model):
        return {value.pk}
    if isinstance(value, dict):  # a StructBlock's value
        children = value.values()
    elif isinstance(value, Sequence) and not isinstance(value, str):  # lists, streams
        # A stream yields its children (with their value), a list the values.
        children = [getattr(child, "value", child) for child in value]
    else:
        return set()
    return set().union(*(_stream_images(child, image_model) for child in children))


def enqueue_for_image(sender, instance, **kwargs):
    transaction.on_commit(lambda: make_renditions.enqueue([instance.pk]))


def enqueue_for_page(sender, instance, **kwargs):
    image_ids = images_of(instance.specific if type(instance) is Page else instance)
    if image_ids:
        transaction.on_commit(lambda: make_renditions.enqueue(sorted(image_ids)))
