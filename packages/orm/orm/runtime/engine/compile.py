"""SQLAlchemy Core statement → (`$n` SQL text, positional parameters), with a compiled cache.

Compiling a select with a few joins costs ~200 µs of Python; its cache key ~30 µs. So, as
SQLAlchemy's own `Connection` does, we key compiled statements by `_generate_cache_key()` and pull
this statement's bound values out of the key (`extracted_parameters`). Expanding `IN` lists are
rendered per call from the cached form; bind processors (JSON → text, enums → names, ...) run;
client-side column defaults (`Column(default=...)`) are filled in. No SQLAlchemy result
processors run: rows carry asyncpg's own values (Decimal, datetime, dict for JSON, str for enums).

Cheaper still, a `Shaped` statement (`orm.runtime.query.shaped`) names its shape and brings its
parameters already converted: once a statement built for that shape has been compiled and seen
to bind exactly those parameters (equal, in order, none equal to another), the SQL is reused for
the shape without building anything (~50 µs → a dict lookup for a find_unique). The bind
processors the shapes meet (enums, booleans, arrays of plain types) leave values as they are.

Private SQLAlchemy API is used here and only here, pinned by `sqlalchemy<2.2` in pyproject.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable

from orm.runtime.executor import Shaped, Statement
from orm.runtime.types import JsonValue

__all__ = ["CompiledStatement", "StatementCompiler"]

Processor = Callable[[JsonValue], JsonValue]


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3x, once per statement
class CompiledStatement:
    sql: str
    params: tuple[object, ...]
    is_read: bool
    """A plain SELECT (no FOR UPDATE): may run on a read replica outside transactions."""


class _DefaultsContext:
    """What SQLAlchemy hands a `Column(default=callable)`: the current row's parameters."""

    def __init__(self, params: MutableMapping[str, JsonValue]) -> None:
        self.current_parameters = params
        self.current_column: object = None

    def get_current_parameters(
        self, isolate_multiinsert_groups: bool = True
    ) -> MutableMapping[str, JsonValue]:
        return self.current_parameters


class StatementCompiler:
    def __init__(self, max_size: int = 2000) -> None:
        self.dialect = PGDialect_asyncpg(paramstyle="numeric_dollar")
        self._cache: OrderedDict[object, SQLCompiler] = OrderedDict()
        self._max_size = max_size
        self._shapes: dict[Hashable, tuple[str, bool]] = {}
        self.hits = 0
        self.misses = 0

    def compile(self, stmt: Statement) -> CompiledStatement:
        if isinstance(stmt, Shaped):
            return self._compile_shaped(stmt)
        return self._compile_built(stmt)

    def _compile_built(self, stmt: Executable) -> CompiledStatement:
        compiled, params = self._compiled(cast(ClauseElement, stmt))
        if compiled.insert_prefetch or compiled.update_prefetch:
            _fill_defaults(compiled, params)
        processors = cast(
            Mapping[str, Processor],
            compiled._bind_processors,  # pyright: ignore[reportPrivateUsage]
        )
        sql = compiled.string
        if compiled.literal_execute_params or compiled.post_compile_params:
            expanded = compiled._process_parameters_for_postcompile(params)  # pyright: ignore[reportPrivateUsage]
            sql = expanded.statement
            params = expanded.parameters
            order: Sequence[str] = expanded.positiontup or ()
            processors = {**processors, **expanded.processors}
        else:
            order = compiled.positiontup or ()
        values = tuple(
            processors[key](params[key]) if key in processors else params[key] for key in order
        )
        return CompiledStatement(sql, values, _plain_select(stmt))

    def _compile_shaped(self, shaped: Shaped) -> CompiledStatement:
        """SQL by shape: no statement built, no cache key walked, once the shape is known."""
        known = self._shapes.get(shaped.key)
        if known is not None:
            self.hits += 1
            return CompiledStatement(known[0], shaped.params, known[1])
        compiled = self._compile_built(shaped.build())
        if _binds_exactly(compiled.params, shaped.params):
            self._shapes[shaped.key] = (compiled.sql, compiled.is_read)
            if len(self._shapes) > self._max_size:
                self._shapes.pop(next(iter(self._shapes)))
        return compiled

    def _compiled(self, stmt: ClauseElement) -> tuple[SQLCompiler, MutableMapping[str, JsonValue]]:
        key = stmt._generate_cache_key()  # pyright: ignore[reportPrivateUsage]
        if key is None:
            compiled = cast(SQLCompiler, stmt.compile(dialect=self.dialect))
            return compiled, compiled.construct_params(escape_names=False)
        compiled = self._cache.get(key.key)
        if compiled is None:
            self.misses += 1
            compiled = cast(
                SQLCompiler,
                stmt._compiler(  # pyright: ignore[reportPrivateUsage]
                    self.dialect,
                    cache_key=key,
                    column_keys=[],
                    for_executemany=False,
                    schema_translate_map=None,
                ),
            )
            self._cache[key.key] = compiled
            if len(self._cache) > self._max_size:
                self._cache.popitem(last=False)
        else:
            self.hits += 1
            self._cache.move_to_end(key.key)
        params = compiled.construct_params(
            extracted_parameters=key.bindparams,
            escape_names=False,
            _collected_params=key.params,
        )
        return compiled, params


def _binds_exactly(bound: Sequence[object], given: Sequence[object]) -> bool:
    """The statement binds `given`, in order, and no two are equal (so the order is proven)."""
    if len(bound) != len(given) or any(b != g for b, g in zip(bound, given, strict=True)):
        return False
    return all(given[i] != given[j] for i in range(len(given)) for j in range(i))


def _plain_select(stmt: object) -> bool:
    for_update = getattr(stmt, "_for_update_arg", None)
    return for_update is None and bool(getattr(stmt, "is_select", False))


def _fill_defaults(compiled: SQLCompiler, params: MutableMapping[str, JsonValue]) -> None:
    key_of = compiled._within_exec_param_key_getter  # pyright: ignore[reportPrivateUsage]
    if compiled.insert_prefetch:
        columns = [(c, c._default_description_tuple) for c in compiled.insert_prefetch]  # pyright: ignore[reportPrivateUsage]
    else:
        columns = [(c, c._onupdate_description_tuple) for c in compiled.update_prefetch]  # pyright: ignore[reportPrivateUsage]
    context = _DefaultsContext(params)
    for column, (arg, is_scalar, is_callable, _sentinel) in columns:
        if is_scalar:
            params[key_of(column)] = arg
        elif is_callable:
            context.current_column = column
            params[key_of(column)] = arg(context)
