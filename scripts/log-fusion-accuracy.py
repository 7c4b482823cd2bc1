#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fused accuracy of prediction logs, computed directly from the CSVs (standard library only).

An independent implementation of the fusion rules on full probability vectors, as
docs/accuracy.md states them, used by AccuracyReplayTests to check hybridsim's replay:
every log's samples, every branch's answer arriving (a deadline that never binds).

    python3 scripts/log-fusion-accuracy.py [--weights 3,1,2] a.csv b.csv c.csv

prints JSON: {"samples": N, "models": [right, ...], "fused": {"mean": right, ...}} with counts
of right answers over the N samples (samples matched by sample_id, in the first log's order).
Scores are summed in branch order, as hybridsim does, so exact ties are decided identically.
"""
import json
import sys

RULES = ["mean", "vote", "weighted", "weightedMean", "max", "min"]


def read_log(path):
    rows = {}
    order = []
    header = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [x.strip() for x in line.split(",")]
            if header is None:
                header = fields
                continue
            sample, label = int(fields[0]), int(fields[1])
            rows[sample] = (label, [float(x) for x in fields[2:]])
            order.append(sample)
    return order, rows


def top(vector):
    best = 0
    for k in range(1, len(vector)):
        if vector[k] > vector[best]:
            best = k
    return best


def fuse(rule, vectors, weights):
    """The fused class of the vectors (all branches arrived)."""
    n, classes = len(vectors), len(vectors[0])
    tops = [top(v) for v in vectors]
    if rule in ("weighted", "weightedMean"):
        w = weights
        total = 0.0
        for x in w:
            total += x
        if not total > 0:
            w, total = [1.0] * n, float(n)
    else:
        w, total = [1.0] * n, float(n)
    best = None  # (class, score, voter_sum, rank)
    for k in range(classes):
        column = [v[k] for v in vectors]
        if rule in ("mean", "weighted", "weightedMean"):
            score = 0.0
            for i in range(n):
                score += w[i] * column[i]
            score /= total
        elif rule == "max":
            score = max(column)
        elif rule == "min":
            score = min(column)
        else:
            score = float(sum(1 for i in range(n) if tops[i] == k))
        voter_sum = 0.0
        for i in range(n):
            if tops[i] == k:
                voter_sum += column[i]
        rank = min([i for i in range(n) if tops[i] == k], default=n + 64)
        if best is None or score > best[1]:
            best = (k, score, voter_sum, rank)
        elif score == best[1]:
            if rule == "vote" and voter_sum != best[2]:
                if voter_sum > best[2]:
                    best = (k, score, voter_sum, rank)
            elif rank < best[3]:
                best = (k, score, voter_sum, rank)
    return best[0]


def main(argv):
    weights = None
    if argv and argv[0] == "--weights":
        weights = [float(x) for x in argv[1].split(",")]
        argv = argv[2:]
    logs = [read_log(p) for p in argv]
    order = logs[0][0]
    weights = weights or [1.0] * len(logs)
    models = [0] * len(logs)
    fused = {rule: 0 for rule in RULES}
    for sample in order:
        label = logs[0][1][sample][0]
        vectors = [rows[sample][1] for _, rows in logs]
        for m, v in enumerate(vectors):
            models[m] += top(v) == label
        for rule in RULES:
            fused[rule] += fuse(rule, vectors, weights) == label
    print(json.dumps({"samples": len(order), "models": models, "fused": fused}))


if __name__ == "__main__":
    main(sys.argv[1:])
