"""The compiled execution path: query operations answered by one SQL statement.

After a document is prepared (parsed and validated once, `api/documents`), `Planner` walks the
operation's selection set and, when every field has a compiled declaration (the domain modules
here, one per domain, beside `api/types`), compiles it into one statement whose single row is
the response's whole JSON text, variables bound as parameters. `CompiledExecution` is what the
endpoint asks per request: the plan and bound values, or None to run the resolvers.
"""

from __future__ import annotations

from api.compiled.execution import CompiledExecution
from api.compiled.plan import Plan
from api.compiled.planner import Planner
from api.compiled.run import Compiled, ascii_json, run_plan

__all__ = ["Compiled", "CompiledExecution", "Plan", "Planner", "ascii_json", "run_plan"]
