"""`python -m scale [--replicas 2] [--api 2] [--seed-scale small] [--direct]` (`make topology`):
start a topology, print its URLs, keep it running until Ctrl-C, then tear it down."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType

from scale.topology import Topology, TopologyOptions


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scale", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, choices=range(3))
    parser.add_argument("--api", type=int, default=2, help="API processes (default 2)")
    parser.add_argument("--seed-scale", default="small")
    parser.add_argument(
        "--direct", action="store_true", help="API processes bypass PgBouncer for the primary"
    )
    return parser


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    options = TopologyOptions(
        replicas=args.replicas,
        api_processes=args.api,
        via_pgbouncer=not args.direct,
        seed_scale=args.seed_scale,
    )
    signal.signal(signal.SIGTERM, _exit)
    topology = Topology(options)
    print(f"starting in {topology.folder} ...", flush=True)
    try:
        topology.start()
        print(f"primary (direct)  {topology.direct_url}")
        for name, url in zip(("replica0", "replica1"), topology.replica_urls, strict=False):
            print(f"{name:<17} {url}")
        if options.pgbouncer:
            print(f"pgbouncer         {topology.pgbouncer_url}")
        print(f"redis             {topology.redis_url}")
        for index, url in enumerate(topology.api_urls):
            print(f"api{index:<14} {url}/graphql   ({url}/health/database, {url}/metrics)")
        print(f"logs              {topology.folder}\nCtrl-C tears it all down.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        topology.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
