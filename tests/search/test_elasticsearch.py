"""The Elasticsearch engine without a server: index definition, request bodies built with
elasticsearch.dsl, and parsing of responses in the shape Elasticsearch returns.

These are not counted as running against Elasticsearch: the behaviour suite does that when
ELASTICSEARCH_URL points at a server (see docs/search.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.search.correction import Rewrite, rewrite
from catalog.search.elasticsearch import (
    MAX_RESULT_WINDOW,
    CompatibleElasticsearch,
    ElasticsearchEngine,
    build_search,
    build_suggest,
    index_definition,
    parse_search_response,
    parse_suggest_response,
)
from catalog.search.query import SearchQuery

DAY = dt.date(2026, 11, 22)


def test_folding_analyzer_folds_case_diacritics_and_d_stroke():
    analysis = index_definition("ocop-products-1").to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["folding"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }
    assert analysis["analyzer"]["exact"]["filter"] == ["lowercase"]
    assert analysis["analyzer"]["autocomplete"]["filter"] == [
        "lowercase",
        "asciifolding",
        "ocop_edge_ngram",
    ]
    assert analysis["filter"]["ocop_edge_ngram"] == {
        "type": "edge_ngram",
        "min_gram": 1,
        "max_gram": 20,
    }


def test_mapping_copies_searchable_text_into_one_folded_field_with_exact_and_autocomplete():
    properties = index_definition("ocop-products-1").to_dict()["mappings"]["properties"]
    for name in ("title", "summary", "producer_name", "body"):
        assert properties[name]["copy_to"] == "all_text"
        assert properties[name]["analyzer"] == "folding"
    assert properties["all_text"]["fields"]["exact"] == {"type": "text", "analyzer": "exact"}
    assert properties["title"]["fields"]["autocomplete"] == {
        "type": "text",
        "analyzer": "autocomplete",
        "search_analyzer": "folding",
    }
    assert properties["producer_kind"] == {"type": "keyword"}
    assert properties["certified_until"] == {"type": "date", "format": "strict_date"}
    assert properties["words"] == {"type": "keyword"}  # the vocabulary for typo readings
    assert properties["min_price"] == {"type": "integer"}


def test_search_body_requires_every_word_as_one_of_its_readings():
    # "caphe" read as itself or the phrase "ca phe"; "mamm" one edit from "mam".
    reading = Rewrite(
        alternatives=[["nuoc"], ["mamm", "mam"], ["caphe", "ca phe"]], accented=["cà"]
    )
    body = build_search(SearchQuery(text="Nước mamm caphe", on=DAY), reading).to_dict()
    outer = body["query"]["bool"]
    assert outer["filter"] == [{"range": {"certified_until": {"gte": "2026-11-22"}}}]
    text = outer["must"][0]["bool"]
    either = [{"match": {"all_text": "mamm"}}, {"match": {"all_text": "mam"}}]
    phrase = [{"match": {"all_text": "caphe"}}, {"match_phrase": {"all_text": "ca phe"}}]
    assert text["must"] == [
        {"match": {"all_text": "nuoc"}},
        {"bool": {"should": either, "minimum_should_match": 1}},
        {"bool": {"should": phrase, "minimum_should_match": 1}},
    ]
    assert {"match": {"all_text.exact": {"query": "Nước mamm caphe cà", "boost": 10}}} in text[
        "should"
    ]
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["encoder"] == "html"
    assert "suggest" not in body


def test_relaxed_search_lets_one_word_at_a_time_use_its_wider_readings():
    reading = Rewrite(alternatives=[["ca"], ["pha"]])
    loose = [["ca", "cá"], ["pha", "phe"]]
    body = build_search(SearchQuery(text="ca pha", on=DAY), reading, loose).to_dict()
    [either] = body["query"]["bool"]["must"][0]["bool"]["must"]
    wider_first = {
        "bool": {
            "should": [{"match": {"all_text": "ca"}}, {"match": {"all_text": "cá"}}],
            "minimum_should_match": 1,
        }
    }
    wider_second = {
        "bool": {
            "should": [{"match": {"all_text": "pha"}}, {"match": {"all_text": "phe"}}],
            "minimum_should_match": 1,
        }
    }
    assert either["bool"]["should"] == [
        {"bool": {"must": [wider_first, {"match": {"all_text": "pha"}}]}},
        {"bool": {"must": [{"match": {"all_text": "ca"}}, wider_second]}},
    ]


def test_any_word_search_needs_one_word_only():
    body = build_search(SearchQuery(text="mat ong", match_any=True, on=DAY)).to_dict()
    assert body["query"]["bool"]["must"][0]["bool"]["must"] == [
        {
            "bool": {
                "should": [{"match": {"all_text": "mat"}}, {"match": {"all_text": "ong"}}],
                "minimum_should_match": 1,
            }
        }
    ]


def test_a_page_past_the_result_window_asks_for_counts_only():
    assert index_definition("x").to_dict()["settings"]["max_result_window"] == MAX_RESULT_WINDOW
    last = build_search(SearchQuery(page=MAX_RESULT_WINDOW // 20, page_size=20, on=DAY))
    assert last.to_dict()["size"] == 20
    past = build_search(SearchQuery(page=MAX_RESULT_WINDOW // 20 + 1, page_size=20, on=DAY))
    assert (past.to_dict()["from"], past.to_dict()["size"]) == (0, 0)


def test_facet_aggregations_count_under_the_other_facets_filters_only():
    query = SearchQuery(text="mat ong", stars=[4, 5], provinces=[24], price_min=100_000, on=DAY)
    body = build_search(query).to_dict()
    stars, province, price = (
        {"terms": {"stars": [4, 5]}},
        {"terms": {"province_code": [24]}},
        {"range": {"min_price": {"gte": 100_000}}},
    )
    assert body["post_filter"] == {"bool": {"filter": [province, stars, price]}}
    aggs = body["aggs"]
    assert aggs["stars"]["filter"] == {"bool": {"filter": [province, price]}}
    assert aggs["province"]["filter"] == {"bool": {"filter": [stars, price]}}
    assert aggs["kind"]["filter"] == {"bool": {"filter": [province, stars, price]}}
    assert aggs["price"]["filter"] == {"bool": {"filter": [province, stars]}}
    assert aggs["stars"]["aggs"]["values"] == {"terms": {"field": "stars", "size": 200}}
    assert aggs["price"]["aggs"]["values"]["range"]["ranges"][1] == {
        "key": "1",
        "from": 100_000,
        "to": 200_000,
    }


def test_browsing_without_words_sorts_by_newest_and_pages():
    body = build_search(SearchQuery(page=3, page_size=20, on=DAY)).to_dict()
    assert body["query"] == {
        "bool": {"filter": [{"range": {"certified_until": {"gte": "2026-11-22"}}}]}
    }
    assert body["sort"] == [{"published_at": "desc"}, {"product_id": "desc"}]
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert "highlight" not in body and "suggest" not in body


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("price_asc", {"min_price": {"order": "asc", "missing": "_last"}}),
        ("price_desc", {"min_price": {"order": "desc", "missing": "_last"}}),
        ("stars", {"stars": "desc"}),
        ("relevance", "_score"),
        ("title", {"title_sort": {"order": "asc", "unmapped_type": "keyword"}}),
    ],
)
def test_sort_orders(sort, first):
    assert build_search(SearchQuery(text="mam", sort=sort, on=DAY)).to_dict()["sort"][0] == first


def test_suggest_body_matches_title_prefixes():
    body = build_suggest("mat o", DAY, 8).to_dict()
    assert body["query"]["bool"]["must"] == [
        {"match": {"title.autocomplete": {"query": "mat o", "operator": "and"}}}
    ]
    assert body["size"] == 8


SEARCH_RESPONSE = {
    "took": 7,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 2, "relation": "eq"},
        "max_score": 12.7,
        "hits": [
            {
                "_index": "ocop-products-20261122080000000000",
                "_id": "41",
                "_score": 12.7,
                "_source": {
                    "product_id": 41,
                    "translation_key": "0b6f1f0e-8d0f-4a43-9a55-2d7f1c1b9e11",
                    "title": "Vải thiều Lục Ngạn",
                    "summary": "Vải thiều tươi <hái> tại vườn",
                    "producer_name": "HTX Vải Lục Ngạn",
                    "group_id": 3,
                    "group_top_id": 1,
                    "province_code": 24,
                    "stars": 4,
                    "producer_kind": "htx",
                    "min_price": 120000,
                    "in_stock": True,
                    "variant_count": 1,
                    "certified_until": "2029-05-01",
                    "published_at": "2026-10-01T08:00:00+07:00",
                    "image_id": None,
                },
                "highlight": {"title": ["<mark>Vải</mark> <mark>thiều</mark> Lục Ngạn"]},
            },
            {
                "_index": "ocop-products-20261122080000000000",
                "_id": "57",
                "_score": 9.1,
                "_source": {
                    "product_id": 57,
                    "translation_key": "5c3d8e8a-1f7e-4f63-8a4f-0a7d3e2b1c22",
                    "title": "Vải thiều sấy khô",
                    "summary": "",
                    "producer_name": "HTX Vải Lục Ngạn",
                    "group_id": 9,
                    "group_top_id": 1,
                    "province_code": 24,
                    "stars": 3,
                    "producer_kind": "htx",
                    "min_price": None,
                    "in_stock": False,
                    "variant_count": 0,
                    "certified_until": "2028-01-01",
                    "published_at": "2026-09-01T08:00:00+07:00",
                    "image_id": 12,
                },
            },
        ],
    },
    "aggregations": {
        "group": {
            "doc_count": 2,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": 1, "doc_count": 2}],
            },
        },
        "subgroup": {
            "doc_count": 2,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": 3, "doc_count": 1}, {"key": 9, "doc_count": 1}],
            },
        },
        "province": {
            "doc_count": 2,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": 24, "doc_count": 2}],
            },
        },
        "stars": {
            "doc_count": 3,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": 4, "doc_count": 2}, {"key": 3, "doc_count": 1}],
            },
        },
        "kind": {
            "doc_count": 2,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "htx", "doc_count": 2}],
            },
        },
        "price": {
            "doc_count": 2,
            "values": {
                "buckets": {
                    "0": {"from": 0.0, "to": 100000.0, "doc_count": 0},
                    "1": {"from": 100000.0, "to": 200000.0, "doc_count": 1},
                    "2": {"from": 200000.0, "to": 500000.0, "doc_count": 0},
                    "3": {"from": 500000.0, "doc_count": 0},
                }
            },
        },
    },
}


def test_parse_search_response_reads_hits_highlights_facets_and_corrections():
    reading = Rewrite(
        alternatives=[["vai"], ["thieeu", "thieu"]], corrections={"thieeu": ["thieu"]}
    )
    results = parse_search_response(SEARCH_RESPONSE, SearchQuery(text="vai thieeu"), reading)
    assert results.total == 2
    first, second = results.hits
    assert (first.product_id, first.stars, first.min_price, first.in_stock) == (41, 4, 120000, True)
    assert first.title_html == "<mark>Vải</mark> <mark>thiều</mark> Lục Ngạn"
    assert first.summary_html == "Vải thiều tươi &lt;hái&gt; tại vườn"  # escaped, not trusted
    assert (second.min_price, second.image_id, second.in_stock) == (None, 12, False)
    assert results.facets == {
        "group": {1: 2},
        "subgroup": {3: 1, 9: 1},
        "province": {24: 2},
        "stars": {4: 2, 3: 1},
        "kind": {"htx": 2},
        "price": {1: 1},
    }
    assert results.corrections == {"thieeu": ["thieu"]}
    assert results.suggestions == ["vai thiều"]  # with the top result's accents
    assert results.matched_terms == {"vai", "thieeu", "thieu"}


def test_parse_search_response_accepts_a_plain_total():
    response = {"hits": {"total": 0, "max_score": None, "hits": []}}
    results = parse_search_response(response, SearchQuery())
    assert (results.total, results.hits, results.facets["stars"]) == (0, [], {})


def test_parse_suggest_response_highlights_the_completed_prefix():
    response = {
        "took": 2,
        "timed_out": False,
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "max_score": 3.2,
            "hits": [
                {
                    "_index": "ocop-products-1",
                    "_id": "5",
                    "_score": 3.2,
                    "_source": {
                        "product_id": 5,
                        "translation_key": "5c3d8e8a-1f7e-4f63-8a4f-0a7d3e2b1c22",
                        "title": "Mật ong hoa nhãn",
                    },
                }
            ],
        },
    }
    [suggestion] = parse_suggest_response(response, "mat o")
    assert suggestion.text == "Mật ong hoa nhãn"
    assert suggestion.text_html == "<mark>Mật</mark> <mark>o</mark>ng hoa nhãn"


VOCABULARY = {"vai", "thieu", "luc", "ngan"}


def vocabulary_answer(body: dict) -> dict:
    wanted = body["aggs"]["known"]["terms"]["include"]
    return {
        "aggregations": {
            "known": {"buckets": [{"key": w, "doc_count": 1} for w in wanted if w in VOCABULARY]}
        }
    }


class RecordingClient:
    """Stands in for the client at the module's boundary; it is not Elasticsearch. Answers
    vocabulary look-ups from VOCABULARY and searches with the given response."""

    def __init__(self, response):
        self.response = response
        self.calls = []

    def search(self, **kwargs):
        if "known" in kwargs["body"].get("aggs", {}):
            return vocabulary_answer(kwargs["body"])
        self.calls.append(kwargs)
        return self.response


def test_engine_sends_the_built_body_to_the_alias_and_parses_the_answer(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "ocop"
    client = RecordingClient(SEARCH_RESPONSE)
    results = ElasticsearchEngine(client=client).search(SearchQuery(text="vai thieeu", on=DAY))
    [call] = client.calls
    reading = rewrite(["vai", "thieeu"], lambda words: words & VOCABULARY)
    assert reading.alternatives == [["vai"], ["thieeu", "thieu"]]
    assert call["index"] == "ocop-products"
    assert call["body"] == build_search(SearchQuery(text="vai thieeu", on=DAY), reading).to_dict()
    assert [h.product_id for h in results.hits] == [41, 57]
    assert results.suggestions == ["vai thiều"]


def test_client_asks_every_request_for_the_version_8_api(monkeypatch):
    seen = {}

    def record(self, method, path, *, headers=None, **kwargs):
        seen.update(headers)

    from elasticsearch import Elasticsearch

    monkeypatch.setattr(Elasticsearch, "perform_request", record)
    client = CompatibleElasticsearch("http://127.0.0.1:9200")
    client.perform_request(
        "PUT",
        "/_bulk",
        headers={"accept": "application/json", "content-type": "application/x-ndjson"},
    )
    assert seen == {
        "accept": "application/vnd.elasticsearch+json; compatible-with=8",
        "content-type": "application/vnd.elasticsearch+x-ndjson; compatible-with=8",
    }


def test_elasticsearch_engine_is_chosen_when_elasticsearch_url_is_set(settings):
    from catalog.search.base import get_search_engine

    settings.CATALOG_SEARCH_ENGINE = ""
    settings.ELASTICSEARCH_URL = ""
    settings.OPENSEARCH_URL = ""
    assert get_search_engine().name == "database"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200"  # no connection is made here
    assert get_search_engine().name == "elasticsearch"


def test_opensearch_url_selects_the_same_engine_speaking_through_opensearch_py(settings):
    import opensearchpy

    from catalog.search.base import get_search_engine

    settings.CATALOG_SEARCH_ENGINE = ""
    settings.ELASTICSEARCH_URL = ""
    settings.OPENSEARCH_URL = "http://127.0.0.1:9200"  # no connection is made here
    engine = get_search_engine()
    assert isinstance(engine, ElasticsearchEngine)
    assert engine.name == "opensearch"
    assert isinstance(engine.client, opensearchpy.OpenSearch)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9201"  # Elasticsearch wins when both are set
    engine = get_search_engine()
    assert engine.name == "elasticsearch"
    assert isinstance(engine.client, CompatibleElasticsearch)


def test_opensearch_engine_sends_the_same_body_and_reads_the_same_answer(settings):
    import opensearchpy

    class RecordingOpenSearch(opensearchpy.OpenSearch):
        def __init__(self):
            super().__init__("http://127.0.0.1:9200")
            self.calls = []

        def search(self, **kwargs):
            if "known" in kwargs["body"].get("aggs", {}):
                return vocabulary_answer(kwargs["body"])
            self.calls.append(kwargs)
            return SEARCH_RESPONSE

    settings.ELASTICSEARCH_INDEX_PREFIX = "ocop"
    client = RecordingOpenSearch()
    engine = ElasticsearchEngine(client=client)
    results = engine.search(SearchQuery(text="vai thieeu", on=DAY))
    assert engine.name == "opensearch"
    reading = rewrite(["vai", "thieeu"], lambda words: words & VOCABULARY)
    assert client.calls == [
        {
            "index": "ocop-products",
            "body": build_search(SearchQuery(text="vai thieeu", on=DAY), reading).to_dict(),
        }
    ]
    assert [h.product_id for h in results.hits] == [41, 57]
