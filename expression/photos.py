"""The photo a citizen may attach to a report of a problem in the public space.

A photo straight from a phone carries its location and the phone's details in its
metadata. It is checked by its content (never its name), bounded in size and pixels,
and re-encoded as a plain JPEG without any metadata before it is stored. It is kept
outside Wagtail's public image library, in a private folder of MEDIA_ROOT, under a
random name, and only shown to staff through a permission-checked admin view.
"""

import base64
import re
import uuid
import warnings
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_SIZE = 8 * 1024 * 1024  # bytes: a phone photo fits
# Pixels are counted from the file's header, before anything is decoded: a small
# file may claim a huge image (a 132 kB PNG of 40 million pixels took seconds of CPU
# to decode). A JPEG is decoded at a reduced scale (a half or a quarter) straight to
# about the stored size, which keeps a 48-megapixel phone photo cheap; other formats
# are decoded whole, and a phone's PNG or WebP is a screenshot, far under their budget.
MAX_PIXELS = 50_000_000  # JPEG: a 48-megapixel phone photo (8,000 × 6,000)
MAX_PIXELS_DECODED_WHOLE = 12_000_000  # PNG, WebP, GIF: a 12-megapixel image
SCALED_FORMATS = {"JPEG", "MPO"}  # MPO: some phones' JPEG
ACCEPTED_FORMATS = {"PNG", "WEBP", "GIF", *SCALED_FORMATS}
STORED_LONGEST_SIDE = 2000  # enough to see a pothole, small to keep
KEPT_NAME = re.compile(r"[0-9a-f]{32}\.jpg")


def private_storage():
    """Photos live in MEDIA_ROOT/private/, which the web server must not serve."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "private", base_url=None)


def photo_path(instance, filename):
    # The citizen's file name is never kept: a random name nobody can guess.
    return f"expression/{uuid.uuid4().hex}.jpg"


def reencode_photo(upload):
    """Return the upload re-encoded as a JPEG without metadata, or raise a
    ValidationError with a French message."""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The photo is too large (%(size)s). It must weigh at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_SIZE)},
            code="too_large",
        )
    too_many_pixels = ValidationError(
        _("The photo has too many pixels to be processed. Please send a smaller one."),
        code="too_many_pixels",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns beyond MAX_IMAGE_PIXELS and refuses twice that: both are refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("This file is not a photo in an accepted format (JPEG, PNG, WebP or GIF)."),
                    code="format",
                )
            width, height = image.size
            scaled = image.format in SCALED_FORMATS
            if width * height > (MAX_PIXELS if scaled else MAX_PIXELS_DECODED_WHOLE):
                raise too_many_pixels
            if scaled:
                # The smallest scale still at least as large as what is stored.
                ratio = STORED_LONGEST_SIDE / max(width, height)
                image.draft("RGB", (round(width * ratio), round(height * ratio)))
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the photo the right way up
            image = image.convert("RGB")
            image.thumbnail((STORED_LONGEST_SIDE, STORED_LONGEST_SIDE))
            output = BytesIO()
            # No exif= and no icc_profile= : nothing of the original metadata is written.
            image.save(output, format="JPEG", quality=85, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not a photo in an accepted format (JPEG, PNG, WebP or GIF)."),
            code="format",
        ) from None
    return ContentFile(output.getvalue(), name="photo.jpg")


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
