# SPDX-License-Identifier: GPL-3.0-or-later
"""How compare.py describes a campaign's deployments for hybridsim: its options, one value per
choice (compare.py's docstring and `--help` say what each changes and why the default is the
default)."""
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
