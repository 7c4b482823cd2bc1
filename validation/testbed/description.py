# SPDX-License-Identifier: GPL-3.0-or-later
"""How compare.py describes a campaign's deployments for hybridsim: its options, one value per
choice (each option's `--help` below, README.md's file table and docs/validation.md say what
it changes and why the default is the default; description_steps.py applies them)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Description:
    load_scaling: bool = True            # calibrate's serviceTimeScaling kept (--without-load-scaling: off)
    plain: bool = False                  # FIFO workers, no serverWork (--plain)
    overhead_from: str = "level"         # level | sequential (--overhead-from)
    overhead_at: float = None            # the utilisation whose level the overhead is fitted on (--overhead-at)
    overhead_choice: str = "idle-found"  # idle-found | all (--overhead-calls)
    receipt_only: bool = False           # --server-work-from receipt
    server_cpu: bool = False             # --server-work-from cpu
    thread_pool_model: str = "cores"     # cores | capacity | loop-and-pool (--thread-pool-model)
    shared_host: bool = False            # --shared-host
    front_work: bool = False             # --front-work
    client_work: bool = False            # --client-work
    overhead_family: str = None          # calibrate --overhead-family (--overhead-family)
    branch_overhead: str = "calibrated"  # calibrated | smallest (--branch-overhead)
    overlap_receipt: bool = False        # --overlap-receipt (pipelines, with --front-work)
    wake_up: bool = False                # the one-executor servers' wake-up after idle (--wake-up)
    overhead_scaling: str = None         # None | all | held-out: the overhead's load dependence (--overhead-scaling)
    slow_periods: bool = False           # the one-executor servers' exogenous slow periods (--slow-periods)


def add_options(parser):
    """Adds compare.py's description options to an argparse parser (compare.py and
    combine_campaigns.py take the same ones); with `from_options`."""
    parser.add_argument("--without-load-scaling", action="store_true",
                        help="leave calibrate's serviceTimeScaling out of the predictions (to see what it changes)")
    parser.add_argument("--overhead-from", choices=("level", "sequential"), default="level",
                        help="fit callOverhead on the lowest open-loop level (default) or on the sequential "
                             "low-load phase (one call at a time: leaves out the client's work under load)")
    parser.add_argument("--overhead-at", type=float, metavar="U",
                        help="fit callOverhead on the campaign's level of utilisation U (e.g. 0.3) instead of the lowest")
    parser.add_argument("--overhead-calls", choices=("idle-found", "all"), default="idle-found",
                        help="idle-found (default): on the one-executor servers, fit callOverhead on the calls that found "
                             "the server idle (calibrate --overhead-calls idle-found); all: on every call of the level")
    parser.add_argument("--plain", action="store_true",
                        help="FIFO workers and no serverWork everywhere (the description before the server models)")
    parser.add_argument("--server-work-from", choices=("busy-gaps", "receipt", "cpu"), default="busy-gaps",
                        help="serverWork of the one-executor servers from the busy gaps (default), as before from "
                             "the receipt interval (gRPC only; none for event-loop REST), or from the process's CPU "
                             "per request minus its mean handler time at the lowest level, taken out of callOverhead "
                             "(server_work.py)")
    parser.add_argument("--thread-pool-model", choices=("cores", "capacity", "loop-and-pool"), default="cores",
                        help="rest-thread: processor sharing on all the host's cores with the work of every call "
                             "(default), or with the capacity fitted from the records (work balance) and the work of "
                             "the calls alone on the server (docs/validation.md: it meets fewer goal cells), or "
                             "(loop-and-pool) the event loop's read and write as a FIFO worker beside the pool on one "
                             "host, the work of the calls alone on the server (loop_and_pool.py)")
    parser.add_argument("--shared-host", action="store_true",
                        help="put the front and the model servers on one host of the measuring host's CPUs "
                             "(measurement.host.cpus): they share its cores (docs/cost-models.md, \"Shared hosts\")")
    parser.add_argument("--front-work", action="store_true",
                        help="composites: the front's CPU per request as work on its worker where each message is "
                             "handled, taken out of the overheads it was in (front_work.py; with --shared-host on the host)")
    parser.add_argument("--client-work", action="store_true",
                        help="single servers and pipelines: the load generator's CPU per request as work on a node of "
                             "its own (a send and a receive stage), taken out of the client's call (client_work.py; "
                             "with --shared-host on the host)")
    parser.add_argument("--overhead-family", metavar="FAMILY",
                        help="the model servers' protocol costs (callOverhead, serverWork) in this family only "
                             "(calibrate --overhead-family); empirical: the measured samples themselves, so their means "
                             "are the measured ones (docs/validation.md)")
    parser.add_argument("--branch-overhead", choices=("calibrated", "smallest"), default="calibrated",
                        help="fan-outs: each branch call's own calibrated callOverhead (default), or the one of "
                             "smallest mean among the branches for every branch")
    parser.add_argument("--overlap-receipt", action="store_true",
                        help="pipelines, with --front-work: each model server's busy gaps at the lowest level as its "
                             "serverWork, overlapping the front's stage before the call (serverWorkStarts: withSend), "
                             "the callOverhead shifted so that the lowest level's mean is unchanged (overlap_receipt.py)")
    parser.add_argument("--wake-up", action="store_true",
                        help="give each one-executor model server's node a `wakeUp` curve from its lowest level's "
                             "idle-found calls and take its mean extra out of the call's callOverhead (wake_up.py)")


    parser.add_argument("--overhead-scaling", choices=("all", "held-out"),
                        help="each model call's callOverhead times f(the model node's offered load), from calibrate "
                             "--overhead-load-dependence when it finds the levels' overheads differ: all: its points; "
                             "held-out: at each level the points without that level's own (overhead_scaling.py)")
    parser.add_argument("--slow-periods", action="store_true",
                        help="give each one-executor model server's node `slowPeriods` (a two-state speed) fitted on "
                             "its levels at u >= 0.3 pooled, and divide its calibrated service time by the mean "
                             "slowdown so that its mean stays as calibrated (slow_period_node.py)")


def from_options(parser, args):
    """The Description the options of `add_options` name (an argparse error through `parser`
    for a contradictory pair)."""
    if args.overhead_at is not None and args.overhead_from == "sequential":
        parser.error("--overhead-at names an open-loop level; --overhead-from sequential fits on the sequential phase")
    if args.overlap_receipt and not args.front_work:
        parser.error("--overlap-receipt overlaps each call's receipt with the front's stage before it: it needs --front-work")
    if args.overlap_receipt and (args.plain or args.server_work_from == "cpu"):
        parser.error("--overlap-receipt sets each model server's serverWork from its busy gaps: not with --plain or "
                     "--server-work-from cpu")
    if args.wake_up and (args.plain or args.overhead_at is not None or args.overhead_from == "sequential"
                         or args.overhead_calls == "all"):
        parser.error("--wake-up lowers a callOverhead fitted on the lowest level's idle-found calls; it cannot be "
                     "combined with --plain, --overhead-at, --overhead-from sequential or --overhead-calls all")
    if args.wake_up and args.shared_host:
        parser.error("--wake-up with --shared-host: hybridsim refuses `wakeUp` on a node with `host` (worker wake-up "
                     "on a shared host is not simulated, docs/cost-models.md); use one of the two")
    if args.overhead_scaling and args.plain:
        parser.error("--overhead-scaling scales the calibrated callOverhead of the server models; --plain is the "
                     "description before them: use one of the two")
    if args.slow_periods and (args.shared_host or args.thread_pool_model == "loop-and-pool"):
        parser.error("--slow-periods with --shared-host or --thread-pool-model loop-and-pool: hybridsim refuses "
                     "`slowPeriods` on a node with `host` (docs/cost-models.md, \"Slow periods\"); use one of the two")
    return Description(load_scaling=not args.without_load_scaling, plain=args.plain,
                       overhead_from=args.overhead_from, overhead_at=args.overhead_at,
                       overhead_choice=args.overhead_calls,
                       receipt_only=args.server_work_from == "receipt",
                       server_cpu=args.server_work_from == "cpu",
                       thread_pool_model=args.thread_pool_model, shared_host=args.shared_host,
                       front_work=args.front_work, client_work=args.client_work,
                       overhead_family=args.overhead_family,
                       branch_overhead=args.branch_overhead, overlap_receipt=args.overlap_receipt,
                       wake_up=args.wake_up, overhead_scaling=args.overhead_scaling,
                       slow_periods=args.slow_periods)
