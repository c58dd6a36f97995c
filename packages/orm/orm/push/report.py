"""What a push tells the operator: the plan, what it would lose, and counts by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from orm.push.plan import Phase, Plan, Risk, Step
from orm.push.sqlfiles import SqlFile

__all__ = ["print_dry_run", "print_plan", "refusal_message", "tally"]

Output = Callable[[str], None]
_KINDS = ("unique index", "primary key", "foreign key", "index", "table", "column", "enum")
_PLURAL = {"unique index": "unique indexes", "index": "indexes"}


def tally(steps: list[Step]) -> str:
    """Changes counted by sign and kind: `+3 tables, +12 indexes, ~1 column`."""
    counts: Counter[tuple[str, str]] = Counter()
    for step in steps:
        sign, _, rest = step.summary.partition(" ")
        kind = next((k for k in _KINDS if rest.startswith(k)), "other")
        counts[(sign, kind)] += 1
    return ", ".join(
        f"{sign}{n} {kind if n == 1 else _PLURAL.get(kind, kind + 's')}"
        for (sign, kind), n in counts.items()
    )


def refusal_message(losses: list[tuple[Risk, int]], *, accepted: bool) -> str | None:
    blocking = [(r, n) for r, n in losses if r.unexecutable or not accepted]
    if not blocking:
        return None
    lines = ["The push was stopped because it would lose data. Nothing was changed."]
    lines += [f"  • {r.change}: {r.loss.format(n=f'{n:,}')}" for r, n in blocking]
    if any(r.unexecutable for r, _ in blocking):
        lines.append(
            "Some changes cannot be applied to the rows that are there, even with "
            "--accept-data-loss: change the data or the schema, or start over with "
            "--force-reset (which deletes all data in the schema)."
        )
    else:
        lines.append("Run again with --accept-data-loss to apply these changes anyway.")
    return "\n".join(lines)


def _locks(plan: Plan) -> str:
    locks = plan.locks(Phase.MAIN)
    if not locks:
        return "Locks: none (no existing table changes inside the transaction)."
    held = ", ".join(f"{table} ({mode.sql})" for table, mode in locks)
    return f"Locks, taken first, held until the transaction commits: {held}."


def _left_alone(plan: Plan, out: Output) -> None:
    if plan.left_alone:
        out(
            f"Left alone: {len(plan.left_alone)} objects db push did not create "
            "(--drop-unknown drops them; those holding data also need --accept-data-loss):"
        )
        for entry in plan.left_alone:
            out(f"  = {entry}")


def print_plan(plan: Plan, *, out: Output, source: str) -> None:
    """What a push is about to do (the steps, the locks) and what it leaves alone."""
    if not plan.steps:
        out(f"The database is already in sync with {source}. No schema changes.")
    else:
        out(f"Applying {len(plan.steps)} changes:")
        for step in plan.ordered():
            out(f"  {step.summary}")
        out(_locks(plan))
    _left_alone(plan, out)


def print_dry_run(
    plan: Plan,
    losses: list[tuple[Risk, int]],
    files: list[SqlFile],
    *,
    out: Output,
    reset: list[str],
) -> None:
    statements = reset + plan.statements
    if not statements and not any(f.status != "unchanged" for f in files):
        out("Dry run: the database is already in sync; nothing would change.")
        _left_alone(plan, out)
        return
    out(f"Dry run: {len(plan.steps)} changes, {len(statements)} statements (nothing was executed).")
    for step in plan.ordered():
        out(f"  {step.summary}")
    out(_locks(plan))
    _left_alone(plan, out)
    out("")
    out("\n".join(f"{sql};" for sql in statements))
    for risk, count in losses:
        out(f"-- would lose data: {risk.change}: {risk.loss.format(n=f'{count:,}')}")
    for file in files:
        if file.status != "unchanged":
            out(f"-- would run SQL file {file.path.name} ({file.status})")
