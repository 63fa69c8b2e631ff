"""Wagtail's images, documents, snippets, locales and redirects apps start without building
the routers of Wagtail's v3 API, which this site does not serve (cms/wagtail_apps.py), and
HEIC photos are decoded by pillow_heif loaded on demand (cms/heif.py). What these apps do for
editors and visitors still happens."""

from __future__ import annotations

from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.fresh_process import run_python


def test_a_redirect_sends_visitors_on_and_admins_see_it(site, client, admin_user):
    Redirect.objects.create(old_path="/old-honey", redirect_link="/vi/san-pham/", site=None)
    answer = client.get("/old-honey")
    assert answer.status_code == 301
    assert answer["Location"] == "/vi/san-pham/"
    client.force_login(admin_user)
    index = client.get(reverse("wagtailredirects:index"))
    assert index.status_code == 200
    assert "/old-honey" in index.content.decode()


def test_changing_a_published_pages_slug_leaves_a_redirect_from_its_old_address(
    product, django_capture_on_commit_callbacks
):
    old_url = product.url
    product.slug = "mat-ong-moi"
    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()
    product.refresh_from_db()
    assert product.url != old_url
    redirect = Redirect.objects.get(redirect_page=product)
    assert old_url.rstrip("/").endswith(redirect.old_path)


def test_image_document_and_locale_admin_pages_answer(site, client, admin_user):
    client.force_login(admin_user)
    for name in ("wagtailimages:index", "wagtaildocs:index", "wagtaillocales:index"):
        assert client.get(reverse(name)).status_code == 200, name


def test_the_admins_page_api_answers_in_json(site, client, admin_user):
    """Wagtail's v2 admin API (Django REST framework, loaded without its optional extras)."""
    client.force_login(admin_user)
    answer = client.get("/admin/api/main/pages/?child_of=root")
    assert answer.status_code == 200
    assert answer.json()["meta"]["total_count"] >= 1


PROBE = """
import io, json, sys
import django
django.setup()
before = "pillow_heif" in sys.modules
import willow
image = willow.Image.open(open(sys.argv[1], "rb"))
webp = io.BytesIO()
image.save_as_webp(webp)
print(json.dumps({"before": before, "after": "pillow_heif" in sys.modules,
                  "kind": type(image).__name__, "size": image.get_size(),
                  "webp": webp.getvalue()[8:12].decode()}))
"""


def test_a_heic_photo_is_decoded_by_pillow_heif_loaded_on_demand(tmp_path):
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()  # in this process only: to write the sample
    photo = tmp_path / "photo.heic"
    Image.new("RGB", (64, 48), (200, 120, 0)).save(photo, format="HEIF")
    answer = run_python(PROBE, str(photo), env={"DJANGO_SETTINGS_MODULE": "config.settings.test"})
    assert answer == {
        "before": False,
        "after": True,
        "kind": "HeicImageFile",
        "size": [64, 48],
        "webp": "WEBP",
    }
