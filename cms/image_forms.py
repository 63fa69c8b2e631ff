"""The image upload form of the admin (every path: add, multiple upload, chooser upload).

Wagtail refuses a file Willow cannot open, whose content does not match its extension, or with
more than WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels, but it learns the size by decoding the whole
image first (a 121 MP PNG took a worker to 393 MB), and a PNG with a good header and damaged
data made that decoding raise, a 500. `CheckedImageField` reads the header with Pillow first:
the pixel count is checked before anything is decoded, `verify()` checks the file's structure
(PNG chunk checksums, truncation), and an error while decoding is a form error, never a 500.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.models import Image

UNREADABLE = _("This file is not a readable image: its content is damaged or incomplete.")


def _too_many_pixels(pixels: int | None, max_pixels: int) -> ValidationError:
    return ValidationError(
        _(
            "This image has %(pixels)s megapixels; the limit is %(limit)s megapixels "
            "(%(max)s pixels). Make it smaller and upload it again."
        )
        % {
            "pixels": f"{pixels / 1_000_000:.1f}" if pixels else _("too many"),
            "limit": f"{max_pixels / 1_000_000:g}",
            "max": max_pixels,
        },
        code="file_too_many_pixels",
    )


def header_check(upload, max_pixels: int) -> None:
    """Refuse from the header alone: too many pixels, or a structure Pillow cannot verify.

    A file Pillow does not recognise at all is left to Wagtail's own "not a valid image".
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            image = PILImage.open(upload)  # lazy: reads the header, decodes nothing
        with image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1) if image.format in ("PNG", "WEBP") else 1
            pixels = width * height * max(int(frames or 1), 1)
            if pixels > max_pixels:
                raise _too_many_pixels(pixels, max_pixels)
            image.verify()
    except ValidationError:
        raise
    except PILImage.UnidentifiedImageError:
        return
    except PILImage.DecompressionBombError as exc:
        raise _too_many_pixels(None, max_pixels) from exc
    except Exception as exc:  # Pillow raises many kinds (SyntaxError, OSError, struct.error…)
        raise ValidationError(UNREADABLE, code="invalid_image") from exc
    finally:
        upload.seek(0)


class CheckedImageField(WagtailImageField):
    def to_python(self, data):
        if data is not None and hasattr(data, "seek"):
            header_check(data, settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as exc:  # decoding failed inside Willow (truncated or corrupt data)
            raise ValidationError(UNREADABLE, code="invalid_image") from exc


class VerifiedImageForm(BaseImageForm):
    file = CheckedImageField(label=capfirst(Image._meta.get_field("file").verbose_name))
