"""Producer A's editor can neither see nor write producer B's data, on any admin URL.

Nothing here is a hand list of views or models. The admin URLs come from the URLconf under
/admin/ (every viewset, snippet, chooser and hook URL is in it), the bulk actions from Wagtail's
bulk action registry, and "belongs to B" from each model's `producer_scope_field`
(`catalog.scoping.producer_path`). A model or viewset added later is walked the same way.

- every form an admin URL renders for A (create and edit forms, inline formsets, filters)
  offers no row of B in any ModelChoiceField / ModelMultipleChoiceField;
- posting B's id into any such field is refused with an error on that field and writes nothing;
- no admin URL, filled with the ids of B's rows, shows B's data or answers 500.

The URL walks run in shards (`SHARDS`, by URL pattern) so that xdist workers share them; the
shards together cover every pattern once, which a test checks.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

from catalog.scoping import producer_path
from tests.admin_posts import form_data
from tests.conftest import commit_pending
from tests.factories import (
    GrowingAreaFactory,
    ProducerFactory,
    make_batch,
    make_product,
    next_gtin13,
)

# Written into every text of B's data an admin page could show (names, titles, lots, notes).
MARK = "QXBETA"

# Models offered in forms that belong to no producer: reference data every producer shares.
# A model missing here and without `producer_scope_field` fails the form test, so a new model
# is either declared shared here or scoped per producer.
SHARED = {
    "catalog.ocopgroup",
    "catalog.criteriaset",
    "wagtailcore.locale",
    "wagtailcore.site",
    "wagtailcore.page",  # page choosers: page permissions decide (see the GET walk)
    "contenttypes.contenttype",
    "auth.group",
    "auth.permission",
    "auth.user",
    "storefront.shippingzone",
    "taggit.tag",
    "wagtailcore.task",
    "wagtailcore.workflow",
}

# Models in the admin that belong to no producer and that only officers may see or edit:
# producer editors hold no permission on them (checked by
# test_officer_only_models_are_closed_to_producer_editors).
OFFICER_ONLY = {
    "registry.programmetarget",  # national and provincial OCOP targets
    "places.salespoint",  # OCOP sales points and community tourism sites
    "registration.producerrequest",  # producers' applications, before any producer exists
}


# --- The two producers ------------------------------------------------------------------------


def _image(producer, title: str):
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 120, 0)).save(buffer, "PNG")
    return Image.objects.create(
        title=title,
        file=ContentFile(buffer.getvalue(), name=f"{title}.png"),
        collection=producer.collection,
    )


def _document(producer, title: str):
    from wagtail.documents.models import Document

    return Document.objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 test", name=f"{title}.pdf"),
        collection=producer.collection,
    )


def _order(producer, product, tag: str):
    from storefront.models import Fulfilment, Order, OrderLine

    variant = product.variants.first()
    order = Order.objects.create(
        name=f"{tag} Nguyễn Văn Khách",
        phone="0912345678",
        email="khach@example.vn",
        province_code=producer.province_code,
        ward_code=producer.ward_code,
        street_address=f"{tag} 1 Phố Huế",
        payment_method="cod",
        subtotal=variant.price,
        shipping_fee=0,
        total=variant.price,
    )
    fulfilment = Fulfilment.objects.create(order=order, producer=producer)
    OrderLine.objects.create(
        order=order,
        fulfilment=fulfilment,
        variant=variant,
        product_title=f"{tag} {product.title}",
        variant_name=variant.name,
        unit_price=variant.price,
        quantity=1,
    )
    return order


def _producer_with_data(tag: str, province_code: int):
    from traceability.models import BatchDocument, ProblemReport, TraceEventAttachment

    producer = ProducerFactory(
        name=f"Hợp tác xã {tag} Thử", short_name=f"HTX {tag}", province_code=province_code
    )
    product = make_product(
        producer,
        title=f"{tag} Mật ong hoa nhãn",
        variants=[{"name": f"{tag} Chai 500 ml", "gtin": next_gtin13(), "sku": f"{tag}-1"}],
    )
    image = _image(producer, f"{tag} ảnh sản phẩm")
    product.gallery.create(image=image, caption=f"{tag} ảnh")
    document = _document(producer, f"{tag} phiếu xét nghiệm")
    area = GrowingAreaFactory(producers=[producer], name=f"{tag} Vùng nhãn", crops=f"{tag} nhãn")
    batch = make_batch(product, area=area, lot_code=f"{tag}01", events=2)
    BatchDocument.objects.create(batch=batch, title=f"{tag} Dư lượng", document=document)
    event = batch.events.first()
    TraceEventAttachment.objects.create(event=event, image=image, caption=f"{tag} ảnh thu hái")
    batch.serials.create(serial=f"{tag}SER1")
    ProblemReport.objects.create(batch=batch, message=f"{tag} hộp bị móp")
    _order(producer, product, tag)
    return producer


@pytest.fixture
def world(site):
    """Producer A (whose editor acts) and producer B (whose data must stay out of reach)."""
    a = _producer_with_data("QXALPHA", 24)
    b = _producer_with_data(MARK, 66)
    return a, b


@pytest.fixture
def editor_client(client, world):
    a, _b = world
    client.editor = a.onboarded.editor
    client.force_login(client.editor)
    return client


def _rows_of(model: type[models.Model], producer) -> models.QuerySet:
    """The rows of `model` that belong to `producer` (empty for shared models)."""
    path = producer_path(model)
    if path is None:
        return model._default_manager.none()
    lookup = "pk" if path == "pk" else path
    return model._default_manager.filter(**{lookup: producer.pk}).distinct()


def _scoped_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if producer_path(m) is not None]


def _pages_of(producer) -> models.QuerySet:
    from catalog.models import ProducerPage

    roots = ProducerPage.objects.filter(producer=producer)
    pages = Page.objects.none()
    for root in roots:
        pages |= Page.objects.descendant_of(root, inclusive=True)
    return pages


# --- The admin URLconf ------------------------------------------------------------------------


def _admin_patterns() -> Iterator[tuple[str, URLPattern, str]]:
    """(route, pattern, namespace) of every URL under /admin/."""

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            else:
                yield prefix + str(entry.pattern), entry, namespace

    for route, pattern, namespace in walk(get_resolver(), "", ""):
        # Wagtail's own "test the error page" URL raises on purpose.
        if route.startswith("admin/") and pattern.name != "wagtailadmin_error_test":
            yield route, pattern, namespace


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _model_for(namespace: str, param: str) -> type[models.Model] | None:
    """The model whose ids fill a URL parameter: the viewset's, or by the parameter's name."""
    from wagtail.admin.viewsets import viewsets

    for viewset in viewsets.viewsets:
        try:
            viewset_namespace = viewset.url_namespace
        except ImproperlyConfigured:
            continue
        if viewset_namespace == namespace.split(":")[-1] and param in ("pk", "object_id"):
            model = getattr(viewset, "model", None)
            if isinstance(model, str):
                model = apps.get_model(model)
            return model
    name = param.removesuffix("_id").removesuffix("_pk")
    if "page" in name:
        return Page
    for model in apps.get_models():
        if model._meta.model_name == name or (
            name == "doc" and model._meta.model_name == "document"
        ):
            return model
    return None


def _ids_for(model, producer) -> list[Any]:
    if model is None:  # unknown parameter: try the ids of every row of the producer
        ids: set[Any] = set()
        for scoped in _scoped_models():
            ids.update(_rows_of(scoped, producer).values_list("pk", flat=True)[:3])
        return sorted(ids)
    if issubclass(model, Page):
        return list(_pages_of(producer).values_list("pk", flat=True))
    if producer_path(model) is None:
        first = model._default_manager.order_by("pk").first()
        return [first.pk] if first else []
    return list(_rows_of(model, producer).values_list("pk", flat=True)[:3])


# The walks are split into shards by URL pattern so that parallel workers share them; each
# shard builds its own two producers. Together the shards walk every pattern exactly once
# (test_the_shards_walk_every_admin_url_once).
SHARDS = 4


def _admin_urls(producer, shard: int | None = None) -> Iterator[str]:
    """Every /admin/ URL with at most one parameter, filled with the producer's ids (only the
    patterns of one shard, if given)."""
    for index, (route, _pattern, namespace) in enumerate(_admin_patterns()):
        if shard is not None and index % SHARDS != shard:
            continue
        params = PARAM.findall(route)
        if len(params) > 1 or "^" in route or "(?P" in route:
            continue
        if not params:
            yield "/" + route
            continue
        conv, name = params[0]
        for value in _ids_for(_model_for(namespace, name), producer):
            yield "/" + PARAM.sub(str(value), route)


def _get(client, url: str):
    """GET as the editor, signed in afresh (a walked URL may end the session)."""
    client.force_login(client.editor)
    return client.get(url)


# --- Forms ------------------------------------------------------------------------------------


def _forms_in(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        for key in ("form", "filters"):
            value = context.get(key) if hasattr(context, "get") else None
            if key == "filters" and value is not None:
                value = getattr(value, "form", None)
            if isinstance(value, forms.BaseForm) and all(value is not f for f in found):
                found.append(value)
    return found


def _choice_fields(form, path: tuple = ()) -> Iterator[tuple[tuple, str, forms.Field]]:
    """(formset path, name, field) of every model choice field, inline formsets included."""
    own_pk = form._meta.model._meta.pk.name if path and hasattr(form, "_meta") else None
    for name, field in form.fields.items():
        # An inline row's own id is checked against the parent's rows by Django's formset.
        if isinstance(field, forms.ModelChoiceField) and name != own_pk:
            yield path, name, field
    for fs_name, formset in getattr(form, "formsets", {}).items():
        for child in [*formset.forms, formset.empty_form]:
            yield from _choice_fields(child, (*path, fs_name))


def _offered_foreign(field: forms.ModelChoiceField, other) -> list[str]:
    model = field.queryset.model
    label = model._meta.label_lower
    if producer_path(model) is None:
        assert label in SHARED, (
            f"{label} is offered in an admin form but belongs to no producer: give it a "
            "producer_scope_field, or list it in SHARED if every producer may use it"
        )
        return []
    theirs = _rows_of(model, other).values("pk")
    return [str(obj) for obj in field.queryset.filter(pk__in=theirs)]


def _add_page_urls(producer) -> list[str]:
    urls = []
    for parent in _pages_of(producer).order_by("path").specific():
        for child_model in parent.specific_class.creatable_subpage_models():
            meta = child_model._meta
            urls.append(f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/")
    return urls


def _form_urls(producer, shard: int) -> list[str]:
    """The shard's admin URLs filled with the producer's ids, and its share of add-page URLs."""
    add_pages = _add_page_urls(producer)
    return [*_admin_urls(producer, shard), *add_pages[shard::SHARDS]]


def _form_pages(client, urls: list[str]) -> list[tuple[str, forms.BaseForm]]:
    """(url, form) of every URL that renders a form with choices for the client's editor."""
    seen: list[tuple[str, forms.BaseForm]] = []
    for url in urls:
        response = _get(client, url)
        if response.status_code != 200 or response.get("Content-Type", "").find("html") < 0:
            continue
        for form in _forms_in(response):
            if any(True for _ in _choice_fields(form)):
                seen.append((url, form))
    return seen


# --- Forged posts -----------------------------------------------------------------------------


# Bookkeeping that rendering an edit form writes, whatever was posted: not data.
BOOKKEEPING = {"wagtailadmin.EditingSession", "wagtailimages.Rendition", "sessions.Session"}


def _snapshot() -> dict[str, int]:
    commit_pending()  # the set-up's after-commit work (search index) is not the request's
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label not in BOOKKEEPING
    }


def _changed(before: dict[str, int]) -> dict[str, tuple[int, int]]:
    after = _snapshot()
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


def _forged_posts(form, other) -> Iterator[tuple[tuple, str, Any]]:
    """(formset path, field name, B's id) for each field that B has rows for."""
    for path, name, field in _choice_fields(form):
        theirs = _rows_of(field.queryset.model, other).first()
        if theirs is not None:
            yield path, name, theirs.pk


def test_the_shards_walk_every_admin_url_once(world):
    a, b = world
    everything = list(_admin_urls(b))
    shards = [list(_admin_urls(b, shard)) for shard in range(SHARDS)]
    assert sorted(url for shard in shards for url in shard) == sorted(everything)
    assert all(shards)
    assert len(everything) > 100
    assert "/admin/traceability/batch/new/" in list(_admin_urls(a))
    add_pages = _add_page_urls(a)
    assert sorted(u for shard in range(SHARDS) for u in add_pages[shard::SHARDS]) == sorted(
        add_pages
    )


@pytest.mark.parametrize("shard", range(SHARDS))
def test_admin_forms_offer_and_accept_only_the_editors_own_rows(editor_client, world, shard):
    """Every form offers none of B's rows in any choice field; posting B's id into one is
    refused with an error on that field and writes nothing."""
    a, b = world
    urls = _form_urls(a, shard)
    pages = _form_pages(editor_client, urls)
    if "/admin/traceability/batch/new/" in urls:
        assert any(url == "/admin/traceability/batch/new/" for url, _f in pages)
    page_edits = {u for u in urls if u.startswith("/admin/pages/") and u.endswith("/edit/")}
    if page_edits:  # the page edit forms (and their inline panels) are walked
        assert any(url in page_edits for url, _f in pages)
    leaks = []
    checked = 0
    for url, form in pages:
        for path, name, field in _choice_fields(form):
            checked += 1
            if offered := _offered_foreign(field, b):
                leaks.append(f"{url} {'/'.join(path)}.{name}: {offered[:3]}")
    assert checked >= 5  # each shard checks 11-25 choice fields (about 70 in all)
    assert leaks == [], "\n".join(leaks)

    tried = []
    failures = []
    done: set[tuple] = set()
    for url, form in pages:
        if not hasattr(form, "save"):  # a listing's filters: nothing to post
            continue
        for path, name, their_id in _forged_posts(form, b):
            if (url, path, name) in done or len(path) > 1:
                continue
            done.add((url, path, name))
            data = form_data(form, {}, streams=False)  # StreamFields sent empty
            multiple = None
            if path:
                formset = form.formsets[path[0]]
                index = formset.total_form_count()
                data[f"{formset.prefix}-TOTAL_FORMS"] = str(index + 1)
                key = f"{formset.prefix}-{index}-{name}"
                multiple = isinstance(
                    formset.empty_form.fields[name], forms.ModelMultipleChoiceField
                )
            else:
                key = form[name].html_name
                multiple = isinstance(form.fields[name], forms.ModelMultipleChoiceField)
            data[key] = [str(their_id)] if multiple else str(their_id)
            before = _snapshot()
            response = editor_client.post(url, data)
            tried.append(f"{url} {key}")
            if response.status_code >= 500:
                failures.append(f"{url} {key}: {response.status_code}")
                continue
            if changed := _changed(before):
                failures.append(f"{url} {key}: wrote to the database ({changed})")
            if response.status_code != 200:
                failures.append(f"{url} {key}: answered {response.status_code}, not a form error")
                continue
            posted = _forms_in(response)[0]
            target = posted.formsets[path[0]].forms[index] if path else posted
            if name not in target.errors:
                failures.append(f"{url} {key}: no error on the field")
    if "/admin/traceability/batch/new/" in urls:
        assert any("/admin/traceability/batch/new/" in t and t.endswith(" variant") for t in tried)
    assert tried
    assert failures == [], "\n".join(failures)


# --- Every admin URL with B's ids ------------------------------------------------------------


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_admin_url_shows_another_producers_data(editor_client, world, shard):
    _a, b = world
    failures = []
    visited = 0
    for url in _admin_urls(b, shard):
        for query in ("", "?q=M%E1%BA%ADt+ong", "?export=csv"):
            response = _get(editor_client, url + query)
            visited += 1
            if response.status_code >= 500:
                failures.append(f"{url}{query}: {response.status_code}")
                continue
            body = b"".join(response) if response.streaming else response.content
            if MARK.encode() in body:
                failures.append(f"{url}{query}: shows B's data ({response.status_code})")
            if query == "" and not url.endswith("/"):
                break
    assert visited > 150  # each shard visits about 300 (about 1,200 in all)
    assert failures == [], "\n".join(failures)


def test_bulk_actions_on_another_producers_rows_do_nothing(editor_client, world):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    _a, b = world
    failures = []
    actions = 0
    for app_label, models_ in bulk_action_registry.actions.items():
        for model_name, by_type in models_.items():
            model = apps.get_model(app_label, model_name)
            ids = _ids_for(model, b)
            if not ids:
                continue
            for action_type in by_type:
                url = f"/admin/bulk/{app_label}/{model_name}/{action_type}/"
                query = "&".join(f"id={i}" for i in ids)
                before = _snapshot()
                for response in (
                    editor_client.get(f"{url}?{query}"),
                    editor_client.post(f"{url}?{query}", {"collection": b.collection_id}),
                ):
                    actions += 1
                    body = response.content
                    if response.status_code >= 500 or MARK.encode() in body:
                        failures.append(f"{url}: {response.status_code}, B's data shown")
                if changed := _changed(before):
                    failures.append(f"{url}: wrote to the database ({changed})")
    assert actions > 4
    assert failures == [], "\n".join(failures)


def test_officer_only_models_are_closed_to_producer_editors(editor_client):
    from wagtail.admin.viewsets import viewsets

    checked = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if model is None or isinstance(model, str):
            continue
        label = model._meta.label_lower
        if label not in OFFICER_ONLY:
            continue
        assert producer_path(model) is None, label
        for view in ("index", "add"):
            response = _get(
                editor_client, f"/admin/{viewset.url_prefix}/" + ("" if view == "index" else "new/")
            )
            assert response.status_code in (302, 403), (label, view, response.status_code)
        checked.add(label)
    assert checked == OFFICER_ONLY
