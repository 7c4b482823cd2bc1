#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Diagnostics of the busy-gap estimator of serverWork (docs/calibration.md, "Busy gaps") on a
campaign's records (docs/validation.md, "Busy gaps"). For each one-executor configuration and
level of OUT/campaign.json:

1. the busy gaps (next handler_start − previous handler_end, calls in handler order) under
   three criteria for "the next call was already waiting" — b.send + m <= a.handler_end with
   m = T (calibrate's: the 95th percentile of handler_start − send over calls that found the
   server idle), m = the fastest such call, m = 0.5 ms — as count / median / mean in ms, and
   the median gap by slack (a.handler_end − b.send) band.
The Lindley replay of the measured wait with and without the gaps' work is replay.py's
(`replay.py OUT`: variants x = 0 and x = the mean busy gap among them).

Reads records only (no hybridsim, no servers).
  .venv/bin/python busy_gap_diagnostics.py OUT [--configs grpc,rest-async]
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from replay import busy_gaps as gaps       # noqa: E402
from testbed import wire                    # noqa: E402
from testbed.servers import CONFIGS         # noqa: E402
from testbed.summary import nearest_rank    # noqa: E402

TRANSFER_QUANTILE = 0.95   # as calibrate's BusyGaps.transferQuantile
SLACK_BANDS_MS = [(0, 0.5), (0.5, 1), (1, 2), (2, 5), (5, float("inf"))]


def idle_send_to_start(calls):
    """send → handler start (ns) of the calls sent after the previous call's response was back."""
    return sorted(b["handler_start_ns"] - b["send_ns"] for a, b in zip(calls, calls[1:]) if b["send_ns"] >= a["response_ns"])


def describe(values_ns):
    if not values_ns:
        return "0 / - / -"
    return f"{len(values_ns)} / {statistics.median(values_ns) / 1e6:.3f} / {statistics.mean(values_ns) / 1e6:.3f}"


def main():
    parser = argparse.ArgumentParser(description="busy-gap criteria on a campaign's records")
    parser.add_argument("out", help="the campaign folder")
    parser.add_argument("--configs", help="comma-separated one-executor single configurations (default: those of the campaign)")
    args = parser.parse_args()
    with open(os.path.join(args.out, "campaign.json")) as f:
        campaign = json.load(f)
    names = args.configs.split(",") if args.configs else [  # single servers with one executor
        n for n in campaign["configs"] if CONFIGS[n].kind == "single" and not CONFIGS[n].thread_pool]
    for name in names:
        print(f"{name}: gaps as count / median ms / mean ms (T, fastest idle call, 0.5 ms); median gap ms by slack band")
        for level in campaign["utilizations"]:
            calls = wire.ok_calls_in_handler_order(os.path.join(args.out, name, f"u{level:.2f}", "records.csv"))
            idle = idle_send_to_start(calls)
            if not idle:
                print(f"  u {level:.2f}: no call found the server idle")
                continue
            transfer = nearest_rank(idle, TRANSFER_QUANTILE)
            chosen = gaps(calls, transfer)
            bands = []
            for low, high in SLACK_BANDS_MS:
                band = [b["handler_start_ns"] - a["handler_end_ns"] for a, b in zip(calls, calls[1:])
                        if low * 1e6 <= a["handler_end_ns"] - b["send_ns"] < high * 1e6 and b["send_ns"] + transfer <= a["handler_end_ns"]]
                bands.append(f"[{low:g}, {high:g}) {statistics.median(band) / 1e6:.3f} (n {len(band)})" if band else f"[{low:g}, {high:g}) -")
            print(f"  u {level:.2f}: T {transfer / 1e6:.3f} ms: {describe(chosen)}; {describe(gaps(calls, idle[0]))}; "
                  f"{describe(gaps(calls, 500_000))}")
            print(f"           slack: {'; '.join(bands)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
