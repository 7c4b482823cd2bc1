#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fused accuracy of prediction logs, computed directly from the CSVs (standard library only).

An independent implementation of the fusion rules on full probability vectors, as
docs/accuracy.md states them, used by AccuracyReplayTests to check hybridsim's replay:
every log's samples, every branch's answer arriving (a deadline that never binds).

    python3 scripts/log-fusion-accuracy.py [--weights 3,1,2] [--recall-at K] a.csv b.csv c.csv

prints JSON: {"samples": N, "models": [right, ...], "fused": {"mean": right, ...},
"recalled": {"mean": hits, ...}} with counts over the N samples (samples matched by sample_id,
in the first log's order); a hit is a sample whose label is among the first K classes of the
fused ranking (recall@K; 1 when not given).
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
    """The classes of the vectors ranked by the rule, best first (all branches arrived)."""
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
    keys = []
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
        # Higher score; for vote the higher voters' sum; the lower predicting branch; the lower class.
        keys.append((-score, -voter_sum if rule == "vote" else 0.0, rank, k))
    return [key[3] for key in sorted(keys)]


def main(argv):
    weights, recall_at = None, 1
    while argv and argv[0].startswith("--"):
        if argv[0] == "--weights":
            weights = [float(x) for x in argv[1].split(",")]
        elif argv[0] == "--recall-at":
            recall_at = int(argv[1])
        argv = argv[2:]
    logs = [read_log(p) for p in argv]
    order = logs[0][0]
    weights = weights or [1.0] * len(logs)
    models = [0] * len(logs)
    fused = {rule: 0 for rule in RULES}
    recalled = {rule: 0 for rule in RULES}
    for sample in order:
        label = logs[0][1][sample][0]
        vectors = [rows[sample][1] for _, rows in logs]
        for m, v in enumerate(vectors):
            models[m] += top(v) == label
        for rule in RULES:
            ranking = fuse(rule, vectors, weights)
            fused[rule] += ranking[0] == label
            recalled[rule] += label in ranking[:recall_at]
    print(json.dumps({"samples": len(order), "models": models, "fused": fused, "recalled": recalled}))


if __name__ == "__main__":
    main(sys.argv[1:])
