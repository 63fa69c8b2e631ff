"""Images: WebP renditions with srcset, made when the image is saved, before any visitor."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalog.models import ProductImage
from cms.renditions import SIZES


@pytest.fixture
def photo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = get_image_model().objects.create(
            title="Vải thiều", file=get_test_image_file(size=(1200, 900))
        )
    return image


def test_every_size_is_made_in_webp_when_an_image_is_uploaded(photo):
    made = {r.filter_spec: r.file.name for r in photo.renditions.all()}
    assert set(made) == set(SIZES)
    assert all(name.endswith(".webp") for name in made.values())


def test_product_page_offers_webp_srcset_without_making_renditions(
    product, photo, client, django_assert_max_num_queries
):
    ProductImage.objects.create(page=product, image=photo, caption="Vải thiều")
    before = photo.renditions.count()
    html = client.get(product.url).content.decode()
    assert photo.renditions.count() == before  # nothing resized while the visitor waited
    assert 'srcset="' in html
    assert ".webp 400w" in html and ".webp 800w" in html


def test_prefetched_rendition_is_read_without_a_cache_write(photo, monkeypatch):
    from wagtail.images.models import Rendition

    from cms.renditions import rendition

    writes = []
    backend = Rendition.cache_backend
    monkeypatch.setattr(backend, "set", lambda *a, **k: writes.append(a))
    monkeypatch.setattr(backend, "set_many", lambda *a, **k: writes.append(a))
    image = get_image_model().objects.prefetch_related("renditions").get(pk=photo.pk)

    shown = rendition(image, "fill-800x600")

    assert shown == photo.renditions.get(filter_spec="fill-800x600")
    assert writes == []  # Wagtail's get_rendition() writes the cache on every call
    assert image.get_rendition("fill-800x600") == shown and writes


OLD_STARS = (
    '{% load i18n %}{% for i in "12345"|make_list %}{% if forloop.counter <= stars %}★'
    "{% endif %}{% endfor %}"
)


@pytest.mark.parametrize("stars", [1, 2, 3, 4, 5])
def test_star_marks_are_what_the_loop_they_replace_printed(stars):
    from django.template import engines

    from catalog.templatetags.ocop_tags import star_marks

    engine = engines["django"]
    assert star_marks(stars) == engine.from_string(OLD_STARS).render({"stars": stars})


# templates/components/stars.html as it was, before `{% stars_badge %}` replaced it.
STARS_INCLUDE = (
    "{% load i18n ocop_tags %}{% if stars %}"
    '<span class="stars stars-{{ stars }}" aria-label="'
    "{% blocktranslate count stars=stars %}OCOP {{ stars }} star{% plural %}"
    'OCOP {{ stars }} stars{% endblocktranslate %}">'
    '<span aria-hidden="true">{{ stars|star_marks }}</span> '
    '<span class="stars-label">OCOP {{ stars }}★</span></span>{% endif %}\n'
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("stars", [None, 0, 1, 3, 5])
def test_stars_badge_prints_what_the_stars_include_printed(stars, language):
    from django.template import engines
    from django.utils import translation

    engine = engines["django"]
    with translation.override(language):
        included = engine.from_string(STARS_INCLUDE)
        tag = engine.from_string("{% load ocop_tags %}{% stars_badge stars %}")
        assert tag.render({"stars": stars}) == included.render({"stars": stars})


@pytest.mark.parametrize(
    "tag",
    [
        '{% srcset_image img fill-{240x180,480x360} sizes="(min-width: 720px) 200px, 45vw" '
        'loading="lazy" alt=title %}',
        '{% image img fill-160x120 loading="lazy" alt=title %}',
        '{% image img width-800 loading="lazy" %}',
        "{% image img fill-96x96 as shown %}{{ shown.url }} {{ shown.width }}",
    ],
)
def test_our_image_tags_write_what_wagtails_write(photo, tag, monkeypatch):
    from django.template import engines
    from wagtail.images.models import Rendition

    engine = engines["django"]
    image = get_image_model().objects.prefetch_related("renditions").get(pk=photo.pk)
    context = {"img": image, "title": "Vải <thiều>"}
    wagtails = engine.from_string("{% load wagtailimages_tags %}" + tag).render(context)
    writes = []
    backend = Rendition.cache_backend
    monkeypatch.setattr(backend, "set", lambda *a, **k: writes.append(a))
    monkeypatch.setattr(backend, "set_many", lambda *a, **k: writes.append(a))
    template = engine.from_string("{% load image_tags %}" + tag)

    assert template.render(context) == wagtails
    assert template.render(context) == wagtails  # the filters parsed once serve again
    assert writes == []


CARD_TAG = (
    "{% load wagtailimages_tags %}{% srcset_image image fill-{240x180,480x360} "
    'sizes="(min-width: 720px) 200px, 45vw" loading="lazy" alt=title %}'
)


def wagtail_card_img(image, title: str) -> str:
    from django.template import Context, Template

    fresh = get_image_model().objects.get(pk=image.pk)  # Wagtail's own path, nothing prefetched
    return Template(CARD_TAG).render(Context({"image": fresh, "title": title}))


@pytest.mark.parametrize("title", ["Vải thiều Lục Ngạn", 'Chè "Tân Cương" & <mật ong>'])
def test_card_img_from_stored_renditions_is_wagtails_tag_byte_for_byte(photo, title):
    from catalog.services import card_image_html, card_images

    made = card_images([photo.pk])
    assert card_image_html(made[photo.pk], title) == wagtail_card_img(photo, title)


def test_card_img_waits_for_renditions_of_a_new_focal_point_or_a_missing_size(photo):
    from catalog.services import card_images

    assert photo.pk in card_images([photo.pk])
    photo.focal_point_x, photo.focal_point_y = 100, 100
    photo.focal_point_width, photo.focal_point_height = 50, 50
    photo.save()  # its renditions are made again after commit; until then Wagtail's tag serves
    assert card_images([photo.pk]) == {}
    wagtail_card_img(photo, "Vải")  # makes the two card sizes for the new focal point
    assert photo.pk in card_images([photo.pk])
    photo.renditions.filter(filter_spec="fill-480x360").delete()
    assert card_images([photo.pk]) == {}
    assert card_images([]) == {} and card_images([None]) == {}


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
        max_size=8,
    )
)
def test_img_attributes_are_written_as_flatatt_writes_them(attrs):
    from django.forms.utils import flatatt

    from cms.renditions import _attributes

    assert _attributes(attrs) == str(flatatt(attrs))
