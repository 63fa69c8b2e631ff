"""The open data API over HTTP: agrees with the catalogue, pages, filters, ETag, CORS, limits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from catalog.models import ProducerPage, ProductPage
from registry.filters import RegistryFilters
from registry.queries import registry_queryset
from traceability.services import public_product_pages

API = "/api/v1"


def get(client, path, **headers):
    return client.get(f"{API}{path}", **headers)


def test_counts_agree_with_the_catalogue_and_the_registry(client, catalogue):
    on_sale = public_product_pages().filter(locale__language_code=settings.LANGUAGE_CODE)
    products = get(client, "/products").json()
    assert products["count"] == on_sale.count() == 3
    assert {p["title"] for p in products["results"]} == set(on_sale.values_list("title", flat=True))
    assert "Nước mắm nháp" not in str(products)  # a draft is not on sale
    certificates = get(client, "/certificates").json()
    # Every recognised product, sold online or not (the registry's rows), not only those on sale.
    assert certificates["count"] == registry_queryset(RegistryFilters()).count() == 3
    producers = get(client, "/producers").json()
    live_pages = ProducerPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
    assert producers["count"] == live_pages.count()
    by_id = {p["id"]: p for p in producers["results"]}
    assert by_id[catalogue["honey"].producer_id]["product_count"] == 2
    assert by_id[catalogue["third"].pk]["product_count"] == 0


def test_stars_of_a_product_are_its_certificate_in_force(client, catalogue):
    honey = get(client, f"/products/{catalogue['honey'].pk}").json()
    assert honey["stars"] == honey["certificate"]["stars"] == 4
    assert honey["certificate"]["status"] == "in-force"
    assert honey["variants"][0]["in_stock"] is True


def test_pages_link_to_each_other_and_cover_every_row_once(client, catalogue):
    first = get(client, "/products?page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] is not None
    ids = [p["id"] for p in first["results"] + second["results"]]
    assert len(set(ids)) == 3
    beyond = get(client, "/products?page=50").json()
    assert beyond["results"] == [] and beyond["count"] == 3


FILTERS = [
    ("province=dak-lak", {"Cà phê Robusta"}),
    ("stars=5", {"Cà phê Robusta"}),
    ("stars=3", {"Chè Shan tuyết"}),
    ("producer_type=htx&stars=4", {"Mật ong hoa nhãn"}),
    ("status=in-force&q=che shan", {"Chè Shan tuyết"}),
    ("status=revoked", set()),
]


def test_filters_are_the_registrys(client, catalogue):
    for query, titles in FILTERS:
        response = get(client, f"/products?{query}")
        assert response.status_code == 200, query
        assert {p["title"] for p in response.json()["results"]} == titles, query


BAD = [
    ("stars=9", "stars"),
    ("province=atlantis", "province"),
    ("status=maybe", "status"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page_size=1000", "page_size"),
    ("q=" + "x" * 101, "q"),
    ("q=mat%00ong", "q"),
]


def test_bad_parameters_get_a_translated_400(client, catalogue):
    for query, parameter in BAD:
        vietnamese = get(client, f"/products?{query}", HTTP_ACCEPT_LANGUAGE="vi")
        english = get(client, f"/products?{query}", HTTP_ACCEPT_LANGUAGE="en")
        assert vietnamese.status_code == english.status_code == 400, query
        assert parameter in english.json()["errors"], query
        assert english.json()["error"] == "Some parameters are not valid."
        with translation.override("vi"):
            assert vietnamese.json()["error"] == gettext("Some parameters are not valid.")


def test_unknown_rows_are_json_404s(client, catalogue):
    for path in ("/products/999999", f"/products/{catalogue['draft'].pk}", "/batches/NOPE"):
        response = get(client, path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]


def test_a_conditional_get_answers_304(client, catalogue):
    first = get(client, "/products")
    assert first["ETag"]
    again = get(client, "/products", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    catalogue["tea"].unpublish()
    changed = get(client, "/products", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["count"] == 2


def test_any_origin_may_get_and_nothing_else(client, catalogue):
    origin = {"HTTP_ORIGIN": "https://data.example.org"}
    response = get(client, "/products", **origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/products", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.post(f"{API}/products", **origin).status_code == 405
    page = client.get("/vi/diem-ban/", **origin)
    assert "Access-Control-Allow-Origin" not in page  # only /api/


def test_past_the_rate_limit_the_api_answers_429(client, catalogue, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 60)}
    cache.clear()
    statuses = [
        get(client, "/sales-points", REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = get(client, "/products", REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 60
    assert refused.json()["error"]
    assert get(client, "/products", REMOTE_ADDR="198.51.100.8").status_code == 200
    cache.clear()


def test_a_batch_is_public_only_while_its_product_is(client, catalogue):
    code = catalogue["batch"].short_code
    journey = get(client, f"/batches/{code}").json()
    assert [e["kind"] for e in journey["events"]] == ["harvesting", "processing", "packing"]
    assert journey["growing_areas"] == [catalogue["area"].code]
    ProductPage.objects.get(pk=catalogue["honey"].pk).unpublish()
    assert get(client, f"/batches/{code}").status_code == 404
    assert get(client, "/batches").json()["count"] == 0


def test_growing_areas_are_geojson(client, catalogue):
    collection = get(client, "/growing-areas").json()
    assert collection["type"] == "FeatureCollection"
    feature = collection["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["code"] == catalogue["area"].code


def test_sales_points_by_product_include_those_stocking_its_producer(client, catalogue):
    coffee = get(client, f"/sales-points?product={catalogue['coffee'].pk}").json()
    tea = get(client, f"/sales-points?product={catalogue['tea'].pk}").json()
    assert [p["name"] for p in coffee["results"]] == ["Điểm bán OCOP Bắc Giang"]
    assert tea["count"] == 0
    assert get(client, "/sales-points?kind=tourism_site").json()["count"] == 0
    assert get(client, "/sales-points?kind=shop").status_code == 400


def test_openapi_document_and_docs_page(client, catalogue):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/products", "/api/v1/sales-points", "/api/v1/registry"} <= set(
        document["paths"]
    )
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert "<script>" not in html and "http" not in html.replace('"/api/openapi.json"', "")
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset  # served from our static files, no CDN
