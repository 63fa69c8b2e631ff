"""The database search engine: SQLite FTS5 (embedded set-up) or PostgreSQL full-text search.

Both search the denormalised `SearchDocument` table (see models.py). Only the text match and
its rank differ by vendor; filters, facet counts, sorting and paging are one portable SQL.

Steps of a search:
1. fold the query; look each word of five letters or more up in the vocabulary
   (`SearchTerm`) and, when it is unknown, search the catalogue words one edit away instead;
2. one statement counts every facet (each under all the *other* active filters) and the total;
3. the page: accented query words found verbatim rank first ("mắm" before "mâm"), then text
   relevance, stars and recency.

A broad query (more than `DatabaseEngine.rank_limit` matches, e.g. "nuoc mam" at 100,000
products) is not scored match by match: its matches fall into tiers held as bitsets (how many
accented words each holds verbatim, then whether the title holds every word), each tier in
stars-then-date order; the same order the scoring gives to documents of equal text relevance.
Otherwise SQLite returns (id, bm25) per match and Python orders the page (the exact-accent bonus is an
FTS5 look-up per accented word). PostgreSQL orders every match inside the one statement that
finds them (ts_rank, the accent bonus as `strpos` on the same rows, stars, date) and returns a
single array of ids: one pass over the matching rows, no per-row round trip or Python sort.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from catalog.search.base import Progress, SearchEngine
from catalog.search.correction import Rewrite, conjunctions, relaxed_reading, rewrite
from catalog.search.documents import (
    build_documents,
    iter_document_batches,
    searchable_pages,
    source_ids,
)
from catalog.search.facets import FACET_NAMES, FacetIndex, count_levels
from catalog.search.models import SearchDocument, SearchIndexState, SearchTerm
from catalog.search.query import (
    Hit,
    SearchQuery,
    SearchResults,
    Suggestion,
    did_you_mean,
)
from catalog.search.text import highlight, tokens

TABLE = SearchDocument._meta.db_table
UNREAD = object()  # the index version not read yet (None means "no version row")
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

    # Per word, folded catalogue words or phrases ("ca phe"), any of which may match.
    alternatives: list[list[str]]
    prefix: str = ""  # the last word, matched as a prefix (suggestions)
    title_only: bool = False
    any_word: bool = False  # OR across words instead of AND (nearest products)
    # Relaxed reading: per word, wider alternatives, of which ONE word at a time may use its
    # own (the others keep their strict alternatives): one mistyped real syllable per query.
    loose: list[list[str]] | None = None

    @property
    def empty(self) -> bool:
        return not self.alternatives and not self.prefix

    def terms(self) -> set[str]:
        every = [*self.alternatives, *(self.loose or [])]
        return {t for alts in every for alt in alts for t in alt.split()}

    def conjunctions(self) -> list[list[list[str]]]:
        """The word lists any of which may match (one, unless relaxed)."""
        return conjunctions(self.alternatives, self.loose)


class Dialect:
    """The vendor-specific SQL of the text match."""

    # Whether `ranked()` finds (and orders) the matches in SQL (else `_matches` + Python).
    ranks_in_sql = False
    # Text compared code point by code point (the order by name; as Python and the node sort).
    binary = ""

    def ranked(self, text: TextMatch, accented: list[str], sort: str) -> tuple[str, list]:
        raise NotImplementedError

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
        # A quoted string of several words is an FTS5 phrase ("ca phe").
        def conjunction(alternatives: list[list[str]]) -> str:
            parts = ["(" + " OR ".join(f'"{t}"' for t in alts) + ")" for alts in alternatives]
            if text.prefix:
                parts.append(f'"{text.prefix}"*')
            return "(" + (" OR " if text.any_word else " AND ").join(parts) + ")"

        expression = " OR ".join(conjunction(c) for c in text.conjunctions())
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

        def term(alt: str) -> str:  # a phrase "ca phe" → ca <-> phe
            return " <-> ".join(f"{t}:{weight}" if weight else t for t in alt.split())

        def conjunction(alternatives: list[list[str]]) -> str:
            parts = ["(" + " | ".join(f"({term(t)})" for t in alts) + ")" for alts in alternatives]
            if text.prefix:
                parts.append(f"{text.prefix}:*{weight}")
            return "(" + (" | " if text.any_word else " & ").join(parts) + ")"

        return " | ".join(conjunction(c) for c in text.conjunctions())

    def match(self, text: TextMatch) -> tuple[str, list]:
        return "d.search_vector @@ to_tsquery('simple', %s)", [self.expression(text)]

    def rank(self, text: TextMatch) -> tuple[str, list]:
        return "ts_rank(d.search_vector, to_tsquery('simple', %s))", [self.expression(text)]

    def contains(self) -> str:
        return "strpos(d.exact_text, %s) > 0"

    ranks_in_sql = True
    binary = ' COLLATE "C"'  # the database's collation may skip spaces ("ba kich" ~ "bakich")

    def ranked(self, text: TextMatch, accented: list[str], sort: str) -> tuple[str, list]:
        """Every matching id as one array, in result order for the relevance and stars sorts.

        The order is the one `DatabaseEngine._page_ids` applies in Python for SQLite: exact-
        accent bonus, ts_rank, stars, publication date (newest first), id; stars first for
        the "stars" sort. The bonus (how many accented query words the document contains
        verbatim) is computed on the rows the match already reads, instead of one more scan
        per accented word.
        """
        match_sql, match_params = self.match(text)
        if sort not in ("relevance", "stars"):  # the order comes from the facet index
            return f"SELECT array_agg(d.id) FROM {self.source()} WHERE {match_sql}", match_params
        rank_sql, rank_params = self.rank(text)
        bonus_sql = " + ".join(f"({self.contains()})::int" for _ in accented) or "0"
        bonus_params = [f" {word} " for word in accented]
        relevance = "bonus DESC, score DESC"
        order = (
            f"stars DESC, {relevance}, published_at DESC, id"
            if sort == "stars"
            else f"{relevance}, stars DESC, published_at DESC, id"
        )
        sql = (
            f"SELECT array_agg(id ORDER BY {order}) FROM ("
            f"SELECT d.id, d.stars, d.published_at, {bonus_sql} AS bonus, {rank_sql} AS score "
            f"FROM {self.source()} WHERE {match_sql}) AS matches"
        )
        return sql, [*bonus_params, *rank_params, *match_params]


def dialect() -> Dialect:
    if connection.vendor == "postgresql":
        return PostgreSQLDialect()
    if connection.vendor == "sqlite":
        return SQLiteDialect()
    raise NotImplementedError(f"No database search for {connection.vendor}")


def _datetime(value):
    """SQLite returns timestamps as text from raw SQL."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def _uuid(value) -> str:
    """Raw SQL returns SQLite's dashless UUID text: normalise it."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def expand_terms(
    words: list[str], known, prefix: str = "", relaxed: bool = False
) -> tuple[TextMatch, Rewrite]:
    """Read each word as the catalogue words it may stand for (`correction.rewrite`), `known`
    telling which folded words the catalogue holds (`DatabaseEngine.vocabulary`)."""
    reading = rewrite(words, known, relaxed=relaxed)
    return TextMatch(reading.alternatives, prefix), reading


class DatabaseEngine(SearchEngine):
    name = "database"

    # -- searching --------------------------------------------------------------------------

    _facet_indexes: dict = {}
    _vocabularies: dict = {}
    # Up to this many matches are ordered by text relevance (bm25 / ts_rank); more (a broad
    # query such as "nuoc mam") by tiers computed as bitsets: exact accents, then every word
    # in the title, then stars and date. Scoring each of ~9,000 matches cost most of a search.
    rank_limit = 2000

    def search(self, query: SearchQuery) -> SearchResults:
        """The strict reading of the words first; when it finds nothing, the relaxed one."""
        state = self._state()

        def known(words: set[str]) -> set[str]:  # loaded only when a query has words
            return self.vocabulary(state).intersection(words) if words else set()

        text, reading = expand_terms(query.terms, known)
        results = self._search(query, text, reading, state)
        if not results.total and query.terms and not query.match_any:
            relaxed = relaxed_reading(query.terms, reading, known)
            for wider in relaxed.attempts:
                attempt = TextMatch(relaxed.reading.alternatives, loose=wider)
                results = self._search(query, attempt, relaxed.reading, state)
                results.relaxed = True
                if results.total:
                    break
        return results

    def _search(
        self, query: SearchQuery, text: TextMatch, reading: Rewrite, state=UNREAD
    ) -> SearchResults:
        text.any_word = query.match_any
        accented = list(dict.fromkeys([*query.accented, *reading.accented]))
        sql_dialect = dialect()
        facet_index = self.facet_index(state)
        base = facet_index.in_force(query.on)
        matches: list[tuple[int, float]] = []
        ranked: list[int] | None = None  # every match, in result order if scored (PostgreSQL)
        tiers: list[int] | None = None  # SQLite, many matches: groups of equal relevance
        if not text.empty:
            sort = query.effective_sort
            scored = sort in ("relevance", "stars")
            ids, in_title, exact = self._match_sets(sql_dialect, text, accented, scored)
            base &= facet_index.of_ids(ids)
            if scored and len(ids) > self.rank_limit:
                tiers = self._tiers(sql_dialect, text, accented, facet_index, base, in_title, exact)
            elif scored and sql_dialect.ranks_in_sql:
                ranked = self._ranked(sql_dialect, text, accented, sort) if ids else []
            elif scored:
                matches = self._matches(sql_dialect, text)
        filters: dict[str, int] = {}
        for name, values in query.filters().items():
            if values:
                filters[name] = facet_index.union(name, values)
        if query.price_min is not None or query.price_max is not None:
            filters["price"] = facet_index.price_range(query.price_min, query.price_max)
        facets = {}
        for name in FACET_NAMES:
            mask = base
            for other, other_mask in filters.items():
                if other != name:
                    mask &= other_mask
            facets[name] = facet_index.counts(name, mask)
        final = base
        for other_mask in filters.values():
            final &= other_mask
        total = final.bit_count()
        ids = (
            self._page_ids(
                sql_dialect, query, text, matches, facet_index, final, ranked, accented, tiers
            )
            if total
            else []
        )
        hits = self._hits(ids)
        terms = text.terms()
        for hit in hits:
            hit.title_html = highlight(hit.title, terms)
            hit.summary_html = highlight(hit.summary, terms)
        return SearchResults(
            hits=hits,
            total=total,
            page=query.page,
            page_size=query.page_size,
            facets=facets,
            corrections=reading.corrections,
            suggestions=did_you_mean(query.text, reading.corrections, [h.title for h in hits[:3]]),
            matched_terms=terms,
        )

    @staticmethod
    def _state():
        """The documents' version: a new random token at every write (`touch`)."""
        return SearchIndexState.objects.values_list("token", flat=True).first()

    def vocabulary(self, state=UNREAD) -> frozenset[str]:
        """Every folded catalogue word, held in memory until the documents change: reading a
        typo, Telex or VNI looks up dozens to hundreds of candidate spellings."""
        if state is UNREAD:
            state = self._state()
        key = (connection.alias, str(connection.settings_dict["NAME"]))
        cached = self._vocabularies.get(key)
        if cached is not None and cached[0] == state and state is not None:
            return cached[1]
        words = frozenset(SearchTerm.objects.values_list("term", flat=True))
        self._vocabularies[key] = (state, words)
        return words

    def facet_index(self, state=UNREAD) -> FacetIndex:
        """The facet bitsets of the current documents, reloaded when they changed."""
        if state is UNREAD:
            state = self._state()
        key = (connection.alias, str(connection.settings_dict["NAME"]))
        cached = self._facet_indexes.get(key)
        if cached is not None and cached[0] == state and state is not None:
            return cached[1]
        # The outdated index goes first: two at once would double a worker's peak memory.
        self._facet_indexes.pop(key, None)
        cached = None
        # Rows are read one at a time (never a list of them all: a transient peak of several
        # MiB at 10,000 documents, kept by the allocator as the worker's RSS).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, group_top_id, group_id, province_code, stars, producer_kind, "
                f"min_price, certified_until, published_at FROM {TABLE} ORDER BY id"
            )
            rows = iter(cursor)
            if connection.vendor == "sqlite":
                rows = ((*r[:7], r[7], _datetime(r[8])) for r in rows)
            index = FacetIndex.from_rows(rows)
        with connection.cursor() as cursor:  # by name: the catalogue listings' order
            cursor.execute(f"SELECT id FROM {TABLE} ORDER BY title_folded{dialect().binary}, id")
            index.add_order("title", (row[0] for row in cursor))
        self._facet_indexes[key] = (state, index)
        return index

    def _matches(
        self, sql_dialect: Dialect, text: TextMatch, scored: bool = True
    ) -> list[tuple[int, float]]:
        """(document id, relevance) of every document matching the words."""
        match_sql, match_params = sql_dialect.match(text)
        rank_sql, rank_params = sql_dialect.rank(text) if scored else ("0", [])
        with connection.cursor() as cursor:
            # SQLite: the FTS table alone answers (no read of the wide document rows).
            source, pk = (
                (FTS_TABLE, "rowid") if connection.vendor == "sqlite" else (f"{TABLE} d", "d.id")
            )
            cursor.execute(
                f"SELECT {pk}, {rank_sql} FROM {source} WHERE {match_sql}",
                [*rank_params, *match_params],
            )
            return cursor.fetchall()

    def _match_ids(self, sql_dialect: Dialect, text: TextMatch) -> list[int]:
        """The ids of every document matching the words (SQLite: the FTS table alone)."""
        match_sql, match_params = sql_dialect.match(text)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {match_sql}", match_params)
                return [pk for (pk,) in cursor.fetchall()]
            cursor.execute(
                f"SELECT array_agg(d.id) FROM {sql_dialect.source()} WHERE {match_sql}",
                match_params,
            )
            row = cursor.fetchone()
            return (row[0] or []) if row else []

    def _match_sets(
        self, sql_dialect: Dialect, text: TextMatch, accented: list[str], scored: bool
    ) -> tuple[list[int], list[int] | None, list[list[int]] | None]:
        """The matching ids; on PostgreSQL, for a scored sort, also those whose title holds
        every word and, per accented word, those holding it verbatim: one pass over the
        matching rows (PostgreSQL reads each matching row's tsvector whatever it is asked,
        so four questions in four statements cost four times one)."""
        if not (scored and sql_dialect.ranks_in_sql):
            return self._match_ids(sql_dialect, text), None, None
        match_sql, match_params = sql_dialect.match(text)
        title_sql, title_params = sql_dialect.match(dataclasses.replace(text, title_only=True))
        columns = [
            "array_agg(d.id)",
            f"array_agg(d.id) FILTER (WHERE {title_sql})",
            *(f"array_agg(d.id) FILTER (WHERE {sql_dialect.contains()})" for _ in accented),
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {sql_dialect.source()} WHERE {match_sql}",
                [*title_params, *(f" {word} " for word in accented), *match_params],
            )
            row = cursor.fetchone()
        ids, in_title, *exact = (values or [] for values in row)
        return ids, in_title, exact

    def _tiers(
        self, sql_dialect, text, accented, facet_index, matched: int, in_title=None, exact=None
    ) -> list[int]:
        """The matches in groups of equal relevance, best first: by how many accented words
        each holds verbatim, then whether the title holds every word (many matches). The id
        lists come from `_match_sets` where it gave them (PostgreSQL), else are looked up."""
        if in_title is None:
            in_title = self._match_ids(sql_dialect, dataclasses.replace(text, title_only=True))
        if exact is None:
            exact = self._exact_ids(sql_dialect, text, accented)
        in_title = facet_index.of_ids(in_title)
        exact = [facet_index.of_ids(ids) for ids in exact]
        return [
            group
            for level in count_levels(exact, matched)
            for group in (level & in_title, level & ~in_title)
        ]

    def _exact_ids(self, sql_dialect, text: TextMatch, words: list[str]) -> list[list[int]]:
        """Per accented word, the matching documents holding it verbatim."""
        out = []
        with connection.cursor() as cursor:
            for word in words:
                if connection.vendor == "sqlite":  # its own FTS table of exact words
                    cursor.execute(
                        f"SELECT rowid FROM {FTS_TABLE}_exact WHERE {FTS_TABLE}_exact MATCH %s",
                        ['"' + word.replace('"', "") + '"'],
                    )
                    out.append([pk for (pk,) in cursor.fetchall()])
                    continue
                match_sql, match_params = sql_dialect.match(text)
                cursor.execute(
                    f"SELECT d.id FROM {sql_dialect.source()} "
                    f"WHERE {match_sql} AND {sql_dialect.contains()}",
                    [*match_params, f" {word} "],
                )
                out.append([pk for (pk,) in cursor.fetchall()])
        return out

    def _ranked(self, sql_dialect: Dialect, text: TextMatch, accented, sort) -> list[int]:
        sql, params = sql_dialect.ranked(text, accented, sort)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return (row[0] or []) if row else []

    def _accent_bonus(self, sql_dialect: Dialect, text: TextMatch, words: list[str]) -> dict:
        """Per matching document, how many accented query words it contains verbatim."""
        bonus: dict[int, int] = {}
        for ids in self._exact_ids(sql_dialect, text, words):
            for pk in ids:
                bonus[pk] = bonus.get(pk, 0) + 1
        return bonus

    def _page_ids(
        self,
        sql_dialect,
        query,
        text,
        matches,
        facet_index,
        final,
        ranked=None,
        accented=None,
        tiers=None,
    ) -> list[int]:
        sort = query.effective_sort
        if text.empty or sort not in ("relevance", "stars"):
            order = "newest" if sort == "relevance" else sort
            return facet_index.take(order, final, query.offset, query.page_size)
        if tiers is not None:  # within a tier of one star rating: newest first, then id
            if sort == "stars":
                levels = sorted(facet_index.bits["stars"].items(), reverse=True)
                rated = 0
                for _, bits in levels:
                    rated |= bits
                by_stars = [bits for _, bits in levels] + [facet_index.all & ~rated]
                tiers = [tier & stars for stars in by_stars for tier in tiers]
            groups = [tier & final for tier in tiers]
            return facet_index.take_in_groups("stars", groups, query.offset, query.page_size)
        inside = facet_index.contains(final)
        if ranked is not None:  # already in result order: keep those the filters let through
            page: list[int] = []
            skipped = 0
            for pk in ranked:
                if inside(pk):
                    if skipped < query.offset:
                        skipped += 1
                        continue
                    page.append(pk)
                    if len(page) >= query.page_size:
                        break
            return page
        candidates = [(pk, score) for pk, score in matches if inside(pk)]
        accented = query.accented if accented is None else accented
        bonus = self._accent_bonus(sql_dialect, text, accented) if accented else {}
        position, stars, published = (
            facet_index.position,
            facet_index.stars,
            facet_index.published,
        )

        def key(item):
            pk, score = item
            p = position[pk]
            relevance = (-bonus.get(pk, 0), -float(score or 0))
            tail = (-published[p], pk)
            if sort == "stars":
                return (-stars[p], *relevance, *tail)
            return (*relevance, -stars[p], *tail)

        best = heapq.nsmallest(query.offset + query.page_size, candidates, key=key)
        return [pk for pk, _ in best[query.offset :]]

    def _hits(self, ids: list[int]) -> list[Hit]:
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        columns = ", ".join(f"d.{c}" for c in HIT_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.id, {columns} FROM {TABLE} d WHERE d.id IN ({marks})", ids)
            rows = {row[0]: row[1:] for row in cursor.fetchall()}
        hits = []
        for pk in ids:
            if pk not in rows:  # deleted since the facet index was loaded
                continue
            values = dict(zip(HIT_COLUMNS, rows[pk], strict=True))
            values["translation_key"] = _uuid(values["translation_key"])
            values["in_stock"] = bool(values["in_stock"])
            hits.append(Hit(**values))
        return hits

    def suggest(self, text: str, limit: int = 8) -> list[Suggestion]:
        """Distinct titles whose words start with what was typed (the last word a prefix).

        No relevance sort: the first matches found are taken, so the cost stays flat however
        many products share a prefix; they are then ordered by stars and length.
        """
        words = tokens(text)
        if not words:
            return []
        complete, prefix = (words, "") if text.rstrip() != text else (words[:-1], words[-1])
        match, _ = expand_terms(complete, self.vocabulary().intersection, prefix)
        match.title_only = True
        sql_dialect = dialect()
        match_sql, match_params = sql_dialect.match(match)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.product_id, d.translation_key, d.title, d.stars "
                f"FROM {sql_dialect.source()} WHERE {match_sql} AND d.certified_until >= %s "
                f"LIMIT %s",
                [*match_params, timezone.localdate(), limit * 8],
            )
            rows = cursor.fetchall()
        rows.sort(key=lambda r: (-r[3], len(r[2]), r[2]))
        terms = match.terms()
        prefixes = {prefix} if prefix else set()
        seen: set[str] = set()
        out = []
        for product_id, key, title, _stars in rows:
            if title in seen:
                continue
            seen.add(title)
            out.append(
                Suggestion(
                    text=title,
                    product_id=product_id,
                    translation_key=_uuid(key),
                    text_html=highlight(title, terms, prefixes),
                )
            )
        return out[:limit]

    # -- indexing ---------------------------------------------------------------------------

    def index_products(self, product_ids: Iterable[int]) -> None:
        ids = source_ids(product_ids)
        if not ids:
            return
        with transaction.atomic():
            documents = build_documents(searchable_pages().filter(pk__in=ids))
            SearchDocument.objects.filter(product_id__in=ids).delete()
            self.store(documents)
            self.touch()

    def remove_products(self, product_ids: Iterable[int]) -> None:
        SearchDocument.objects.filter(product_id__in=list(product_ids)).delete()
        self.touch()

    def store(self, documents: list[SearchDocument], batch_size: int = 1000) -> None:
        """Insert documents and add their words to the vocabulary (used by the benchmark too)."""
        SearchDocument.objects.bulk_create(documents, batch_size=batch_size)
        words = {t for d in documents for t in f"{d.title_folded} {d.body_folded}".split()}
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in sorted(words) if len(w) <= 64],
            batch_size=batch_size,
            ignore_conflicts=True,
        )
        self.touch()  # after the words: a reader holding the new token has them all

    @staticmethod
    def touch() -> None:
        """Mark the documents as changed: every process reloads its facet index."""
        token = uuid.uuid4()
        if not SearchIndexState.objects.update(token=token):
            SearchIndexState.objects.create(token=token)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Replace every document in one transaction: readers see the old index until commit."""
        count = 0
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            SearchTerm.objects.all().delete()
            self.touch()
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
                # VACUUM also sets the rows' visibility hints once, instead of the first
                # searches after a rebuild each writing them on every page they read. It
                # cannot run inside a transaction (tests, or a caller's atomic block).
                vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                cursor.execute(f"{vacuum} {TABLE}")
