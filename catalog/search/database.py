"""The database search engine: SQLite FTS5 (embedded set-up) or PostgreSQL full-text search.

Both search the denormalised `SearchDocument` table (see models.py). Only the text match and
its rank differ by vendor; filters, facet counts, sorting and paging are one portable SQL.

Steps of a search:
1. fold the query; look each word of five letters or more up in the vocabulary
   (`SearchTerm`) and, when it is unknown, search the catalogue words one edit away instead;
2. one statement counts every facet (each under all the *other* active filters) and the total;
3. one statement fetches the page: accented query words found verbatim rank first
   ("mắm" before "mâm"), then text relevance, stars and recency.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from catalog.search.base import Progress, SearchEngine
from catalog.search.documents import (
    build_documents,
    iter_document_batches,
    searchable_pages,
    source_ids,
)
from catalog.search.models import SearchDocument, SearchTerm
from catalog.search.query import (
    PRICE_BUCKETS,
    Hit,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from catalog.search.text import TYPO_MIN_LENGTH, edits1, highlight, tokens

TABLE = SearchDocument._meta.db_table
FTS_TABLE = "catalog_search_fts"
HIT_COLUMNS = (
    "product_id",
    "translation_key",
    "title",
    "summary",
    "producer_name",
    "province_code",
    "group_id",
    "stars",
    "min_price",
    "in_stock",
    "variant_count",
    "image_id",
)
# Facet name → the document column it counts.
FACET_COLUMNS = {
    "group": "group_top_id",
    "subgroup": "group_id",
    "province": "province_code",
    "stars": "stars",
    "kind": "producer_kind",
}


@dataclass
class TextMatch:
    """A parsed text query: for each word, the catalogue words that may stand for it."""

    alternatives: list[list[str]]
    prefix: str = ""  # the last word, matched as a prefix (suggestions)
    title_only: bool = False

    @property
    def empty(self) -> bool:
        return not self.alternatives and not self.prefix

    def terms(self) -> set[str]:
        return {t for alts in self.alternatives for t in alts}


class Dialect:
    """The vendor-specific SQL of the text match."""

    def source(self) -> str:
        raise NotImplementedError

    def match(self, text: TextMatch) -> tuple[str, list]:
        raise NotImplementedError

    def rank(self, text: TextMatch) -> tuple[str, list]:
        raise NotImplementedError

    def contains(self) -> str:
        raise NotImplementedError


class SQLiteDialect(Dialect):
    def source(self) -> str:
        return f"{FTS_TABLE} JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid"

    @staticmethod
    def expression(text: TextMatch) -> str:
        parts = ["(" + " OR ".join(f'"{t}"' for t in alts) + ")" for alts in text.alternatives]
        if text.prefix:
            parts.append(f'"{text.prefix}"*')
        expression = " AND ".join(parts)
        return f"title_folded : ({expression})" if text.title_only else expression

    def match(self, text: TextMatch) -> tuple[str, list]:
        return f"{FTS_TABLE} MATCH %s", [self.expression(text)]

    def rank(self, text: TextMatch) -> tuple[str, list]:
        # bm25() is lower-is-better; title words weigh ten times the rest.
        return f"-bm25({FTS_TABLE}, 10.0, 1.0)", []

    def contains(self) -> str:
        return "instr(d.exact_text, %s) > 0"


class PostgreSQLDialect(Dialect):
    def source(self) -> str:
        return f"{TABLE} d"

    @staticmethod
    def expression(text: TextMatch) -> str:
        weight = "A" if text.title_only else ""  # weight A = the title
        parts = [
            "(" + " | ".join(f"{t}:{weight}" if weight else t for t in alts) + ")"
            for alts in text.alternatives
        ]
        if text.prefix:
            parts.append(f"{text.prefix}:*{weight}")
        return " & ".join(parts)

    def match(self, text: TextMatch) -> tuple[str, list]:
        return "d.search_vector @@ to_tsquery('simple', %s)", [self.expression(text)]

    def rank(self, text: TextMatch) -> tuple[str, list]:
        return "ts_rank(d.search_vector, to_tsquery('simple', %s))", [self.expression(text)]

    def contains(self) -> str:
        return "strpos(d.exact_text, %s) > 0"


def dialect() -> Dialect:
    if connection.vendor == "postgresql":
        return PostgreSQLDialect()
    if connection.vendor == "sqlite":
        return SQLiteDialect()
    raise NotImplementedError(f"No database search for {connection.vendor}")


def price_case(column: str = "min_price") -> str:
    whens = []
    for i, (low, high) in enumerate(PRICE_BUCKETS):
        cond = f"{column} >= {int(low)}" + (f" AND {column} <= {int(high)}" if high else "")
        whens.append(f"WHEN {cond} THEN {i}")
    return f"CASE {' '.join(whens)} END"


def filter_clauses(query: SearchQuery, alias: str = "") -> dict[str, tuple[str, list]]:
    """Each active facet's WHERE clause, keyed by facet name."""
    p = f"{alias}." if alias else ""
    clauses: dict[str, tuple[str, list]] = {}
    for name, values in query.filters().items():
        if values:
            marks = ", ".join(["%s"] * len(values))
            clauses[name] = (f"{p}{FACET_COLUMNS[name]} IN ({marks})", list(values))
    price = []
    params: list = []
    if query.price_min is not None:
        price.append(f"{p}min_price >= %s")
        params.append(query.price_min)
    if query.price_max is not None:
        price.append(f"{p}min_price <= %s")
        params.append(query.price_max)
    if price:
        clauses["price"] = (" AND ".join(price), params)
    return clauses


def where(clauses: Iterable[tuple[str, list]]) -> tuple[str, list]:
    sql, params = [], []
    for clause, clause_params in clauses:
        sql.append(f"({clause})")
        params += clause_params
    return (" AND ".join(sql) or "1 = 1"), params


def _uuid(value) -> str:
    """Raw SQL returns SQLite's dashless UUID text: normalise it."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def expand_terms(words: list[str], prefix: str = "") -> tuple[TextMatch, dict[str, list[str]]]:
    """Replace unknown words of five letters or more by catalogue words one edit away."""
    candidates = {w: edits1(w) for w in words if len(w) >= TYPO_MIN_LENGTH}
    lookup = set(candidates)
    for edits in candidates.values():
        lookup |= edits
    known: set[str] = set()
    if lookup:
        known = set(SearchTerm.objects.filter(term__in=lookup).values_list("term", flat=True))
    alternatives, corrections = [], {}
    for word in words:
        if word in candidates and word not in known:
            found = sorted(candidates[word] & known)
            if found:
                corrections[word] = found
            alternatives.append([word, *found])
        else:
            alternatives.append([word])
    return TextMatch(alternatives, prefix), corrections


class DatabaseEngine(SearchEngine):
    name = "database"

    # -- searching --------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        text, corrections = expand_terms(query.terms)
        sql_dialect = dialect()
        facets, total = self._facet_counts(sql_dialect, query, text)
        hits = self._page(sql_dialect, query, text) if total else []
        terms = text.terms()
        for hit in hits:
            hit.title_html = highlight(hit.title, terms)
            hit.summary_html = highlight(hit.summary, terms)
        suggestions = []
        if corrections:
            suggestions.append(" ".join(corrections.get(w, [w])[0] for w in tokens(query.text)))
        return SearchResults(
            hits=hits,
            total=total,
            page=query.page,
            page_size=query.page_size,
            facets=facets,
            corrections=corrections,
            suggestions=suggestions,
            matched_terms=terms,
        )

    def _base(self, sql_dialect: Dialect, query: SearchQuery, text: TextMatch):
        """FROM and WHERE of the documents matching the text and in force on the day."""
        if text.empty:
            return f"{TABLE} d", "d.certified_until >= %s", [query.on]
        match_sql, match_params = sql_dialect.match(text)
        return (
            sql_dialect.source(),
            f"{match_sql} AND d.certified_until >= %s",
            [*match_params, query.on],
        )

    def _facet_counts(self, sql_dialect: Dialect, query: SearchQuery, text: TextMatch):
        source, base_where, params = self._base(sql_dialect, query, text)
        columns = ", ".join(f"d.{c} AS {c}" for c in [*FACET_COLUMNS.values(), "min_price"])
        materialized = "" if text.empty else "MATERIALIZED "
        sql = [f"WITH m AS {materialized}(SELECT {columns} FROM {source} WHERE {base_where})"]
        clauses = filter_clauses(query)
        branches = []
        for name, column in [*FACET_COLUMNS.items(), ("price", price_case())]:
            others = [c for facet, c in clauses.items() if facet != name]
            where_sql, where_params = where(others)
            branches.append(
                f"SELECT '{name}' AS facet, CAST({column} AS TEXT) AS value, COUNT(*) AS n "
                f"FROM m WHERE {where_sql} GROUP BY {column}"
            )
            params += where_params
        where_sql, where_params = where(clauses.values())
        branches.append(f"SELECT 'total', '', COUNT(*) FROM m WHERE {where_sql}")
        params += where_params
        sql.append(" UNION ALL ".join(branches))
        facets: dict[str, dict] = {name: {} for name in [*FACET_COLUMNS, "price"]}
        total = 0
        with connection.cursor() as cursor:
            cursor.execute(" ".join(sql), params)
            for facet, value, count in cursor.fetchall():
                if facet == "total":
                    total = count
                elif value is not None:
                    facets[facet][value if facet == "kind" else int(value)] = count
        return facets, total

    def _page(self, sql_dialect: Dialect, query: SearchQuery, text: TextMatch) -> list[Hit]:
        select = [f"d.{c}" for c in HIT_COLUMNS]
        params: list = []
        if text.empty:
            select.append("0 AS score")
        else:
            rank_sql, rank_params = sql_dialect.rank(text)
            select.append(f"{rank_sql} AS score")
            params += rank_params
        accented = query.accented if not text.empty else []
        if accented:
            select.append(
                "("
                + " + ".join(
                    f"CASE WHEN {sql_dialect.contains()} THEN 1 ELSE 0 END" for _ in accented
                )
                + ") AS bonus"
            )
            params += [f" {w} " for w in accented]
        else:
            select.append("0 AS bonus")
        source, base_where, base_params = self._base(sql_dialect, query, text)
        params += base_params
        where_sql, where_params = where(filter_clauses(query, "d").values())
        params += where_params
        order = {
            "relevance": "bonus DESC, score DESC, d.stars DESC, d.published_at DESC, d.id",
            "price_asc": "d.min_price IS NULL, d.min_price ASC, d.id",
            "price_desc": "d.min_price IS NULL, d.min_price DESC, d.id",
            "stars": "d.stars DESC, bonus DESC, score DESC, d.published_at DESC, d.id",
            "newest": "d.published_at DESC, d.id DESC",
        }[query.effective_sort]
        sql = (
            f"SELECT {', '.join(select)} FROM {source} WHERE {base_where} AND {where_sql} "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params += [query.page_size, query.offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        hits = []
        for row in rows:
            values = dict(zip(HIT_COLUMNS, row, strict=False))
            values["translation_key"] = _uuid(values["translation_key"])
            values["in_stock"] = bool(values["in_stock"])
            hits.append(Hit(**values, score=float(row[len(HIT_COLUMNS)] or 0)))
        return hits

    def suggest(self, text: str, limit: int = 8) -> list[Suggestion]:
        words = tokens(text)
        if not words:
            return []
        complete, prefix = (words, "") if text.rstrip() != text else (words[:-1], words[-1])
        match, _ = expand_terms(complete, prefix)
        match.title_only = True
        sql_dialect = dialect()
        query = SearchQuery(text=text)
        source, base_where, params = self._base(sql_dialect, query, match)
        rank_sql, rank_params = sql_dialect.rank(match)
        sql = (
            f"SELECT d.product_id, d.translation_key, d.title, {rank_sql} AS score "
            f"FROM {source} WHERE {base_where} "
            f"ORDER BY score DESC, d.stars DESC, d.title LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*rank_params, *params, limit])
            rows = cursor.fetchall()
        terms = match.terms()
        prefixes = {prefix} if prefix else set()
        return [
            Suggestion(
                text=title,
                product_id=product_id,
                translation_key=_uuid(key),
                text_html=highlight(title, terms, prefixes),
            )
            for product_id, key, title, _score in rows
        ]

    # -- indexing ---------------------------------------------------------------------------

    def index_products(self, product_ids: Iterable[int]) -> None:
        ids = source_ids(product_ids)
        if not ids:
            return
        with transaction.atomic():
            documents = build_documents(searchable_pages().filter(pk__in=ids))
            SearchDocument.objects.filter(product_id__in=ids).delete()
            self.store(documents)

    def store(self, documents: list[SearchDocument], batch_size: int = 1000) -> None:
        """Insert documents and add their words to the vocabulary (used by the benchmark too)."""
        SearchDocument.objects.bulk_create(documents, batch_size=batch_size)
        words = {t for d in documents for t in f"{d.title_folded} {d.body_folded}".split()}
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in sorted(words) if len(w) <= 64],
            batch_size=batch_size,
            ignore_conflicts=True,
        )

    def rebuild(self, progress: Progress | None = None) -> int:
        """Replace every document in one transaction: readers see the old index until commit."""
        count = 0
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            SearchTerm.objects.all().delete()
            for batch in iter_document_batches():
                self.store(batch)
                count += len(batch)
                if progress:
                    progress(len(batch))
        self.optimize()
        return count

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
                cursor.execute(f"ANALYZE {TABLE}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {TABLE}")
