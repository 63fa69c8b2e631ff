"""The Elasticsearch engine (Elasticsearch 8/9 or OpenSearch 2). Every call to the node lives
in this module.

Mapping, analyzers, queries and result handling are written once with `elasticsearch.dsl`
(shipped inside the `elasticsearch` 9.x client) and sent as plain dicts (`.to_dict()`) through
one of two wire clients, chosen by settings:

- `ELASTICSEARCH_URL`: `elasticsearch-py`. Requests ask for the version-8 REST API
  (`compatible-with=8`), which Elasticsearch 8 speaks natively and Elasticsearch 9 through REST
  API compatibility; the 9.x client alone would ask for version 9, which Elasticsearch 8 refuses.
- `OPENSEARCH_URL`: `opensearch-py` (`elasticsearch-py` refuses to talk to OpenSearch).

- Analysis: `folding` (standard tokenizer, lowercase, asciifolding: diacritics and đ → d),
  `exact` (lowercase only, to rank exact-accent matches first), `autocomplete` (folding plus
  edge n-grams, for suggestions).
- Search: each typed word is read as the catalogue words it may stand for
  (`correction.rewrite`: typos, Telex/VNI, loan spellings, words run together), looked up in
  the index's own vocabulary (the `words` keyword field); every word must match one of its
  readings in the combined `all_text` field. When nothing matches, the relaxed reading is
  tried, as on the database engine. Facets are filtered aggregations under `post_filter`, so
  each facet counts under the other facets' filters.
- Rebuild: fill a new timestamped index, then swap the alias atomically; search never
  goes down.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import opensearchpy
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch import Elasticsearch
from elasticsearch import NotFoundError as ElasticsearchNotFound
from elasticsearch import helpers as elasticsearch_helpers
from elasticsearch.dsl import (
    A,
    Boolean,
    Date,
    Index,
    Integer,
    Keyword,
    Mapping,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from catalog.search.base import Progress, SearchEngine
from catalog.search.correction import Rewrite, relaxed_reading, rewrite
from catalog.search.correction import conjunctions as word_conjunctions
from catalog.search.documents import (
    build_documents,
    iter_document_batches,
    searchable_pages,
    source_ids,
)
from catalog.search.query import (
    PRICE_BUCKETS,
    Hit,
    SearchQuery,
    SearchResults,
    Suggestion,
    did_you_mean,
)
from catalog.search.text import highlight, nfc, tokens

COMPATIBLE_WITH = 8
# Every page of a 100,000-product catalogue can be fetched; deeper pages get no hits.
MAX_RESULT_WINDOW = 100_000
FACET_FIELDS = {
    "group": "group_top_id",
    "subgroup": "group_id",
    "province": "province_code",
    "stars": "stars",
    "kind": "producer_kind",
}
FACET_SIZE = 200

# --- Index definition ------------------------------------------------------------------------

edge_ngram = token_filter("ocop_edge_ngram", type="edge_ngram", min_gram=1, max_gram=20)
folding = analyzer("folding", tokenizer="standard", filter=["lowercase", "asciifolding"])
exact = analyzer("exact", tokenizer="standard", filter=["lowercase"])
autocomplete = analyzer(
    "autocomplete", tokenizer="standard", filter=["lowercase", "asciifolding", edge_ngram]
)


def _text(**extra: Any) -> Text:
    return Text(analyzer=folding, fields={"exact": Text(analyzer=exact)}, **extra)


def mapping() -> Mapping:
    m = Mapping()
    m.field("product_id", Integer())
    m.field("translation_key", Keyword())
    m.field(
        "title",
        Text(
            analyzer=folding,
            copy_to="all_text",
            fields={
                "exact": Text(analyzer=exact),
                "autocomplete": Text(analyzer=autocomplete, search_analyzer=folding),
            },
        ),
    )
    m.field("summary", _text(copy_to="all_text"))
    m.field("producer_name", _text(copy_to="all_text"))
    m.field("body", _text(copy_to="all_text"))
    m.field("all_text", _text())
    m.field("title_sort", Keyword())  # the folded title: the listings' order by name
    m.field("words", Keyword())  # the folded vocabulary, for `correction.rewrite`
    for name in ("group_id", "group_top_id", "province_code", "stars", "min_price"):
        m.field(name, Integer())
    m.field("producer_kind", Keyword())
    m.field("in_stock", Boolean())
    m.field("variant_count", Integer())
    m.field("certified_until", Date(format="strict_date"))
    m.field("published_at", Date())
    m.field("image_id", Integer(index=False))
    return m


def index_definition(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=MAX_RESULT_WINDOW)
    index.analyzer(folding)
    index.analyzer(exact)
    index.analyzer(autocomplete)
    index.mapping(mapping())
    return index


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def new_index_name() -> str:
    return f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


# --- Client ----------------------------------------------------------------------------------

_MIMETYPE = re.compile(r"application/(json|x-ndjson)")


class CompatibleElasticsearch(Elasticsearch):
    """Asks for the version-8 REST API on every request (Elasticsearch 8 and 9 both answer)."""

    def perform_request(self, method, path, *, headers=None, **kwargs):
        if headers:
            headers = {
                key: _MIMETYPE.sub(
                    rf"application/vnd.elasticsearch+\1; compatible-with={COMPATIBLE_WITH}", value
                )
                if key.lower() in ("accept", "content-type")
                else value
                for key, value in headers.items()
            }
        return super().perform_request(method, path, headers=headers, **kwargs)


ELASTICSEARCH = "elasticsearch"
OPENSEARCH = "opensearch"


def configured_node() -> tuple[str, str]:
    """(product, url) from settings: `ELASTICSEARCH_URL` if set, else `OPENSEARCH_URL`."""
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        return ELASTICSEARCH, settings.ELASTICSEARCH_URL
    if getattr(settings, "OPENSEARCH_URL", ""):
        return OPENSEARCH, settings.OPENSEARCH_URL
    raise ImproperlyConfigured("Set ELASTICSEARCH_URL or OPENSEARCH_URL for the search node.")


def make_client(url: str | None = None, product: str | None = None):
    """The wire client for the configured node (or for `product` at `url`)."""
    if product is None:
        product, configured = configured_node()
        url = url or configured
    if product == OPENSEARCH:
        return opensearchpy.OpenSearch(url, timeout=10)
    return CompatibleElasticsearch(url, request_timeout=10)


def product_of(client) -> str:
    return OPENSEARCH if isinstance(client, opensearchpy.OpenSearch) else ELASTICSEARCH


def _body(response) -> dict:
    return dict(getattr(response, "body", response))


# --- Request bodies --------------------------------------------------------------------------


def facet_filters(query: SearchQuery) -> dict[str, Q]:
    filters: dict[str, Q] = {}
    for name, values in query.filters().items():
        if values:
            filters[name] = Q("terms", **{FACET_FIELDS[name]: list(values)})
    price: dict[str, int] = {}
    if query.price_min is not None:
        price["gte"] = query.price_min
    if query.price_max is not None:
        price["lte"] = query.price_max
    if price:
        filters["price"] = Q("range", min_price=price)
    return filters


def _all(filters: Iterable[Q]) -> Q:
    filters = list(filters)
    return Q("bool", filter=filters) if filters else Q("match_all")


def literal(words: list[str]) -> Rewrite:
    """The words read as typed (no vocabulary at hand)."""
    return Rewrite(alternatives=[[w] for w in words])


def _one_of(readings: list[str]) -> Q:
    options = [
        Q("match_phrase", all_text=r) if " " in r else Q("match", all_text=r)
        for r in dict.fromkeys(readings)
    ]
    return options[0] if len(options) == 1 else Q("bool", should=options, minimum_should_match=1)


def conjunctions(reading: Rewrite, loose: list[list[str]] | None) -> list[list[list[str]]]:
    """The word lists any of which may match: one, unless relaxed, where ONE word at a time
    may use its wider `loose` readings (one mistyped real syllable per query)."""
    return word_conjunctions(reading.alternatives, loose)


def text_query(
    text: str,
    reading: Rewrite,
    loose: list[list[str]] | None = None,
    any_word: bool = False,
) -> Q:
    """Every word must match one of its readings (any word with `any_word`); title matches
    weigh more and exact accents rank first."""
    if any_word:
        words = [_one_of(readings) for readings in reading.alternatives]
        must = [Q("bool", should=words, minimum_should_match=1)]
    else:
        options = [[_one_of(r) for r in words] for words in conjunctions(reading, loose)]
        if len(options) == 1:
            must = options[0]
        else:
            must = [Q("bool", should=[Q("bool", must=o) for o in options], minimum_should_match=1)]
    terms = reading.terms() | {t for alts in loose or [] for alt in alts for t in alt.split()}
    exact = " ".join(dict.fromkeys([nfc(text), *reading.accented]))
    return Q(
        "bool",
        must=must,
        should=[
            Q("match", title={"query": " ".join(sorted(terms)), "boost": 3}),
            Q("match", **{"all_text.exact": {"query": exact, "boost": 10}}),
        ],
    )


SORTS = {
    "relevance": ["_score", {"stars": "desc"}, {"published_at": "desc"}],
    "price_asc": [{"min_price": {"order": "asc", "missing": "_last"}}, {"product_id": "asc"}],
    "price_desc": [{"min_price": {"order": "desc", "missing": "_last"}}, {"product_id": "asc"}],
    "stars": [{"stars": "desc"}, "_score", {"published_at": "desc"}],
    "newest": [{"published_at": "desc"}, {"product_id": "desc"}],
    # An index built before the field existed sorts as if it were empty (no error): rebuild.
    "title": [
        {"title_sort": {"order": "asc", "unmapped_type": "keyword"}},
        {"product_id": "asc"},
    ],
}


def build_search(
    query: SearchQuery,
    reading: Rewrite | None = None,
    loose: list[list[str]] | None = None,
    index: str | None = None,
) -> Search:
    """The request for one page of results with every facet's counts.

    `reading` is how the words were read (`correction.rewrite`; as typed by default)."""
    s = Search(index=index or alias_name())
    in_force = Q("range", certified_until={"gte": query.on.isoformat()})
    if query.terms:
        reading = reading or literal(query.terms)
        text = text_query(query.text, reading, loose, any_word=query.match_any)
        s = s.query(Q("bool", must=[text], filter=[in_force]))
    else:
        s = s.query(Q("bool", filter=[in_force]))
    filters = facet_filters(query)
    if filters:
        s = s.post_filter(_all(filters.values()))
    for name, field_name in FACET_FIELDS.items():
        others = [f for facet, f in filters.items() if facet != name]
        agg = A("filter", filter=_all(others))
        agg.bucket("values", "terms", field=field_name, size=FACET_SIZE)
        s.aggs.bucket(name, agg)
    others = [f for facet, f in filters.items() if facet != "price"]
    price = A("filter", filter=_all(others))
    price.bucket(
        "values",
        "range",
        field="min_price",
        keyed=True,
        ranges=[
            {"key": str(i), "from": low, **({"to": high + 1} if high is not None else {})}
            for i, (low, high) in enumerate(PRICE_BUCKETS)
        ],
    )
    s.aggs.bucket("price", price)
    s = s.sort(*SORTS[query.effective_sort])
    if query.offset + query.page_size <= MAX_RESULT_WINDOW:
        s = s.extra(track_total_hits=True, from_=query.offset, size=query.page_size)
    else:  # past every page: counts only (the view then shows the last page)
        s = s.extra(track_total_hits=True, from_=0, size=0)
    s = s.source(excludes=["body", "all_text", "words"])
    if query.terms:
        s = s.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            number_of_fragments=0,
            require_field_match=False,
        ).highlight("title", "summary")
    return s


def build_suggest(text: str, on: dt.date, limit: int, index: str | None = None) -> Search:
    s = Search(index=index or alias_name())
    s = s.query(
        Q(
            "bool",
            must=[Q("match", **{"title.autocomplete": {"query": nfc(text), "operator": "and"}})],
            filter=[Q("range", certified_until={"gte": on.isoformat()})],
        )
    )
    s = s.sort("_score", {"stars": "desc"})
    return s.extra(size=limit).source(["product_id", "translation_key", "title"])


# --- Responses -------------------------------------------------------------------------------


def parse_search_response(
    response: dict, query: SearchQuery, reading: Rewrite | None = None
) -> SearchResults:
    """Turn the node's JSON answer into the engine-independent results."""
    reading = reading or literal(query.terms)
    hits = []
    for raw in response["hits"]["hits"]:
        src = raw["_source"]
        marked = raw.get("highlight", {})
        hits.append(
            Hit(
                product_id=src["product_id"],
                translation_key=src["translation_key"],
                title=src["title"],
                summary=src.get("summary", ""),
                producer_name=src.get("producer_name", ""),
                province_code=src["province_code"],
                group_id=src["group_id"],
                stars=src["stars"],
                min_price=src.get("min_price"),
                in_stock=bool(src.get("in_stock")),
                variant_count=src.get("variant_count", 0),
                image_id=src.get("image_id"),
                score=raw.get("_score") or 0.0,
                title_html=mark_safe(marked["title"][0])
                if "title" in marked
                else escape(src["title"]),
                summary_html=mark_safe(marked["summary"][0])
                if "summary" in marked
                else escape(src.get("summary", "")),
            )
        )
    total = response["hits"]["total"]
    total = total["value"] if isinstance(total, dict) else int(total)
    facets: dict[str, dict] = {}
    aggregations = response.get("aggregations", {})
    for name in FACET_FIELDS:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        facets[name] = {
            (b["key"] if name == "kind" else int(b["key"])): b["doc_count"]
            for b in buckets
            if b["doc_count"]
        }
    price_buckets = aggregations.get("price", {}).get("values", {}).get("buckets", {})
    if isinstance(price_buckets, list):
        price_buckets = {b["key"]: b for b in price_buckets}
    facets["price"] = {int(k): b["doc_count"] for k, b in price_buckets.items() if b["doc_count"]}
    return SearchResults(
        hits=hits,
        total=total,
        page=query.page,
        page_size=query.page_size,
        facets=facets,
        corrections=reading.corrections,
        suggestions=did_you_mean(query.text, reading.corrections, [h.title for h in hits[:3]]),
        matched_terms=reading.terms() or set(tokens(query.text)),
    )


def parse_suggest_response(response: dict, text: str) -> list[Suggestion]:
    words = tokens(text)
    complete, prefix = (words, "") if text.rstrip() != text else (words[:-1], words[-1:])
    out = []
    for raw in response["hits"]["hits"]:
        src = raw["_source"]
        out.append(
            Suggestion(
                text=src["title"],
                product_id=src["product_id"],
                translation_key=src["translation_key"],
                text_html=highlight(src["title"], set(complete), set(prefix)),
            )
        )
    return out


def vocabulary(document) -> list[str]:
    """The folded words of a document, as the database engine's vocabulary holds them."""
    return sorted(set(f"{document.title_folded} {document.body_folded}".split()))


def document_action(document, index: str) -> dict:
    body = {**document.as_dict(), "words": vocabulary(document)}
    return {"_op_type": "index", "_index": index, "_id": body["product_id"], "_source": body}


# --- The engine ------------------------------------------------------------------------------


class ElasticsearchEngine(SearchEngine):
    """One engine for both products; `name` says which node it talks to."""

    name = ELASTICSEARCH

    def __init__(self, client=None) -> None:
        self.client = client or make_client()
        self.name = product_of(self.client)
        if self.name == OPENSEARCH:
            self.helpers, self.not_found = opensearchpy.helpers, opensearchpy.NotFoundError
        else:
            self.helpers, self.not_found = elasticsearch_helpers, ElasticsearchNotFound

    def known_words(self, words: set[str]) -> set[str]:
        """Which of these folded words the indexed catalogue contains (`correction.Lookup`)."""
        wanted = sorted(w for w in words if len(w) <= 64)
        found: set[str] = set()
        for start in range(0, len(wanted), 4000):
            chunk = wanted[start : start + 4000]
            body = {
                "size": 0,
                "query": {"terms": {"words": chunk}},
                "aggs": {
                    "known": {"terms": {"field": "words", "include": chunk, "size": len(chunk)}}
                },
            }
            try:
                response = _body(self.client.search(index=alias_name(), body=body))
            except self.not_found:
                return set()
            found.update(b["key"] for b in response["aggregations"]["known"]["buckets"])
        return found

    def search(self, query: SearchQuery) -> SearchResults:
        """The strict reading of the words first; when it finds nothing, the relaxed one."""
        reading = rewrite(query.terms, self.known_words) if query.terms else literal([])
        results = self._search(query, reading)
        if not results.total and query.terms and not query.match_any:
            relaxed = relaxed_reading(query.terms, reading, self.known_words)
            for wider in relaxed.attempts:
                results = self._search(query, relaxed.reading, wider)
                results.relaxed = True
                if results.total:
                    break
        return results

    def _search(
        self, query: SearchQuery, reading: Rewrite, loose: list[list[str]] | None = None
    ) -> SearchResults:
        body = build_search(query, reading, loose).to_dict()
        try:
            response = self.client.search(index=alias_name(), body=body)
        except self.not_found:  # no index yet: nothing is searchable
            return SearchResults([], 0, query.page, query.page_size, {})
        return parse_search_response(_body(response), query, reading)

    def suggest(self, text: str, limit: int = 8) -> list[Suggestion]:
        if not tokens(text):
            return []
        body = build_suggest(text, timezone.localdate(), limit).to_dict()
        try:
            response = self.client.search(index=alias_name(), body=body)
        except self.not_found:
            return []
        return parse_suggest_response(_body(response), text)

    def _ensure_index(self) -> None:
        if not self.client.indices.exists_alias(name=alias_name()):
            self.rebuild()

    def index_products(self, product_ids: Iterable[int]) -> None:
        ids = source_ids(product_ids)
        if not ids:
            return
        self._ensure_index()
        documents = build_documents(searchable_pages().filter(pk__in=ids))
        indexed = {d.product_id for d in documents}
        actions = [document_action(d, alias_name()) for d in documents]
        actions += [
            {"_op_type": "delete", "_index": alias_name(), "_id": pk}
            for pk in ids
            if pk not in indexed
        ]
        self.helpers.bulk(self.client, actions, raise_on_error=False, refresh="wait_for")

    def remove_products(self, product_ids: Iterable[int]) -> None:
        actions = [{"_op_type": "delete", "_index": alias_name(), "_id": pk} for pk in product_ids]
        self.helpers.bulk(self.client, actions, raise_on_error=False, refresh="wait_for")

    def rebuild(self, progress: Progress | None = None) -> int:
        """Fill a new index, then point the alias at it in one atomic step."""
        name = new_index_name()
        self.create_index(name)
        count = 0
        for batch in iter_document_batches():
            self.helpers.bulk(self.client, (document_action(d, name) for d in batch))
            count += len(batch)
            if progress:
                progress(len(batch))
        self.client.indices.refresh(index=name)
        self.swap_alias(name)
        return count

    def create_index(self, name: str) -> None:
        self.client.indices.create(index=name, body=index_definition(name).to_dict())

    def bulk_index(self, documents, index: str | None = None) -> None:
        """Index ready-made documents (the benchmark's synthetic catalogue)."""
        self.helpers.bulk(
            self.client, (document_action(d, index or alias_name()) for d in documents)
        )

    def swap_alias(self, name: str) -> None:
        alias = alias_name()
        old = []
        if self.client.indices.exists_alias(name=alias):
            old = list(_body(self.client.indices.get_alias(name=alias)))
        actions = [{"remove": {"index": i, "alias": alias}} for i in old]
        actions.append({"add": {"index": name, "alias": alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)

    def drop_indices(self) -> None:
        """Delete every index of this prefix (tests and benchmarks)."""
        self.client.indices.delete(index=f"{alias_name()}-*", ignore_unavailable=True)

    def close(self) -> None:
        self.client.close()
