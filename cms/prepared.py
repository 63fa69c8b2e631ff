"""Querysets compiled to SQL once per process, then run with each request's parameters.

Django builds and compiles a queryset's SQL again on every evaluation: for a page that reads a
few rows over several joins, that costs more CPU than the database does (the scan page spent
half its time there). A `PreparedQuery` builds its `values_list()` queryset once per process,
with a marker in place of each parameter, keeps the SQL and the column converters (dates,
decimals, JSON), and afterwards only runs the SQL with the real values.

The parameters must reach the SQL unchanged: exact lookups on text columns
(`short_code=code`, `locale__language_code=language`); the builder is called with strings, and
compiling refuses a builder whose markers do not all appear in the parameters. The SQL is the
ORM's own, so it follows the models; it is kept per database alias (the routers' choice for
reading the model, as the ORM's) and engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

_PLACEHOLDER = re.compile(r"(?<!%)%s")


def _markers(count: int) -> list[str]:
    return [f"\x1fprepared parameter {i}\x1f" for i in range(count)]


class PreparedQuery:
    """`PreparedQuery(lambda code: Batch.objects.filter(short_code=code).values_list(...))`,
    then `.rows(code)`: the tuples `values_list()` would give, without building the queryset."""

    def __init__(self, build: Callable[..., QuerySet], using: str | None = None):
        self.build = build
        self.using = using  # else the database routers' choice for reading the model
        self.model = None
        self._queryset: QuerySet | None = None  # built once, with markers for the parameters
        self._compiled: dict[tuple, tuple[str, dict, list[tuple[str, int]], list, int]] = {}

    def _compile(self, connection, markers: list[str]):
        query = self._queryset.query.clone()
        if not query.values_select or query.annotation_select or query.extra_select:
            raise ValueError("a PreparedQuery is a values_list() of fields, no annotations")
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [
            (f"p{position}", markers.index(value))
            for position, value in enumerate(params)
            if isinstance(value, str) and value in markers
        ]
        if {index for _name, index in slots} != set(range(len(markers))):
            raise ValueError(f"parameters that do not reach the SQL unchanged: {sql}")
        # Named parameters ("pyformat"): SQLite's wrapper then fills them in with one `%`
        # instead of a regular expression over the whole statement (~60 µs for a long one).
        if len(_PLACEHOLDER.findall(sql)) != len(params):
            raise ValueError(f"placeholders and parameters do not match: {sql}")
        numbers = iter(range(len(params)))
        sql = _PLACEHOLDER.sub(lambda _match: f"%(p{next(numbers)})s", sql)
        named = {f"p{position}": value for position, value in enumerate(params)}
        width = compiler.col_count
        columns = [select[0] for select in compiler.select[:width]]
        converters = list(compiler.get_converters(columns).items())
        return sql, named, slots, converters, width

    def rows(self, *args: Any) -> list[tuple]:
        if self._queryset is None:
            self._queryset = self.build(*_markers(len(args)))
            self.model = self._queryset.model
        connection = connections[self.using or router.db_for_read(self.model)]
        key = (connection.alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(connection, _markers(len(args)))
        sql, template, slots, converters, width = compiled
        params = dict(template)
        for name, index in slots:
            params[name] = args[index]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters and all(len(row) == width for row in rows):
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            values = list(row[:width])
            for position, (functions, expression) in converters:
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            converted.append(tuple(values))
        return converted
