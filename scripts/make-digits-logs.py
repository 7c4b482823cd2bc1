#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the prediction logs in scenarios/data/ (docs/accuracy.md, "Prediction-log replay").

Three different scikit-learn classifiers are trained on scikit-learn's digits dataset
(1797 8x8 images, 10 classes; it ships inside the package) with a fixed split and fixed
random states. Each writes one CSV for the same test samples:

    sample_id,label,p0,p1,...,p9

sample_id is the row index in load_digits(); p<k> is the predicted probability of class k,
rounded to 4 decimals so the files are stable across runs. The files record the scikit-learn
version that wrote them (1.9.1 for the committed ones); another version may differ slightly.

Needs scikit-learn (pip install scikit-learn); the test suite does not: it reads the CSVs.
Usage: python3 scripts/make-digits-logs.py [output-folder]   (default scenarios/data)
"""
import os
import sys

import sklearn
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DECIMALS = 4
SEED = 0


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "scenarios", "data"))
    digits = load_digits()
    ids = list(range(len(digits.target)))
    x_train, x_test, y_train, y_test, _, id_test = train_test_split(
        digits.data, digits.target, ids, test_size=0.2, random_state=SEED, stratify=digits.target)
    models = {
        # Deliberately small models, so that they disagree often enough for fusion to matter.
        "digits-logreg": make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=2000, random_state=SEED)),
        "digits-forest": RandomForestClassifier(n_estimators=10, max_depth=6, random_state=SEED),
        "digits-knn": KNeighborsClassifier(n_neighbors=7),
    }
    os.makedirs(out, exist_ok=True)
    for name, model in models.items():
        model.fit(x_train, y_train)
        probabilities = model.predict_proba(x_test)
        classes = list(model.classes_)
        assert classes == list(range(10)), classes
        path = os.path.join(out, name + ".csv")
        with open(path, "w", newline="\n") as f:
            f.write("# %s: scikit-learn %s, digits test split; written by scripts/make-digits-logs.py\n"
                    % (name, sklearn.__version__))
            f.write("sample_id,label," + ",".join("p%d" % k for k in classes) + "\n")
            for sample, label, row in zip(id_test, y_test, probabilities):
                f.write("%d,%d,%s\n" % (sample, label, ",".join("%.*f" % (DECIMALS, p) for p in row)))
        right = sum(int(row.argmax() == label) for row, label in zip(probabilities, y_test))
        print("%s: %d samples, top-1 accuracy %.4f -> %s" % (name, len(y_test), right / len(y_test), path))


if __name__ == "__main__":
    main()
