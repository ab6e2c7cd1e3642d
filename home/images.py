"""The image form of Wagtail's admin, refusing cleanly what Pillow cannot read.

Willow recognises a format by the file's first bytes, Pillow by parsing it: a file
starting like a GIF that is not one (a GIF/SVG polyglot) passed Willow and then made
Pillow fail while Wagtail counted its pixels, a 500 for the editor. Such a file is
refused as "not a valid image", in the editor's language. And an image's pixels are
counted from its header, before Willow decodes it.
"""

import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from PIL import Image, UnidentifiedImageError

TOO_MANY_PIXELS = _(
    "This image has too many pixels (%(num_pixels)s); at most %(max_pixels_count)s are "
    "accepted. Please send a smaller one."
)


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        # Willow opens an image by decoding it whole, even to tell its size: a 132 kB
        # PNG of 40 million pixels cost seconds of CPU before being refused. Pillow
        # reads the size from the header alone: too many pixels are refused first.
        if self.max_image_pixels is not None:
            pixels = _pixels_in_header(f.image.f)
            if pixels is not None and pixels > self.max_image_pixels:
                raise ValidationError(
                    self.error_messages["file_too_many_pixels"]
                    % {"num_pixels": pixels, "max_pixels_count": self.max_image_pixels},
                    code="file_too_many_pixels",
                )
        try:
            super().check_image_pixel_size(f)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from None


def _pixels_in_header(file):
    """Width × height as the file's header says, without decoding anything; None
    when Pillow cannot read the header (Willow then has its say)."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            width, height = Image.open(file).size
        return width * height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return float("inf")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            # Wagtail builds this field itself (get_image_form's formfield callback), and
            # a field declared on this form would come back in the forms that leave the
            # file out: the field built is given the checks above instead.
            field.__class__ = CheckedImageField
            # Wagtail's own French catalogue leaves this message untranslated.
            field.error_messages["file_too_many_pixels"] = TOO_MANY_PIXELS
