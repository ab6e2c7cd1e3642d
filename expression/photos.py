"""The photo a citizen may attach to a report of a problem in the public space: checked
and re-encoded without its metadata by `home.photos`, kept in the private folder
under a random name."""

import base64
import re
import uuid
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from PIL import Image

from home.photos import MAX_UPLOAD_SIZE, reencode_photo

__all__ = ["MAX_UPLOAD_SIZE", "photo_path", "private_storage", "reencode_photo"]

KEPT_NAME = re.compile(r"[0-9a-f]{32}\.jpg")


def private_storage():
    """Photos live in MEDIA_ROOT/private/, which the web server must not serve."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "private", base_url=None)


def photo_path(instance, filename):
    # The citizen's file name is never kept: a random name nobody can guess.
    return f"expression/{uuid.uuid4().hex}.jpg"


# A photo sent with a form that had an error ---------------------------------------
#
# Browsers never fill a file field again, so a citizen who forgot a field would lose
# the photo. The photo, once checked and re-encoded (so without its metadata), is
# kept in the private folder under a random name, and the form carries a signed,
# expiring reference to it: nobody can point the form at another file, nor at
# someone else's photo, by changing it. The file is deleted once the message is
# sent, and any left (a form given up) by the daily purge after KEPT_PHOTO_MAX_AGE.
# Re-showing the photo in the page instead would have sent it back and forth in
# every attempt, and still needed a way to tell it was the one checked.

KEPT_PHOTO_FOLDER = "expression/pending"
KEPT_PHOTO_MAX_AGE = 24 * 3600  # seconds
KEPT_PHOTO_SALT = "expression.kept-photo"
THUMBNAIL_SIDE = 240


def keep_photo(photo):
    """Store a checked photo (a file re-encoded by `reencode_photo`) until the form
    is sent; returns the signed reference to put in the form."""
    photo.seek(0)
    name = private_storage().save(
        f"{KEPT_PHOTO_FOLDER}/{uuid.uuid4().hex}.jpg", ContentFile(photo.read())
    )
    return signing.dumps(Path(name).name, salt=KEPT_PHOTO_SALT)


def kept_photo_name(reference):
    """The stored name behind a signed reference, or None when it is forged, expired
    or its file is gone."""
    try:
        name = signing.loads(reference, salt=KEPT_PHOTO_SALT, max_age=KEPT_PHOTO_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(name, str) or not KEPT_NAME.fullmatch(name):
        return None
    path = f"{KEPT_PHOTO_FOLDER}/{name}"
    return path if private_storage().exists(path) else None


def open_kept_photo(reference):
    """The kept photo as a file to attach to the message, or None."""
    path = kept_photo_name(reference)
    if path is None:
        return None
    with private_storage().open(path, "rb") as stored:
        return ContentFile(stored.read(), name="photo.jpg")


def kept_photo_thumbnail(reference):
    """A small JPEG of the kept photo as a data: URL, for the citizen to see which
    photo is kept (the page with the form is never cached)."""
    photo = open_kept_photo(reference)
    if photo is None:
        return ""
    with Image.open(photo) as image:
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        output = BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(output.getvalue()).decode("ascii")


def discard_kept_photo(reference):
    path = kept_photo_name(reference)
    if path is not None:
        private_storage().delete(path)


def purge_kept_photos(now):
    """Delete the photos kept for forms never sent; returns how many."""
    storage = private_storage()
    if not storage.exists(KEPT_PHOTO_FOLDER):
        return 0
    count = 0
    for name in storage.listdir(KEPT_PHOTO_FOLDER)[1]:
        path = f"{KEPT_PHOTO_FOLDER}/{name}"
        if (now - storage.get_modified_time(path)).total_seconds() > KEPT_PHOTO_MAX_AGE:
            storage.delete(path)
            count += 1
    return count
