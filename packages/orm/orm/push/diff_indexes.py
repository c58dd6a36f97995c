"""Index changes: what to build concurrently before the transaction, and what to do inside it.

An index on a table that already holds rows, over columns this push doesn't add or retype, is
built with CREATE INDEX CONCURRENTLY before the push's transaction (writers keep writing). If
an index of that name is already there (a changed definition), the new one is built under a
temporary name and the transaction drops the old one and renames the new one into place, so
foreign keys that need it are dropped and added back inside one transaction. Anything else is
built inside the transaction. A temporary index a killed push left behind is reused when it is
valid and what the schema asks for, and dropped otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orm.push.ddl import create_index, drop_index
from orm.push.model import DbSchema, Index
from orm.push.names import quote, temp_index_name
from orm.push.plan import Lock, Order, Phase, Plan, Risk
from orm.push.scope import DiffScope

__all__ = ["IndexDiff", "describe_index", "diff_indexes", "same_index"]


def same_index(wanted: Index, found: Index) -> bool:
    if (wanted.table, wanted.unique, wanted.method) != (found.table, found.unique, found.method):
        return False
    if len(wanted.columns) != len(found.columns) or not found.valid:
        return False
    return all(f.matches(w) for w, f in zip(wanted.columns, found.columns, strict=True))


def describe_index(index: Index) -> str:
    keys = ", ".join(c.name + (" DESC" if c.descending else "") for c in index.columns)
    kind = "unique index" if index.unique else "index"
    method = "" if index.method == "btree" else f" USING {index.method}"
    return f"{kind} {index.name} on {index.table}{method} ({keys})"


def _duplicates_risk(index: Index) -> Risk:
    columns = [quote(c.name) for c in index.columns]
    present = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    keys = ", ".join(columns)
    names = ", ".join(c.name for c in index.columns)
    return Risk(
        f"add {describe_index(index)}",
        f"SELECT count(*) FROM (SELECT 1 FROM {quote(index.table)} WHERE {present}"
        f" GROUP BY {keys} HAVING count(*) > 1) AS duplicates",
        f"{{n}} values of ({names}) occur in more than one row; remove the duplicates first",
        unexecutable=True,
    )


@dataclass
class IndexDiff:
    """Plans the index steps of one push; `dropped` collects the names of indexes the
    transaction drops (foreign keys relying on them are dropped and added back)."""

    plan: Plan
    wanted: DbSchema
    actual: DbSchema
    scope: DiffScope
    new_columns: set[tuple[str, str]]
    dropped: set[str] = field(default_factory=set[str])

    def run(self) -> set[str]:
        reused = self._temp_indexes()
        self._unwanted()
        for index in self.wanted.indexes.values():
            self._wanted(index, reuse=index.name in reused)
        return self.dropped

    def _drop_in_transaction(self, found: Index, why: str) -> None:
        self.plan.add(
            f"- {describe_index(found)} ({why})",
            drop_index(found),
            order=Order.DROP_INDEX,
            locks=[(found.table, Lock.ACCESS_EXCLUSIVE)],
        )
        self.dropped.add(found.name)

    def _temp_indexes(self) -> set[str]:
        """Left-over temporary indexes: the names of those that can be swapped in as they are."""
        reusable: set[str] = set()
        bases = {temp_index_name(name): index for name, index in self.wanted.indexes.items()}
        for name, temp in self.actual.temp_indexes.items():
            base = bases.get(name)
            if base is not None and same_index(base, temp):
                reusable.add(base.name)
                continue
            summary = f"- index {name} (left over from an interrupted push)"
            if self.scope.concurrent:
                sql = f"DROP INDEX CONCURRENTLY IF EXISTS {quote(name)}"
                self.plan.add(summary, sql, phase=Phase.CONCURRENT)
            else:
                lock = (temp.table, Lock.ACCESS_EXCLUSIVE)
                self.plan.add(summary, drop_index(temp), order=Order.DROP_INDEX, locks=[lock])
        return reusable

    def _unwanted(self) -> None:
        for name, found in self.actual.indexes.items():
            if found.table not in self.wanted.tables or name in self.wanted.indexes:
                continue  # dropped with its table, or handled with the index that wants it
            if self.scope.manages(("index", found.table, name)):
                self._drop_in_transaction(found, "removed")
            else:
                self.plan.left_alone.append(describe_index(found))

    def _concurrent(self, index: Index) -> bool:
        return (
            self.scope.concurrent
            and index.table in self.scope.populated
            and not any((index.table, c.name) in self.new_columns for c in index.columns)
        )

    def _found(self, index: Index) -> Index | None:
        """The index that holds `index`'s name now: one of ours, or another one."""
        found = self.actual.indexes.get(index.name)
        if found is None and index.name in self.actual.unmanaged_indexes:
            found = Index(index.name, self.actual.unmanaged_indexes[index.name], ())
        return found

    def _wanted(self, index: Index, *, reuse: bool) -> None:
        found = self._found(index)
        if found is not None and same_index(index, found):
            return
        why = "not the schema's definition" if found is not None and not found.columns else ""
        why = why or ("invalid, rebuilt" if found is not None and not found.valid else "changed")
        if reuse:
            self._swap(index, found, why=why, built="")
        elif self._concurrent(index):
            self._build_concurrently(index, found, why=why)
        else:
            if found is not None:
                self._drop_in_transaction(found, why)
            lock = [(index.table, Lock.SHARE)] if index.table in self.actual.tables else []
            sql = create_index(index)
            self.plan.add(f"+ {describe_index(index)}", sql, order=Order.CREATE_INDEX, locks=lock)
        new = any((index.table, c.name) in self.new_columns for c in index.columns)
        if index.unique and index.table in self.scope.populated and not reuse and not new:
            self.plan.risks.append(_duplicates_risk(index))

    def _build_concurrently(self, index: Index, found: Index | None, *, why: str) -> None:
        summary = f"+ {describe_index(index)} (concurrently)"
        if found is None:
            sql = create_index(index, concurrently=True)
            self.plan.add(summary, sql, phase=Phase.CONCURRENT, builds=index.name)
        elif not found.valid:  # an invalid index backs no constraint: replace it in place
            drop = f"DROP INDEX CONCURRENTLY IF EXISTS {quote(found.name)}"
            sql = create_index(index, concurrently=True)
            self.plan.add(
                f"{summary} ({why})", drop, sql, phase=Phase.CONCURRENT, builds=index.name
            )
        else:
            temp = temp_index_name(index.name)
            built = Index(temp, index.table, index.columns, index.unique, index.method)
            sql = create_index(built, concurrently=True)
            self.plan.add(f"{summary} as {temp}", sql, phase=Phase.CONCURRENT, builds=temp)
            self._swap(index, found, why=why, built=" (built concurrently)")

    def _swap(self, index: Index, found: Index | None, *, why: str, built: str) -> None:
        """Inside the transaction: the old index goes, the temporary one takes its name."""
        if found is not None:
            self._drop_in_transaction(found, why)
        temp = temp_index_name(index.name)
        self.plan.add(
            f"+ {describe_index(index)}{built or ' (left by an interrupted push)'}",
            f"ALTER INDEX {quote(temp)} RENAME TO {quote(index.name)}",
            order=Order.CREATE_INDEX,
        )


def diff_indexes(
    plan: Plan,
    wanted: DbSchema,
    actual: DbSchema,
    *,
    scope: DiffScope,
    new_columns: set[tuple[str, str]],
) -> set[str]:
    """Plans index changes; returns the names of indexes the transaction drops."""
    return IndexDiff(plan, wanted, actual, scope, new_columns).run()
