#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Trains the testbed's MLPs on scikit-learn's digits and exports them to ONNX (testbed/model.py).

Deterministic: fixed split and random states, one BLAS thread. The ONNX files are generated,
not committed (models/ is git-ignored); every run writes the same networks.
Usage: .venv/bin/python train_model.py [--out models]
"""
import argparse
import json
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")        # before numpy loads: deterministic sums
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from testbed.model import export_models  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "models"))
    args = parser.parse_args()
    accuracies = export_models(args.out)
    with open(os.path.join(args.out, "accuracy.json"), "w") as f:
        json.dump(accuracies, f, indent=2, sort_keys=True)
    for name, accuracy in sorted(accuracies.items()):
        print(f"{name}: test accuracy {accuracy:.4f}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
