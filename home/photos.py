"""A photo a citizen sends through a public form (a report of a problem in the
public space, an application to the fund's gallery of projects…).

A photo straight from a phone carries its location and the phone's details in its
metadata. It is checked by its content (never its name), bounded in size and pixels,
and re-encoded as a plain JPEG without any metadata before it is stored. Each app
keeps it outside Wagtail's public image library, in a private folder of MEDIA_ROOT
(`private_storage`), under a random name, shown to staff through a
permission-checked admin view.
"""

import warnings
from io import BytesIO
from pathlib import Path

from django.conf import settings
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


def private_storage():
    """Files citizens send live in MEDIA_ROOT/private/, which the web server must not serve."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "private", base_url=None)


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
