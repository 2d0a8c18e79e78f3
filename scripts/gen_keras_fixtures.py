"""Reference values for nnlab's Keras-like API, computed with Keras 3 on the torch backend (and PyTorch).

Writes crate/tests/fixtures/keras/reference.json: for fixed inputs, each activation and loss (value and
gradient, by torch autograd through Keras' own ops), one step of each optimizer (Keras' update rules, run by
Keras' optimizers), one Dense layer forward and backward, and Keras' own convolution and pooling
layers. crate/tests/keras_conformance.rs reads it.

Usage: py=$(scripts/bench-env torch); $py scripts/gen_keras_fixtures.py
"""

import json
import os
import pathlib

os.environ["KERAS_BACKEND"] = "torch"
import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "crate/tests/fixtures/keras/reference.json"
rng = np.random.RandomState(0)
X = (rng.randn(3, 4) * 1.5).astype(np.float32)
COEF = rng.randn(3, 4).astype(np.float32)  # the scalar checked is sum(coef * f(x))


def lst(a):
    return np.asarray(a, dtype=np.float64).tolist()


def grad_of(fn, *arrays):
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*ts)
    return out, ts


fixtures = {"x": lst(X), "coef": lst(COEF), "activations": {}, "losses": {}, "optimizers": {}}

for name in ["sigmoid", "tanh", "relu", "leaky_relu", "silu", "elu", "gelu", "softplus", "softmax", "linear"]:
    f = keras.activations.get(name)
    out, (t,) = grad_of(lambda t: f(t), X)
    (out * torch.tensor(COEF)).sum().backward()
    fixtures["activations"][name] = {"value": lst(out.detach()), "grad": lst(t.grad)}

Y_PROB = np.abs(rng.rand(3, 4).astype(np.float32)) + 0.05
Y_PROB /= Y_PROB.sum(-1, keepdims=True)
Y_ONEHOT = np.eye(4, dtype=np.float32)[[1, 3, 0]]
Y_BIN = (rng.rand(3, 4) > 0.5).astype(np.float32)
P_BIN = rng.rand(3, 4).astype(np.float32) * 0.9 + 0.05
fixtures.update({"y_prob": lst(Y_PROB), "y_onehot": lst(Y_ONEHOT), "y_bin": lst(Y_BIN), "p_bin": lst(P_BIN)})
cases = {
    "mse": (keras.losses.MeanSquaredError(), Y_ONEHOT, Y_PROB),
    "mae": (keras.losses.MeanAbsoluteError(), Y_ONEHOT, Y_PROB),
    "categorical_crossentropy": (keras.losses.CategoricalCrossentropy(), Y_ONEHOT, Y_PROB),
    "categorical_crossentropy_from_logits": (keras.losses.CategoricalCrossentropy(from_logits=True), Y_ONEHOT, X),
    "sparse_categorical_crossentropy": (keras.losses.SparseCategoricalCrossentropy(), np.array([1.0, 3.0, 0.0], np.float32), Y_PROB),
    "binary_crossentropy": (keras.losses.BinaryCrossentropy(), Y_BIN, P_BIN),
    "binary_crossentropy_from_logits": (keras.losses.BinaryCrossentropy(from_logits=True), Y_BIN, X),
    # errors on both sides of delta; log cosh of errors up to ~4; KL with zeros in the targets (clipped)
    "huber": (keras.losses.Huber(), Y_ONEHOT, X),
    "huber_delta_0.5": (keras.losses.Huber(delta=0.5), Y_ONEHOT, X),
    "log_cosh": (keras.losses.LogCosh(), Y_ONEHOT, X),
    "kl_divergence": (keras.losses.KLDivergence(), Y_PROB, P_BIN),
    "kl_divergence_one_hot": (keras.losses.KLDivergence(), Y_ONEHOT, Y_PROB),
}
for name, (loss, yt, yp) in cases.items():
    out, (t,) = grad_of(lambda t: loss(torch.tensor(yt), t), yp)
    out.backward()
    fixtures["losses"][name] = {"y_true": lst(yt), "y_pred": lst(yp), "value": float(out.detach()), "grad": lst(t.grad)}

W0 = rng.randn(3, 4).astype(np.float32)
GRADS = [rng.randn(3, 4).astype(np.float32) for _ in range(3)]
fixtures.update({"w0": lst(W0), "grads": [lst(g) for g in GRADS]})
opts = {
    "sgd": keras.optimizers.SGD(),
    "sgd_momentum": keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    "sgd_nesterov": keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
    "adagrad": keras.optimizers.Adagrad(),
    "rmsprop": keras.optimizers.RMSprop(),
    "rmsprop_centered_momentum": keras.optimizers.RMSprop(momentum=0.5, centered=True),
    "adam": keras.optimizers.Adam(),
    "adam_amsgrad": keras.optimizers.Adam(amsgrad=True),
    # Keras' common settings (BaseOptimizer): clipping, decoupled weight decay, learning-rate schedules.
    "sgd_clipnorm": keras.optimizers.SGD(learning_rate=0.1, clipnorm=1.0),
    "sgd_clipvalue": keras.optimizers.SGD(learning_rate=0.1, clipvalue=0.5),
    "adam_global_clipnorm": keras.optimizers.Adam(learning_rate=0.1, global_clipnorm=1.0),
    "sgd_momentum_weight_decay": keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, weight_decay=0.5),
    "adamw": keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5),
    "nadam": keras.optimizers.Nadam(),
    "nadam_clipnorm": keras.optimizers.Nadam(learning_rate=0.01, clipnorm=1.0),
    "sgd_exponential_decay": keras.optimizers.SGD(
        learning_rate=keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)),
    "adamw_cosine_warmup": keras.optimizers.AdamW(
        learning_rate=keras.optimizers.schedules.CosineDecay(0.01, 2, warmup_target=0.1, warmup_steps=1),
        weight_decay=0.5),
    "rmsprop_piecewise": keras.optimizers.RMSprop(
        learning_rate=keras.optimizers.schedules.PiecewiseConstantDecay([1], [0.01, 0.001])),
}
for name, opt in opts.items():
    v = keras.Variable(W0.copy())
    steps = []
    for g in GRADS:  # three steps: the state (momenta, bias correction) matters
        opt.apply_gradients([(torch.tensor(g), v)])
        steps.append(lst(keras.ops.convert_to_numpy(v)))
    fixtures["optimizers"][name] = steps

# Learning-rate schedules: the rate at steps 0..15.
S = keras.optimizers.schedules
schedules = {
    "exponential": S.ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5),
    "exponential_staircase": S.ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5, staircase=True),
    "cosine": S.CosineDecay(0.1, decay_steps=10, alpha=0.1),
    "cosine_warmup": S.CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=4),
    "piecewise": S.PiecewiseConstantDecay([3, 6], [1.0, 0.5, 0.1]),
}
fixtures["schedules"] = {name: [float(keras.ops.convert_to_numpy(s(step))) for step in range(16)]
                         for name, s in schedules.items()}

# One Dense layer forward and backward, in plain PyTorch: y = swish(x W + b), L = sum(coef_y * y).
XD = rng.randn(5, 4).astype(np.float32)
WD = rng.randn(4, 3).astype(np.float32) * 0.5
BD = rng.randn(3).astype(np.float32) * 0.1
CY = rng.randn(5, 3).astype(np.float32)
x, w, b = (torch.tensor(a, requires_grad=True) for a in (XD, WD, BD))
y = torch.nn.functional.silu(x @ w + b)
(y * torch.tensor(CY)).sum().backward()
fixtures["dense"] = {"x": lst(XD), "kernel": lst(WD), "bias": lst(BD), "coef": lst(CY), "y": lst(y.detach()),
                     "grad_x": lst(x.grad), "grad_kernel": lst(w.grad), "grad_bias": lst(b.grad)}

# Convolution and pooling layers, run by Keras itself (torch backend, channels last): for each, the output and
# the gradients of L = sum(coef * y) with respect to the input and to each weight.
def keras_layer_case(layer, x, weights=()):
    layer.build(x.shape)
    if weights:
        layer.set_weights(list(weights))
    xt = torch.tensor(x, requires_grad=True)
    y = layer(xt)
    coef = rng.randn(*y.shape).astype(np.float32)
    (y * torch.tensor(coef)).sum().backward()
    case = {"x": lst(x), "coef": lst(coef), "y": lst(y.detach()), "grad_x": lst(xt.grad)}
    case["weights"] = [lst(w) for w in weights]
    case["grad_weights"] = [lst(v.value.grad) for v in layer.trainable_variables]
    return case


XC = rng.randn(2, 6, 5, 3).astype(np.float32)
K1, B1 = rng.randn(3, 2, 3, 4).astype(np.float32) * 0.4, rng.randn(4).astype(np.float32) * 0.1
K2, B2 = rng.randn(3, 3, 3, 2).astype(np.float32) * 0.4, rng.randn(2).astype(np.float32) * 0.1
L = keras.layers
fixtures["layers"] = {
    "conv2d_valid_relu": keras_layer_case(L.Conv2D(4, (3, 2), activation="relu"), XC, (K1, B1)),
    "conv2d_same_strides2": keras_layer_case(L.Conv2D(2, 3, strides=2, padding="same"), XC, (K2, B2)),
    "max_pooling2d_valid": keras_layer_case(L.MaxPooling2D(2), XC),
    "max_pooling2d_same": keras_layer_case(L.MaxPooling2D(2, padding="same"), XC),
    # (Symmetric padding only: where the "same" border is uneven, Keras' torch backend pads by repeating the
    # edge pixels and averages them in, where TensorFlow, and nnlab, average over the pixels inside only.)
    "average_pooling2d_same": keras_layer_case(L.AveragePooling2D(3, strides=1, padding="same"), XC),
    "average_pooling2d_valid_strides2": keras_layer_case(L.AveragePooling2D(2, strides=(2, 1)), XC),
    "global_average_pooling2d": keras_layer_case(L.GlobalAveragePooling2D(), XC),
}
X1 = rng.randn(2, 9, 2).astype(np.float32)
K3, B3 = rng.randn(4, 2, 3).astype(np.float32) * 0.4, rng.randn(3).astype(np.float32) * 0.1
fixtures["layers"]["conv1d_same_strides2_tanh"] = keras_layer_case(
    L.Conv1D(3, 4, strides=2, padding="same", activation="tanh"), X1, (K3, B3))  # an uneven border: 1 + 2
# The keras.io "Simple MNIST convnet": its parameter count.
convnet = keras.Sequential([keras.Input(shape=(28, 28, 1)), L.Conv2D(32, (3, 3), activation="relu"),
                            L.MaxPooling2D((2, 2)), L.Conv2D(64, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)),
                            L.Flatten(), L.Dropout(0.5), L.Dense(10, activation="softmax")])
fixtures["keras_io_convnet_params"] = convnet.count_params()

# Precision, recall and ROC AUC, accumulated over two batches (a state across update_state calls), from
# their own RandomState so that the values above stay as they were.
mr = np.random.RandomState(1)
BATCHES = []
for shape in [(40, 1), (30, 1)]:
    yt = (mr.rand(*shape) > 0.6).astype(np.float32)
    yp = np.clip(yt * 0.3 + mr.rand(*shape).astype(np.float32) * 0.7, 0.0, 1.0).astype(np.float32)
    BATCHES.append((yt, yp))
YM = (mr.rand(16, 3) > 0.5).astype(np.float32)  # several outputs: flattened, as Keras does by default
PM = mr.rand(16, 3).astype(np.float32)
M = keras.metrics
metric_cases = {
    "precision": (M.Precision(), BATCHES),
    "precision_threshold_0.3": (M.Precision(thresholds=0.3), BATCHES),
    "recall": (M.Recall(), BATCHES),
    "recall_threshold_0.7": (M.Recall(thresholds=0.7), BATCHES),
    "auc": (M.AUC(), BATCHES),
    "auc_10_thresholds": (M.AUC(num_thresholds=10), BATCHES),
    "auc_multi_column": (M.AUC(), [(YM, PM)]),
    "precision_multi_column": (M.Precision(), [(YM, PM)]),
}
fixtures["metrics"] = {}
for name, (m, batches) in metric_cases.items():
    for yt, yp in batches:
        m.update_state(yt, yp)
    fixtures["metrics"][name] = {"batches": [[lst(yt), lst(yp)] for yt, yp in batches],
                                 "result": float(keras.ops.convert_to_numpy(m.result()))}

# Weighted fitting: Dense(3, softmax), SGD 0.1, batches of 4 in order, one epoch, from fixed weights.
wrs = np.random.RandomState(2)
WX = wrs.randn(10, 4).astype(np.float32)
WY = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 0, 1, 0, 0, 2, 0]]
WK = (wrs.randn(4, 3) * 0.5).astype(np.float32)
WB = (wrs.randn(3) * 0.1).astype(np.float32)
WS = wrs.rand(10).astype(np.float32) * 2
fixtures["weighted_fit"] = {"x": lst(WX), "y": lst(WY), "kernel": lst(WK), "bias": lst(WB), "sample_weight": lst(WS),
                            "class_weight": [1.0, 3.0, 0.5]}
for name, kwargs in {"class_weight": {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}},
                     "sample_weight": {"sample_weight": WS, "validation_split": 0.2}}.items():
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    m.layers[0].set_weights([WK, WB])
    m.compile(keras.optimizers.SGD(0.1), "categorical_crossentropy")
    h = m.fit(WX, WY, batch_size=4, epochs=2, shuffle=False, verbose=0, **kwargs)
    k, b = m.layers[0].get_weights()
    fixtures["weighted_fit"]["with_" + name] = {"kernel": lst(k), "bias": lst(b),
                                      "history": {key: [float(v) for v in vs] for key, vs in h.history.items()}}

# LayerNormalization over the last axis, on [batch, features] and [batch, time, features], with learned
# gamma and beta away from their initial 1 and 0 (drawn after every case above, so those stay as they were).
XL2, XL3 = (rng.randn(4, 5) * 2 + 1).astype(np.float32), rng.randn(2, 3, 4).astype(np.float32)
G5, BE5 = (1 + rng.randn(5) * 0.3).astype(np.float32), (rng.randn(5) * 0.2).astype(np.float32)
G4, BE4 = (1 + rng.randn(4) * 0.3).astype(np.float32), (rng.randn(4) * 0.2).astype(np.float32)
fixtures["layers"]["layer_normalization"] = keras_layer_case(L.LayerNormalization(), XL2, (G5, BE5))
fixtures["layers"]["layer_normalization_3d_eps0.1"] = keras_layer_case(L.LayerNormalization(epsilon=0.1), XL3, (G4, BE4))
fixtures["layers"]["layer_normalization_no_center"] = keras_layer_case(L.LayerNormalization(center=False), XL2, (G5,))

# Recurrent layers on [batch, time, features] (drawn after every case above): SimpleRNN, last output and every
# output, and LSTM (Keras' gate order i | f | c | o), from given weights.
XR = rng.randn(2, 5, 3).astype(np.float32)
KR, UR, BR = (rng.randn(3, 4) * 0.5).astype(np.float32), (rng.randn(4, 4) * 0.4).astype(np.float32), (rng.randn(4) * 0.1).astype(np.float32)
KL, UL, BL = (rng.randn(3, 8) * 0.5).astype(np.float32), (rng.randn(2, 8) * 0.4).astype(np.float32), (rng.randn(8) * 0.1).astype(np.float32)
fixtures["layers"]["simple_rnn"] = keras_layer_case(L.SimpleRNN(4), XR, (KR, UR, BR))
fixtures["layers"]["simple_rnn_sequences_relu"] = keras_layer_case(
    L.SimpleRNN(4, activation="relu", return_sequences=True), XR, (KR, UR, BR))
fixtures["layers"]["lstm_sequences"] = keras_layer_case(L.LSTM(2, return_sequences=True), XR, (KL, UL, BL))
KG, UG, BG = (rng.randn(3, 6) * 0.5).astype(np.float32), (rng.randn(2, 6) * 0.4).astype(np.float32), (rng.randn(2, 6) * 0.1).astype(np.float32)
fixtures["layers"]["gru"] = keras_layer_case(L.GRU(2), XR, (KG, UG, BG))
fixtures["layers"]["gru_sequences"] = keras_layer_case(L.GRU(2, return_sequences=True), XR, (KG, UG, BG))

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(fixtures, indent=None) + "\n")
print(f"wrote {OUT} ({OUT.stat().st_size} bytes) with keras {keras.__version__}, torch {torch.__version__}")
