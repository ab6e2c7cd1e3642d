"""The photo a citizen may attach to a report of a problem in the public space: checked
and re-encoded without its metadata by `home.photos`, kept in the private folder
under a random name."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from home.photos import MAX_UPLOAD_SIZE, reencode_photo

__all__ = ["MAX_UPLOAD_SIZE", "photo_path", "private_storage", "reencode_photo"]


def private_storage():
    """Photos live in MEDIA_ROOT/private/, which the web server must not serve."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "private", base_url=None)


def photo_path(instance, filename):
    # The citizen's file name is never kept: a random name nobody can guess.
    return f"expression/{uuid.uuid4().hex}.jpg"
