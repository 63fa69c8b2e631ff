"""Each worker's copy of the Sites and view restrictions: the same answers as Wagtail's queries,
and a change is seen by the next request once it commits."""

from __future__ import annotations

import itertools

import pytest
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from cms import pagecache, sitememo
from tests.factories import make_batch

HOSTS = ["localhost", "ocop.example.vn", "other.example.vn"]
PORTS = [80, 443, 8000]


def _wagtail(hostname, port):
    try:
        return get_site_for_hostname(hostname, port).pk
    except Site.DoesNotExist:
        return None


def _ours(hostname, port):
    found = sitememo.find_site(hostname, port)
    return found.pk if found else None


# Every way the sites may be set up: which of the three extra sites exist, and whether the
# skeleton's site stays the default one.
SETUPS = [
    (extra, keep_default)
    for extra in itertools.chain.from_iterable(
        itertools.combinations(
            [
                ("ocop.example.vn", 80, False),
                ("ocop.example.vn", 8000, False),
                ("other.example.vn", 443, True),
            ],
            n,
        )
        for n in range(4)
    )
    for keep_default in (True, False)
]


@pytest.mark.parametrize(("extra", "keep_default"), SETUPS)
def test_the_site_found_is_the_one_wagtail_finds(site, extra, keep_default):
    root = Page.objects.get(pk=site.pk)
    default = Site.objects.get(is_default_site=True)
    if not keep_default:
        Site.objects.filter(pk=default.pk).update(is_default_site=False)
    for hostname, port, is_default in extra:
        if is_default and keep_default:
            continue  # only one default site
        Site.objects.create(
            hostname=hostname, port=port, root_page=root, is_default_site=is_default
        )
    pagecache._touch([pagecache.SITE])  # what the commit of these changes does

    for hostname, port in itertools.product(HOSTS, PORTS):
        assert _ours(hostname, port) == _wagtail(hostname, port), (hostname, port)


def test_a_committed_site_change_is_seen_by_the_next_request(
    site, django_capture_on_commit_callbacks
):
    default = Site.objects.get(is_default_site=True)
    assert sitememo.find_site("ocop.example.vn", 80).hostname == default.hostname
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.create(hostname="ocop.example.vn", port=80, root_page=default.root_page)
    assert sitememo.find_site("ocop.example.vn", 80).hostname == "ocop.example.vn"


def test_each_call_gets_its_own_site_object(site):
    first, second = sitememo.find_site("localhost", 80), sitememo.find_site("localhost", 80)
    assert first == second and first is not second
    assert first.root_page is not second.root_page  # Wagtail caches `.specific` on it


def test_a_view_restriction_takes_the_scan_page_down_once_committed(
    product, client, django_capture_on_commit_callbacks
):
    batch = make_batch(product, events=1)
    url = f"/vi/truy-xuat/{batch.short_code}/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=product.get_parent(), restriction_type="login")
    assert client.get(url).status_code == 404


def test_a_view_restriction_on_a_page_still_asks_for_a_sign_in(
    product, client, django_capture_on_commit_callbacks
):
    assert client.get(product.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=product.get_parent(), restriction_type="login")
    response = client.get(product.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_published_home_page_shows_at_once(site, client, django_capture_on_commit_callbacks):
    """Wagtail routes from each worker's copy of the home page: a publish must replace it."""
    assert client.get("/vi/").status_code == 200
    site.intro = "Đặc sản ba miền, mới lên kệ"
    with django_capture_on_commit_callbacks(execute=True):
        site.save_revision().publish()
    assert "Đặc sản ba miền, mới lên kệ" in client.get("/vi/").content.decode()


def test_pages_still_answer_when_the_shared_cache_is_down(product, client, monkeypatch, caplog):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(cache, "get_many", down)
    assert client.get(product.url).status_code == 200
    assert sitememo.find_site("localhost", 80) is not None
    assert "Shared cache unreadable" in caplog.text


def test_the_home_page_in_the_active_language_is_routed_from_without_a_query(
    site, django_assert_num_queries
):
    from django.utils import translation

    home = sitememo.find_site("localhost", 80).root_page
    with translation.override("vi"), django_assert_num_queries(0):
        assert home.localized is home
    with translation.override("en"):
        assert home.localized.locale.language_code == "en"
        assert home.localized.translation_key == home.translation_key


@pytest.mark.usefixtures("page_cache_on")
def test_a_locale_edit_voids_the_cached_pages_and_the_home_pages(
    product, client, django_capture_on_commit_callbacks
):
    """The worker's copy of each home page holds its locale: an edited locale reloads it."""
    from wagtail.models import Locale

    client.get(product.url)
    assert client.get(product.url)["X-Page-Cache"] == "hit"
    before = sitememo._checked()["version"]
    with django_capture_on_commit_callbacks(execute=True):
        Locale.objects.get(language_code="en").save()
    assert client.get(product.url)["X-Page-Cache"] == "miss"
    assert sitememo._checked()["version"] != before
