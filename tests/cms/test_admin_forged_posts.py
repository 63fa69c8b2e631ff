"""A forged admin post without a StreamField's block data is refused, never a 500 (cms.admin_forms).

Nothing is listed by hand: the page models come from Wagtail's registry (every one with a
StreamField), the other admin models from Django's. A page of each model is the one the
fixtures made, or a minimal one added under the first page that allows it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail import blocks
from wagtail.admin.forms.models import formfield_for_dbfield
from wagtail.admin.panels import InlinePanel as WagtailInlinePanel
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.rich_text import RichText

from cms.admin_forms import InlinePanel, SafeBlockField
from tests.admin_posts import form_data


def _stream_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, StreamField)]


STREAM_PAGE_MODELS = [m for m in get_page_models() if _stream_fields(m)]


def test_the_walk_finds_the_stream_field_pages():
    assert {m._meta.label for m in STREAM_PAGE_MODELS} >= {"catalog.ProductPage", "cms.ContentPage"}


def test_every_admin_model_form_reads_stream_fields_safely():
    """Pages, snippets, settings and model viewsets all build their fields through here."""
    fields = [
        f for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, StreamField)
    ]
    assert len(fields) >= 3
    for field in fields:
        assert isinstance(formfield_for_dbfield(field), SafeBlockField), field


# --- pages of each model ------------------------------------------------------------------------


def _sample(block) -> Any:
    """A valid value for a block, or None when it needs data this test does not make (images)."""
    if isinstance(block, blocks.StructBlock):
        values = {name: _sample(child) for name, child in block.child_blocks.items()}
        return None if None in values.values() else values
    if isinstance(block, blocks.RichTextBlock):
        return RichText("<p>Mật ong rừng U Minh</p>")
    if isinstance(block, blocks.CharBlock | blocks.TextBlock):
        return "Mật ong rừng U Minh"
    return None


def _stream_content(field: StreamField) -> list[tuple[str, Any]]:
    content = []
    for name, child in field.stream_block.child_blocks.items():
        value = _sample(child)
        if value is not None:
            content.append((name, value))
    return content


def _page_of(model, product) -> Page:
    """The fixtures' page of this model, or a new one under the first page that allows it; every
    StreamField filled with one block of each type this test can make, and published."""
    page = model.objects.filter(alias_of__isnull=True).first()
    if page is None:
        parent = next(
            p
            for p in Page.objects.filter(depth__gt=1, alias_of__isnull=True).specific()
            if model in p.specific_class.creatable_subpage_models() and model.can_create_at(p)
        )
        page = parent.add_child(instance=model(title="Giới thiệu OCOP", slug="gioi-thieu-ocop"))
    for name in _stream_fields(model):
        setattr(page, name, _stream_content(model._meta.get_field(name)))
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


@pytest.fixture
def pages(product) -> list[Page]:
    return [_page_of(model, product) for model in STREAM_PAGE_MODELS]


# --- what a browser sends -----------------------------------------------------------------------


def _edit_data(client, page: Page) -> dict[str, Any]:
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return form_data(response.context["form"], {})


def _state(page: Page) -> tuple:
    """What a post must not change: the latest revision and the live content."""
    fresh = type(page).objects.get(pk=page.pk)
    latest = fresh.get_latest_revision()
    streams = tuple(
        str(fresh._meta.get_field(name).get_prep_value(getattr(fresh, name)))
        for name in _stream_fields(type(page))
    )
    return latest.pk if latest else None, fresh.title, fresh.live, streams


def _malformed_error(response, name: str) -> bool:
    errors = response.context["form"].errors.as_data().get(name, [])
    return any(e.code == "malformed" for e in errors)


# --- edit --------------------------------------------------------------------------------------


def _can_edit(client, page: Page) -> bool:
    return client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


@pytest.mark.parametrize("who", ["editor", "officer"])
def test_edit_post_without_block_count_reshows_the_form_and_saves_nothing(
    client, pages, who, request
):
    client.force_login(request.getfixturevalue(who))
    tried = 0
    for page in pages:
        if not _can_edit(client, page):
            continue
        full = _edit_data(client, page)
        for name in _stream_fields(type(page)):
            for dropped in (f"{name}-count", f"{name}-0-type", f"{name}-0-order"):
                before = _state(page)
                data = {k: v for k, v in full.items() if k != dropped}
                response = client.post(f"/admin/pages/{page.pk}/edit/", data)
                assert response.status_code == 200, (page, dropped)
                assert _malformed_error(response, name), (page, dropped)
                assert _state(page) == before
                tried += 1
    assert tried >= 6  # the editor edits the product page: story and story_en, three ways each


def test_edit_post_with_a_damaged_block_count_is_refused(client, officer, pages):
    client.force_login(officer)
    for page in pages:
        name = _stream_fields(type(page))[0]
        before = _state(page)
        data = {**_edit_data(client, page), f"{name}-count": "nhiều"}
        response = client.post(f"/admin/pages/{page.pk}/edit/", data)
        assert response.status_code == 200
        assert _malformed_error(response, name)
        assert _state(page) == before


def test_the_error_is_shown_in_the_users_language(client, officer, pages):
    """The admin speaks Vietnamese by default; the message is a translatable string."""
    client.force_login(officer)
    page = pages[0]
    name = _stream_fields(type(page))[0]
    data = {k: v for k, v in _edit_data(client, page).items() if k != f"{name}-count"}
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    from cms.admin_forms import ERROR

    with translation.override(django_settings.LANGUAGE_CODE):  # the admin's language for this user
        message = str(ERROR)
    # Shown by the block editor, from its JSON arguments (non-ASCII letters \u-escaped).
    assert json.dumps(message)[1:-1] in html.unescape(response.content.decode())


def test_edit_post_without_a_rows_id_reshows_the_form_and_saves_nothing(client, officer, pages):
    """An inline panel's stored row sent without its id (modelcluster reads it blindly)."""
    client.force_login(officer)
    tried = 0
    for page in pages:
        full = _edit_data(client, page)
        for key in [k for k in full if k.endswith("-0-id") and f"{k[:-5]}-TOTAL_FORMS" in full]:
            if full[f"{key[:-5]}-INITIAL_FORMS"] == "0":
                continue
            before = _state(page)
            data = {k: v for k, v in full.items() if k != key}
            response = client.post(f"/admin/pages/{page.pk}/edit/", data)
            assert response.status_code == 200, key
            formset = response.context["form"].formsets[key[:-5]]
            assert any(e.code == "malformed" for e in formset.non_form_errors().as_data())
            assert _state(page) == before
            tried += 1
    assert tried >= 1  # the product's variants


def _inline_panels(panel) -> list:
    found = [panel] if isinstance(panel, WagtailInlinePanel) else []
    for child in getattr(panel, "children", []):
        found += _inline_panels(child)
    return found


def test_every_inline_panel_in_the_admin_refuses_a_missing_row_id():
    panels = []
    for model in apps.get_models():
        for attr in ("content_panels", "promote_panels", "settings_panels", "panels"):
            for definition in getattr(model, attr, None) or []:
                panels += [(model, p) for p in _inline_panels(definition)]
    assert len(panels) >= 2
    unsafe = [f"{m._meta.label}.{p.relation_name}" for m, p in panels if type(p) is not InlinePanel]
    assert unsafe == [], "import InlinePanel from cms.admin_forms"


def test_model_view_post_without_a_rows_id_is_refused(client, officer, producer):
    """The same defect in a model viewset's form (growing areas: standards held)."""

    from tests.factories import GrowingAreaFactory
    from traceability.models import AreaCertification, Standard

    area = GrowingAreaFactory(producers=[producer])
    held = AreaCertification.objects.create(
        area=area,
        standard=Standard.VIETGAP,
        certificate_number="VG-2026-001",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2028, 12, 31),
    )
    client.force_login(officer)
    url = f"/admin/traceability/growingarea/edit/{area.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context["form"], {})
    assert data["certifications-0-id"] == str(held.pk)
    data["certifications-0-certificate_number"] = "ĐÃ SỬA"
    del data["certifications-0-id"]
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["form"].formsets["certifications"]
    assert any(e.code == "malformed" for e in formset.non_form_errors().as_data())
    held.refresh_from_db()
    assert held.certificate_number == "VG-2026-001"


def test_preview_post_without_block_count_answers_without_error(client, officer, pages):
    """The live preview posts the same form: it is reported invalid, never a 500."""
    client.force_login(officer)
    for page in pages:
        name = _stream_fields(type(page))[0]
        data = {k: v for k, v in _edit_data(client, page).items() if k != f"{name}-count"}
        response = client.post(f"/admin/pages/{page.pk}/edit/preview/", data)
        assert response.status_code == 200
        assert response.json()["is_valid"] is False


# --- create ------------------------------------------------------------------------------------


def test_create_post_without_block_count_reshows_the_form_and_adds_nothing(client, officer, pages):
    client.force_login(officer)
    for page in pages:
        model = type(page)
        parent = page.get_parent()
        meta = model._meta
        url = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"
        response = client.get(url)
        assert response.status_code == 200, url
        data = form_data(response.context["form"], {})
        data["title"] = "Trang mới"
        for name in _stream_fields(model):
            data.pop(f"{name}-count", None)
        count = Page.objects.count()
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert _malformed_error(response, _stream_fields(model)[0])
        assert Page.objects.count() == count


# --- Hypothesis: any subset of a valid edit form ----------------------------------------------

EDIT = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _required_block_keys(page: Page, data: dict[str, Any]) -> set[str]:
    """The block editor's bookkeeping Wagtail cannot do without (counts, types, order, deleted)."""
    names = _stream_fields(type(page))
    return {
        k
        for k in data
        if any(k.startswith(f"{n}-") for n in names)
        and k.rsplit("-", 1)[-1] in {"count", "type", "order", "deleted"}
    }


@pytest.mark.parametrize("index", range(len(STREAM_PAGE_MODELS)))
def test_any_subset_of_an_edit_form_never_fails_and_changes_nothing_unless_saved(
    client, officer, pages, index
):
    client.force_login(officer)
    page = pages[index]
    full = {**_edit_data(client, page), "action-publish": "action-publish"}
    required = _required_block_keys(page, full)
    assert required
    url = f"/admin/pages/{page.pk}/edit/"

    @EDIT
    @given(kept=st.sets(st.sampled_from(sorted(full))))
    def post(kept):
        with transaction.atomic():
            before = _state(page)
            response = client.post(url, {k: full[k] for k in kept})
            assert response.status_code < 500
            saved = response.status_code == 302
            if required - kept:
                assert not saved, sorted(required - kept)
            if not saved:
                assert _state(page) == before
            transaction.set_rollback(True)

    post()


# --- rich text fields -------------------------------------------------------------------------


def _rich_text_fields(model) -> list[str]:
    from wagtail.fields import RichTextField

    return [f.name for f in model._meta.get_fields() if isinstance(f, RichTextField)]


RICH_TEXT_PAGE_MODELS = [m for m in get_page_models() if _rich_text_fields(m)]


def test_every_rich_text_field_reads_posts_safely():
    from cms.admin_rich_text import SafeRichTextFormField

    fields = [
        f for m in RICH_TEXT_PAGE_MODELS for f in map(m._meta.get_field, _rich_text_fields(m))
    ]
    assert len(fields) >= 3
    for field in fields:
        assert isinstance(formfield_for_dbfield(field), SafeRichTextFormField), field


NOT_DRAFTAIL = ["<p>HTML, not JSON</p>", "{", "[1, 2]", '{"blocks": 5}', '{"blocks": [{}]}', "null"]


@pytest.mark.parametrize("junk", NOT_DRAFTAIL)
def test_rich_text_that_is_not_draftail_json_is_refused_and_saves_nothing(
    client, officer, product, junk
):
    client.force_login(officer)
    tried = 0
    for model in RICH_TEXT_PAGE_MODELS:
        page = model.objects.filter(alias_of__isnull=True).first()
        if page is None:
            continue
        full = {**_edit_data(client, page), "action-publish": "action-publish"}
        for name in _rich_text_fields(model):
            if name not in full:  # not in this page type's edit panels
                continue
            before = (_state(page), str(getattr(type(page).objects.get(pk=page.pk), name)))
            response = client.post(f"/admin/pages/{page.pk}/edit/", {**full, name: junk})
            assert response.status_code < 500, (model, name)
            fresh = type(page).objects.get(pk=page.pk)
            if response.status_code == 200 and _malformed_error(response, name):
                assert (_state(page), str(getattr(fresh, name))) == before
            else:  # read as valid Draftail JSON ("null": an empty field) and saved normally
                assert response.status_code == 302, (model, name, junk)
            tried += 1
    assert tried >= 3
