"""HEIC photos (phones' default format) decoded by pillow_heif, loaded on the first HEIC file.

Willow imports pillow_heif when it loads (`willow.plugins.pillow`), which registers its Pillow
plugin and loads libheif and its codecs: ≈ 4 MiB in every worker, though only an upload of an
iPhone photo, or a rendition of one, ever needs it. `defer_heif_plugin()` loads Willow with
pillow_heif hidden, then registers a light Pillow plugin under the same format name: it
recognises a HEIF file by its header (pillow_heif's own check) and, the first time, imports
pillow_heif, whose plugin replaces the light one; saving as HEIF (`format-heic`) does the same.
"""

from __future__ import annotations

import sys

from PIL import Image

from cms.lean_imports import hidden

FORMAT = "HEIF"  # pillow_heif's HeifImageFile.format
BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1")


def _is_heif(prefix: bytes) -> bool:
    return prefix[4:8] == b"ftyp" and prefix[8:12] in BRANDS


def _real_plugin() -> None:
    """Imports pillow_heif's plugin: it registers its opener and savers for FORMAT."""
    from pillow_heif import HeifImagePlugin  # noqa: F401


def _open(fp, filename=None):
    _real_plugin()
    factory, _accept = Image.OPEN[FORMAT]
    return factory(fp, filename)


def _saver(registry: dict):
    def save(im, fp, filename):
        _real_plugin()
        real = registry.get(FORMAT)
        if real is None or real is save:
            raise OSError("HEIF encoder not available")
        return real(im, fp, filename)

    return save


def defer_heif_plugin() -> None:
    """Loads Willow without pillow_heif and registers the light plugin (before Willow loads)."""
    if "willow" in sys.modules or "pillow_heif" in sys.modules:
        return  # too late, or already paid for: nothing to save
    with hidden("pillow_heif"):  # Willow's `from pillow_heif import …` → ImportError
        import willow.plugins.pillow  # noqa: F401
    Image.register_open(FORMAT, _open, _is_heif)
    Image.register_save(FORMAT, _saver(Image.SAVE))
    Image.register_save_all(FORMAT, _saver(Image.SAVE_ALL))
    Image.register_mime(FORMAT, "image/heif")
    Image.register_extensions(FORMAT, [".heic", ".heics", ".heif", ".heifs", ".hif"])
