"""A scale-out topology on one machine: a PostgreSQL primary, streaming replicas, PgBouncer in
transaction mode, one Redis and N API processes, all on loopback (`scale.topology.Topology`).

`make topology` (`python -m scale`) starts one and leaves it running; `tests/scale/` start their
own. Everything lives in one temporary folder and is torn down by `Topology.stop()`, or by the
reaper process (`scale/reaper.py`) when the process that started it dies without stopping it.
"""

from __future__ import annotations

from scale.processes import TopologyError
from scale.topology import Topology, TopologyOptions

__all__ = ["Topology", "TopologyError", "TopologyOptions"]
