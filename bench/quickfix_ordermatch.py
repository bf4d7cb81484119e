"""Order-entry throughput and round-trip latency of a FIX acceptor under QuickFIX's load.

The same load client (``qf_load``, built on QuickFIX) drives one of:

* ``ordermatch`` -- QuickFIX's own example exchange, built from the installed example
  sources, with its FileStore and with a MemoryStore (``--stores``); screen logging off;
  a fresh process per run, so every run starts from an empty book;
* ``ack`` -- ``ack_acceptor``, which acknowledges each order at once on raw sockets: the
  ceiling of the load client itself on this machine;
* ``fix`` -- any FIX acceptor already listening (exsim's FIX venue, for one), given by
  ``--host``/``--port``/``--target-comp-id``; it must accept the sessions
  ``<sender-prefix>1`` .. ``<sender-prefix>N``.

The workload is seeded: Day limit orders that rest (acknowledgements dominate), or a mix
with ``--cross-pct`` aggressive orders. For each scenario (store x sessions x window) it
prints the median over ``--runs`` runs of p50/p99 round trip (NewOrderSingle -> first
ExecutionReport) and sustained orders/s, plus the load client's CPU time per order.

Example: ``./uvw run python bench/quickfix_ordermatch.py --runs 5``; against exsim:
``./uvw run python bench/quickfix_ordermatch.py --against fix --port 9878 --target-comp-id
XSIM --symbols XYZ``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "interop" / "quickfix"))

import harness  # found through the path entry above


def _ints(text: str) -> list[int]:
    return [int(item) for item in text.split(",") if item]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", choices=("ordermatch", "ack", "fix"), default="ordermatch")
    parser.add_argument("--stores", default="file,memory", help="ordermatch stores to run")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, help="acceptor port (--against fix)")
    parser.add_argument("--target-comp-id", default="ORDERMATCH")
    parser.add_argument("--sender-prefix", default="LOAD")
    parser.add_argument("--begin-string", default="FIX.4.2")
    parser.add_argument("--sessions", type=_ints, default=[1, 10], help="e.g. 1,10")
    parser.add_argument("--windows", type=_ints, default=[1, 100], help="e.g. 1,100")
    parser.add_argument("--orders", type=int, default=20000, help="measured, per session")
    parser.add_argument("--warmup", type=int, default=2000, help="per session")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cross-pct", type=float, default=0.0)
    parser.add_argument("--symbols", default="LOAD")
    parser.add_argument("--no-validate", action="store_true", help="client skips dictionary")
    parser.add_argument("--timeout", type=float, default=300.0, help="per run, seconds")
    parser.add_argument("--json", type=Path, help="also write every run as JSON lines here")
    return parser


def _labels(args: argparse.Namespace) -> list[str]:
    if args.against == "ordermatch":
        return [f"ordermatch-{store}" for store in args.stores.split(",")]
    if args.against == "ack":
        return ["ack_acceptor"]
    return [f"{args.host}:{args.port}"]


@contextlib.contextmanager
def _acceptor(
    kit: harness.QuickFix, args: argparse.Namespace, label: str, sessions: int, workdir: Path
) -> Iterator[tuple[int, str]]:
    """A fresh acceptor for one run, as (port, target CompID)."""
    if label.startswith("ordermatch-"):
        clients = tuple(f"{args.sender_prefix}{i}" for i in range(1, sessions + 1))
        store = label.removeprefix("ordermatch-")
        with kit.ordermatch(workdir, clients=clients, store=store, screen_log=False) as om:
            yield om.port, om.comp_id
    elif label == "ack_acceptor":
        with kit.ack_acceptor() as acceptor:
            yield acceptor.port, "ACK"
    else:
        yield args.port, args.target_comp_id


def _summary(label: str, sessions: int, window: int, runs: list[dict[str, Any]]) -> str:
    def median(key: str, sub: str | None = None) -> float:
        values = [float(run[key][sub] if sub else run[key]) for run in runs]
        return statistics.median(values) if values else float("nan")

    done = sum(1 for run in runs if run.get("completed"))
    return (
        f"{label:<20} {sessions:>8} {window:>6} {median('latency_us', 'p50'):>10.1f} "
        f"{median('latency_us', 'p99'):>10.1f} {median('orders_per_s'):>11.0f} "
        f"{median('client_cpu_us_per_order'):>9.1f} {done:>3}/{len(runs)}"
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.against == "fix" and not args.port:
        _parser().error("--against fix needs --port (and usually --target-comp-id)")
    kit = harness.QuickFix.locate()
    out = args.json.open("a") if args.json else None
    print(
        f"{'acceptor':<20} {'sessions':>8} {'window':>6} {'p50 us':>10} {'p99 us':>10} "
        f"{'orders/s':>11} {'cpu us/o':>9} ok"
    )
    with tempfile.TemporaryDirectory(prefix="exsim-qf-bench-") as tmp:
        for sessions, label, window in itertools.product(
            args.sessions, _labels(args), args.windows
        ):
            runs = []
            for run in range(args.runs):
                workdir = Path(tmp) / f"{label}-{sessions}-{window}-{run}"
                with _acceptor(kit, args, label, sessions, workdir) as (port, target):
                    result = kit.load(
                        host=args.host,
                        port=port,
                        target=target,
                        timeout=args.timeout,
                        begin_string=args.begin_string,
                        sender_prefix=args.sender_prefix,
                        sessions=sessions,
                        orders=args.orders,
                        warmup=args.warmup,
                        window=window,
                        seed=args.seed,
                        cross_pct=args.cross_pct,
                        symbols=args.symbols,
                        no_validate=args.no_validate,
                    )
                result["acceptor"] = label
                runs.append(result)
                if out:
                    out.write(json.dumps(result) + "\n")
            print(_summary(label, sessions, window, runs), flush=True)
    if out:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
