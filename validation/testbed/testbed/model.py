# SPDX-License-Identifier: GPL-3.0-or-later
"""The testbed's models: scikit-learn MLPs on the digits data set, exported to ONNX by hand.

Training is deterministic (fixed split, fixed `random_state`, one thread). Each MLP is written
as an ONNX graph built from its weights (MatMul + Add + Relu ... + Softmax), so that the same
network can also be cut in two for the pipeline case: `stage-1` is the first PIPELINE_CUT
layers of `pipe`, `stage-2` the rest, and stage-2(stage-1(x)) equals the whole network. `export_models` checks
every exported graph against scikit-learn's own `predict_proba` before it keeps the file.

Inputs are float32 matrices of shape (N, 64): N digit images of 8x8 pixels (values 0..16).
"""
import os

import numpy as np

FEATURES = 64
CLASSES = 10
SEED = 0

# name -> hidden layer sizes and random_state. Sized so that one request of 384 images takes a
# few milliseconds on one CPU thread (docs/validation.md, "Testbed": model-a about 3.6 ms,
# model-b 2.7 ms, stage-1 1.6 ms, stage-2 1.4 ms). max_iter=60 stops before full convergence
# (scikit-learn warns) with test accuracy above 0.97: enough for a load test, and fast to train.
NETWORKS = {
    "model-a": ((1024, 1024), 1),
    "model-b": ((768, 1024), 2),
    "pipe": ((1536, 256, 1536), 3),
}
PIPELINE_SOURCE = "pipe"   # cut into stage-1 (its first PIPELINE_CUT layers) and stage-2 (the rest)
PIPELINE_CUT = 2           # stage-1 ends at the 256-wide layer: 384 KB between the stages


def digits_split():
    """The digits data set split 80/20, stratified, with a fixed seed (train, test)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data.astype(np.float32), digits.target, test_size=0.2,
        random_state=SEED, stratify=digits.target)
    return (x_train, y_train), (x_test, y_test)


def train(hidden, random_state, x, y):
    from sklearn.neural_network import MLPClassifier
    net = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", max_iter=60,
                        random_state=random_state)
    net.fit(x / 16.0, y)
    return net


def _graph(layers, name, final, input_width):
    """An ONNX model computing relu(... relu(x·W1 + b1) ...)·Wk + bk, then `final`
    ("softmax" or "relu") on the last layer.

    `layers` are (W, b) pairs; the first layer of a whole network has the training scale 1/16
    folded into W, so the served model takes raw pixel values."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []
    current = "x"
    for i, (w, b) in enumerate(layers):
        inits += [numpy_helper.from_array(w.astype(np.float32), f"W{i}"),
                  numpy_helper.from_array(b.astype(np.float32), f"b{i}")]
        nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"])]
        current = f"a{i}"
        if i < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [current], [f"r{i}"]))
            current = f"r{i}"
    if final == "softmax":
        nodes.append(helper.make_node("Softmax", [current], ["y"], axis=-1))
    else:
        nodes.append(helper.make_node("Relu", [current], ["y"]))
    out_width = layers[-1][0].shape[1]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, input_width])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, out_width])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="hybridsim-testbed")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _layers(net):
    weights = [w.copy() for w in net.coefs_]
    weights[0] = weights[0] / 16.0
    return list(zip(weights, net.intercepts_))


def export_models(out_dir):
    """Trains every network, writes `<name>.onnx` (and stage-1/stage-2) into out_dir, checks
    each against scikit-learn, and returns {name: test accuracy}."""
    import onnx
    os.makedirs(out_dir, exist_ok=True)
    (x_train, y_train), (x_test, y_test) = digits_split()
    accuracies = {}
    for name, (hidden, random_state) in NETWORKS.items():
        net = train(hidden, random_state, x_train, y_train)
        layers = _layers(net)
        whole = _graph(layers, name, "softmax", FEATURES)
        expected = net.predict_proba(x_test / 16.0)
        _check(whole, x_test, expected, name)
        onnx.save(whole, os.path.join(out_dir, f"{name}.onnx"))
        accuracies[name] = float((expected.argmax(axis=1) == y_test).mean())
        if name == PIPELINE_SOURCE:
            first = _graph(layers[:PIPELINE_CUT], "stage-1", "relu", FEATURES)
            second = _graph(layers[PIPELINE_CUT:], "stage-2", "softmax",
                            layers[PIPELINE_CUT][0].shape[0])
            _check(second, _run(first, x_test), expected, "stage-2 after stage-1")
            onnx.save(first, os.path.join(out_dir, "stage-1.onnx"))
            onnx.save(second, os.path.join(out_dir, "stage-2.onnx"))
            accuracies["stage-1+stage-2"] = accuracies[name]
    return accuracies


def _run(model, x):
    import onnxruntime as ort
    session = ort.InferenceSession(model.SerializeToString(), _session_options(),
                                   providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x.astype(np.float32)})[0]


def _check(model, x, expected, what):
    got = _run(model, x)
    worst = float(np.abs(got - expected).max())
    if worst > 1e-4:
        raise SystemExit(f"exported {what} differs from scikit-learn by {worst:.3g} (limit 1e-4)")


def _session_options():
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1   # one worker: one CPU thread per inference
    options.inter_op_num_threads = 1
    return options


class OnnxModel:
    """One ONNX model served by ONNX Runtime on one CPU thread (the server's worker)."""

    def __init__(self, path):
        import onnxruntime as ort
        self.path = path
        self.session = ort.InferenceSession(path, _session_options(),
                                            providers=["CPUExecutionProvider"])
        shape = self.session.get_inputs()[0].shape
        self.input_width = int(shape[1])

    def infer(self, batch):
        """float32 (N, input_width) -> float32 (N, out). ONNX Runtime releases the GIL while
        it computes, so two threads can infer at once (the thread-pool REST variant)."""
        return self.session.run(None, {"x": batch})[0]
