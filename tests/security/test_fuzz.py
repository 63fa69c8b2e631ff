"""Property: no generated input makes a public URL answer 500.

Hypothesis throws generated paths, query strings and form posts at every public entry point: the
GS1 resolver (/01/…/10/…/21/…), /q/ codes, scan and serial pages (with lat/lon/accuracy), the
search page and its JSON endpoints (query, every facet, page, sort), the cart, the checkout, the
report-a-problem form and the language prefixes. Each answer must be below 500; the test client
re-raises a view's exception, so a crash fails with its traceback.

The catalogue (one producer, one product with a GTIN, one batch, serials) is built once per
module inside a transaction that is rolled back at the end; each test gets its own savepoint.
`derandomize=True` makes every run try the same inputs (CI is reproducible); EXAMPLES bounds
the run (the counts per entry point are recorded in docs/security.md).
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.search.params import FACET_PARAMS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# --- the catalogue, once per module --------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from cms.services import setup_site
    from tests.factories import ProducerFactory, make_batch, make_product, next_gtin13
    from traceability.services import generate_serials

    with django_db_blocker.unblock(), transaction.atomic():
        setup_site()
        producer = ProducerFactory()
        gtin = next_gtin13()
        product = make_product(
            producer, variants=[{"name": "Hộp 1 kg", "price": 180_000, "gtin": gtin}]
        )
        batch = make_batch(product, lot_code="FUZZ-LOT-1", events=2)
        serials = [s.serial for s in generate_serials(batch, 3)]
        yield {
            "gtin": gtin,
            "lot": batch.lot_code,
            "code": batch.short_code,
            "serials": serials,
            "variant": product.variants.first().pk,
        }
        transaction.set_rollback(True)


@pytest.fixture
def web(world, db):
    cache.clear()  # the page cache and rate-limit counters start empty for each test
    return Client()


def assert_answers(response, what) -> None:
    assert response.status_code < 500, (response.status_code, what)


# --- generated pieces ------------------------------------------------------------------------------

# Any text a URL or a form can carry, control characters and astral planes included;
# surrogates cannot be encoded in UTF-8 and never reach a view.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "nan",
        "-inf",
        "Infinity",
        "9" * 400,
        "0x1F",
        "1_000",
        "١٢٣",  # Arabic-Indic digits: int() accepts them
        "１２３",  # full-width digits
        "\x00",
        "%00",
        "../..",
        "/",
        "//evil.example",
        "https://evil.example/",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "{{ 7*7 }}",
        "%(x)s",
        "\u202e",
        "a" * 5000,
    ]
)
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
VALUE = st.one_of(TEXT, NASTY, NUMBERISH)


def segment(real: list[str] | None = None) -> st.SearchStrategy[str]:
    """One URL path segment, percent-encoded as a browser would send it."""
    raw = st.one_of(TEXT, NASTY, NUMBERISH, *(st.sampled_from(real),) if real else ())
    return raw.map(lambda s: quote(s, safe=""))


def query_string(keys: list[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(
        st.tuples(st.one_of(st.sampled_from(keys), TEXT), VALUE), min_size=0, max_size=8
    )
    return pairs.map(lambda p: urlencode(p))


GTIN_LIKE = st.one_of(
    st.text("0123456789", min_size=0, max_size=20),
    segment(),
)


# --- the resolver and short codes --------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_gs1_resolver_paths_never_answer_500(web, world, data):
    gtin = data.draw(st.one_of(st.just(world["gtin"]), GTIN_LIKE))
    path = f"/01/{gtin}"
    for ai, real in (("10", world["lot"]), ("21", world["serials"][0])):
        if data.draw(st.booleans()):
            ai = data.draw(st.one_of(st.just(ai), st.sampled_from(["17", "22", "235", "8200"])))
            path += f"/{ai}/" + data.draw(st.one_of(st.just(real), segment()))
    if data.draw(st.booleans()):
        path += "/" + data.draw(segment())
    qs = data.draw(query_string(["linkType", "context", "lang", "17", "format", "serial"]))
    method = data.draw(st.sampled_from(["get", "head"]))
    response = getattr(web, method)(
        f"{path}?{qs}",
        HTTP_ACCEPT=data.draw(
            st.sampled_from(
                ["text/html", "application/linkset+json", "application/json", "*/*", "x/\x7f"]
            )
        ),
    )
    assert_answers(response, (method, path, qs))


@FUZZ
@given(data=st.data())
def test_short_codes_and_epcis_never_answer_500(web, world, data):
    code = data.draw(segment([world["code"], world["code"].lower()]))
    kind = data.draw(st.sampled_from(["q", "q-serial", "epcis", "well-known"]))
    if kind == "q":
        path = f"/q/{code}"
    elif kind == "q-serial":
        path = f"/q/{code}/" + data.draw(segment(world["serials"]))
    elif kind == "epcis":
        path = f"/epcis/{code}.jsonld"
    else:
        path = "/.well-known/gs1resolver"
    qs = data.draw(query_string(["linkType", "lang", "format"]))
    assert_answers(web.get(f"{path}?{qs}"), (path, qs))


# --- scan and serial pages -----------------------------------------------------------------------------


COORDINATE = st.one_of(
    NUMBERISH,
    NASTY,
    st.floats(-200, 200).map(lambda f: f"{f:.6f}"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


@FUZZ
@given(data=st.data())
def test_scan_and_serial_pages_never_answer_500(web, world, data):
    lang = data.draw(st.sampled_from(["vi", "en"]))
    code = data.draw(segment([world["code"]]))
    path = f"/{lang}/truy-xuat/{code}/"
    if data.draw(st.booleans()):
        path += "s/" + data.draw(segment(world["serials"])) + "/"
    params = {
        key: data.draw(COORDINATE)
        for key in ("lat", "lon", "lng", "accuracy")
        if data.draw(st.booleans())
    }
    response = web.get(path + "?" + urlencode(params), HTTP_USER_AGENT=data.draw(TEXT))
    assert_answers(response, (path, params))


@FUZZ
@given(data=st.data())
def test_share_location_never_answers_500(web, world, data):
    serial = world["serials"][1]
    path = f"/vi/truy-xuat/{world['code']}/s/{serial}/vi-tri/"
    post = {"token": data.draw(VALUE), "lat": data.draw(COORDINATE), "lon": data.draw(COORDINATE)}
    assert_answers(web.post(path, post), post)


@FUZZ
@given(data=st.data())
def test_report_a_problem_never_answers_500(web, world, data):
    code = data.draw(segment([world["code"]]))
    post = {
        key: data.draw(st.one_of(VALUE, st.text(max_size=3000)))
        for key in ("message", "contact", "serial")
        if data.draw(st.booleans())
    }
    target = data.draw(st.sampled_from(["bao-loi/", f"s/{world['serials'][2]}/"]))
    path = f"/vi/truy-xuat/{code}/{target}"
    assert_answers(web.post(path, post), (path, post))


# --- search ---------------------------------------------------------------------------------------------

SEARCH_KEYS = ["q", *FACET_PARAMS, "sort", "page"]
SEARCH_VALUE = st.one_of(
    VALUE,
    st.sampled_from(
        ["relevance", "price_asc", "price_desc", "stars", "newest", "3", "4", "5", "24", "79"]
    ),
    st.sampled_from(["cooperative", "company", "household", "mật ong", "mat ong", "VẢI"]),
)


@FUZZ
@given(
    endpoint=st.sampled_from(["tim-kiem/", "tim-kiem/api/", "tim-kiem/goi-y/"]),
    lang=st.sampled_from(["vi", "en"]),
    pairs=st.lists(st.tuples(st.sampled_from(SEARCH_KEYS), SEARCH_VALUE), max_size=12),
)
def test_search_with_any_query_facet_page_and_sort_never_answers_500(web, endpoint, lang, pairs):
    path = f"/{lang}/{endpoint}?{urlencode(pairs)}"
    assert_answers(web.get(path), path)


# --- cart and checkout ----------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_cart_add_and_update_never_answer_500(web, world, data):
    variant = data.draw(st.one_of(st.just(str(world["variant"])), VALUE))
    post = {"variant": variant, "quantity": data.draw(st.one_of(VALUE, st.integers().map(str)))}
    if data.draw(st.booleans()):
        post["next"] = data.draw(st.one_of(VALUE, st.sampled_from(["/vi/", "gio-hang", "/en/"])))
    lang = data.draw(st.sampled_from(["vi", "en"]))
    action = data.draw(st.sampled_from(["them", "cap-nhat"]))
    assert_answers(web.post(f"/{lang}/gio-hang/{action}/", post), (action, post))
    qs = urlencode({"province": data.draw(VALUE)})
    assert_answers(web.get(f"/{lang}/gio-hang/?{qs}"), qs)


CHECKOUT_KEYS = [
    "name",
    "phone",
    "email",
    "province",
    "ward",
    "street_address",
    "note",
    "payment_method",
    "expected_total",
    "step",
]
CHECKOUT_VALUE = st.one_of(
    VALUE,
    st.sampled_from(["cod", "vietqr", "stripe", "province", "1", "24", "79", "0912345678"]),
)


@FUZZ
@given(data=st.data())
def test_checkout_fields_never_answer_500(web, world, data):
    web.post("/vi/gio-hang/them/", {"variant": world["variant"], "quantity": "1"})
    post = {key: data.draw(CHECKOUT_VALUE) for key in CHECKOUT_KEYS if data.draw(st.booleans())}
    assert_answers(web.post("/vi/thanh-toan/", post), post)
    qs = urlencode({"province": data.draw(CHECKOUT_VALUE)})
    assert_answers(web.get(f"/vi/thanh-toan/?{qs}"), qs)


@FUZZ
@given(token=segment())
def test_order_pages_by_any_token_never_answer_500(web, token):
    assert_answers(web.get(f"/vi/don-hang/{token}/"), token)
    assert_answers(web.post(f"/vi/don-hang/{token}/tra-bang-the/"), token)


# --- language prefixes -----------------------------------------------------------------------------------


@FUZZ
@given(
    prefix=st.one_of(
        st.sampled_from(["vi", "en", "VI", "vi-vn", "en-us", "fr", "zh-hans", "", "-", "vi_VN"]),
        segment(),
    ),
    rest=st.lists(
        st.one_of(
            st.sampled_from(["truy-xuat", "tim-kiem", "gio-hang", "thanh-toan", "san-pham"]),
            segment(),
        ),
        max_size=3,
    ),
    accept_language=st.one_of(TEXT, st.sampled_from(["vi", "en;q=0.5", "*", "xx-YY,zz;q=abc"])),
)
def test_language_prefixes_never_answer_500(web, prefix, rest, accept_language):
    path = "/" + "/".join([prefix, *rest]) + "/"
    response = web.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert_answers(response, (path, accept_language))
