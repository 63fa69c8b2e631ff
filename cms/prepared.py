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
from types import SimpleNamespace
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

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


class Shape:
    """Some columns of a model, read through `prefix` in a values_list() query, and made back
    into an instance whose other fields are deferred (reading one would cost a query: the
    tests' query counts catch that)."""

    def __init__(self, model: type[Model], prefix: str, *attnames: str):
        order = [f.attname for f in model._meta.concrete_fields]
        self.model = model
        self.paths = [prefix + name for name in attnames]
        self.attnames = attnames
        self.names = frozenset(attnames)
        self._order = sorted(range(len(attnames)), key=lambda i: order.index(attnames[i]))
        self.width = len(attnames)

    def make(self, row: tuple, start: int) -> Model | None:
        values = row[start : start + self.width]
        if values[0] is None:  # the id: nothing on the other side of a LEFT JOIN
            return None
        model = self.model
        if pre_init.has_listeners(model) or post_init.has_listeners(model):
            return model.from_db(DEFAULT_DB_ALIAS, self.names, [values[i] for i in self._order])
        # What `from_db()` makes, without `__init__`: for a row from the database it only sets
        # the fields and a fresh state (Wagtail's and modelcluster's add nothing once there is
        # an id) but ClusterableModel's looks up every child relation first, ~20 µs a page.
        instance = model.__new__(model)
        instance._state = ModelState()
        instance._state.adding = False
        instance._state.db = DEFAULT_DB_ALIAS
        instance.__dict__.update(zip(self.attnames, values, strict=True))
        return instance

    def plain(self, row: tuple, start: int) -> SimpleNamespace | None:
        """The columns as attributes, without a model instance (its `__init__` and signals cost
        ~10 µs, more than the page's own use of a row that only Python reads)."""
        values = row[start : start + self.width]
        if values[0] is None:
            return None
        return SimpleNamespace(**dict(zip(self.attnames, values, strict=True)))
