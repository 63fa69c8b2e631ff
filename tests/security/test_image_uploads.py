"""Image uploads: a pixel cap well below Wagtail's 128 MP, and files checked by their content."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width × height pixels, all black: a few kB for 121 MP."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    )


def small_png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def admin_client(client, site, django_user_model):
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser("root", "root@example.vn", "root-pass-1")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def _upload(admin_client, name: str, content: bytes):
    from wagtail.models import Collection

    data = {
        "title": "Ảnh thử",
        "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile(name, content, content_type="image/png"),
    }
    return admin_client.post("/admin/images/add/", data)


def test_the_cap_is_well_below_wagtails_default():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= 40_000_000 < 128_000_000


def test_a_121_megapixel_png_is_refused_and_the_message_names_the_limit(admin_client):
    content = huge_png(11_000, 11_000)
    assert len(content) < 100_000  # tiny on disk: only the header says how big it is
    response = _upload(admin_client, "bom.png", content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "121.0 megapixels" in html and "the limit is 40 megapixels" in html
    assert not get_image_model().objects.exists()


def test_an_image_just_over_the_cap_is_refused_and_one_under_is_accepted(admin_client):
    over = huge_png(8_001, 5_000)  # 40,005,000 px
    assert _upload(admin_client, "over.png", over).status_code == 200
    assert not get_image_model().objects.exists()
    under = huge_png(2_000, 1_000)
    assert _upload(admin_client, "under.png", under).status_code == 302
    assert get_image_model().objects.get().width == 2_000


@pytest.mark.parametrize(
    "content",
    [
        b"this is a text file, not a picture\n" * 20,
        b"<?php echo 1; ?>",
        b"%PDF-1.4\n1 0 obj << >> endobj\n",
    ],
)
def test_a_png_name_on_something_else_is_refused(admin_client, content):
    response = _upload(admin_client, "anh.png", content)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_png_with_damaged_data_is_refused_by_content(admin_client):
    content = bytearray(small_png())
    idat = content.index(b"IDAT")
    content[idat + 8 : idat + 16] = b"\xff" * 8  # the CRC no longer matches
    response = _upload(admin_client, "hong.png", bytes(content))
    assert response.status_code == 200
    assert "not a readable image" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_jpeg_named_png_is_refused(admin_client):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(buffer, "JPEG")
    response = _upload(admin_client, "anh.png", buffer.getvalue())
    assert response.status_code == 200
    assert "does not match the file format" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_real_png_is_accepted(admin_client):
    response = _upload(admin_client, "mat-ong.png", small_png())
    assert response.status_code == 302
    assert get_image_model().objects.get().width == 40


def test_the_pixel_cap_is_read_from_the_header_before_any_decoding(admin_client):
    # The header says 121 MP and the data is cut off: a decoder would fail, the header check
    # answers first (Wagtail alone decodes the whole image to learn its size).
    content = huge_png(11_000, 11_000)[:200]
    response = _upload(admin_client, "cut.png", content)
    assert response.status_code == 200
    assert "the limit is 40 megapixels" in response.content.decode()
