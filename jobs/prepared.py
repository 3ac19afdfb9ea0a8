"""Queries the ORM compiles once and then runs many times with other values.

Building a queryset and compiling it to SQL costs Python time on every request, and for the
posting page's similar postings it cost more than PostgreSQL took to run the statement
(bench/RESULTS.md, "The posting page"). A `PreparedQuery` is a named-rows queryset whose
varying values are `Parameter`s: it is compiled on its first run in each thread for each
database it reads, and every run after that only puts the values in, executes the SQL and
converts the columns as the queryset's own iteration would (arrays, JSON, dates).

Use it for a query a page runs on every request with values that change, not for one whose
shape changes with the request (a list's filters): each shape is its own PreparedQuery.
"""

import threading
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Expression, Model, QuerySet


@dataclass(frozen=True)
class _Slot:
    """Where a parameter's value goes in the compiled statement's parameters."""

    name: str


class Parameter(Expression):
    """A value given when the query runs: `.filter(published_at__gte=Parameter("since",
    DateTimeField()))`."""

    def __init__(self, name: str, output_field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name)]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    compiler: object
    converters: dict
    row: type


class PreparedQuery:
    """`build()` returns a `values_list(..., named=True)` queryset of `model` with
    `Parameter`s in it; `rows(**values)` runs it with those values and returns its named rows,
    read from the database the router names for the request, as the queryset would be."""

    def __init__(self, model: type[Model], build: Callable[[], QuerySet]) -> None:
        self.model = model
        self._build = build
        # A compiler belongs to its thread's connection: each thread compiles its own, for
        # each database it reads (a request on a replica, one just after a write on the
        # primary: config.routers).
        self._local = threading.local()

    def rows(self, **values) -> list:
        alias = router.db_for_read(self.model)
        held = self._local.__dict__.setdefault("compiled", {})
        compiled = held.get(alias)
        # A compiler is bound to the connection it was made for: if the alias now names
        # another one (tests swap them; so could a deployment), compile for the new one.
        if compiled is None or compiled.compiler.connection is not connections[alias]:
            compiled = held[alias] = self._compile(alias)
        params = [values[p.name] if isinstance(p, _Slot) else p for p in compiled.params]
        with compiled.compiler.connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if compiled.converters:
            fetched = compiled.compiler.apply_converters(fetched, compiled.converters)
        return [compiled.row._make(values) for values in fetched]

    def _compile(self, alias: str) -> _Compiled:
        queryset = self._build().using(alias)
        compiler = queryset.query.get_compiler(connection=connections[alias])
        sql, params = compiler.as_sql()
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        query = queryset.query
        names = queryset._fields or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            compiler=compiler,
            converters=compiler.get_converters(selected),
            row=namedtuple("Row", names),
        )
