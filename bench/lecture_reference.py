#!/usr/bin/env python3
"""The lecture's from-scratch network, as a runnable script: the reference numbers for nnlab::scratch.

    py=$(scripts/bench-env); $py bench/lecture_reference.py [--mode lecture|vectorized|both] [--epochs 3]

`lecture` is the lecture's own code (set_biases ... train, per example, lists of (784, 1) columns),
unchanged but for the data source; `vectorized` is the same mathematics with each mini-batch as one
matrix (784, m). Both use `np.random.RandomState(121)` as the lecture does: deep copies for the biases,
the weights and the training loop's shuffling, so each starts from the same state. Fashion-MNIST comes
from the Debian package `dataset-fashion-mnist` (gz IDX files), scaled by 1/255 to float64.

The lecture's call: sizes [784, 28, 28, 10], 3 epochs, mini-batches of 64, eta 0.6; `L2=True` is
passed but its code is not written (no regularisation happens) and `cross_entropy=False`.
Prints per epoch the correct test classifications, the seconds of training and of evaluating the
10,000 test examples, and, with `--json`, one JSON line per mode at the end. Time it on a quiet
machine: a second busy process slows numpy's threaded matrix products many times over (on a loaded
2-core machine the vectorised epoch took 13 s with OpenBLAS's 2 threads, 1.2 s with
OPENBLAS_NUM_THREADS=1).
"""

import argparse
import copy
import gzip
import json
import os
import sys
import time

import numpy as np

DATA = os.environ.get("NNLAB_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def read_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as fh:
        raw = fh.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_data():
    x_train = read_idx("train-images-idx3-ubyte.gz")
    y_train = read_idx("train-labels-idx1-ubyte.gz")
    x_test = read_idx("t10k-images-idx3-ubyte.gz")
    y_test = read_idx("t10k-labels-idx1-ubyte.gz")
    return (x_train, y_train), (x_test, y_test)


# ---------------------------------------------------------------------------------------------------
# The lecture's code (names and structure kept; comments shortened).

sizes = [784, 28, 28, 10]


def set_biases(bias_matrix_dim, rnd):
    tmp = []
    for i in bias_matrix_dim:
        tmp.append(rnd.randn(i, 1))
    return tmp


def prepare_weightMatrix_dim(sizes):
    tmp = []
    for i in range(len(sizes) - 1):
        tmp.append([sizes[i], sizes[i + 1]])
    return tmp


def set_weights(weight_matrix_dim, rnd):
    tmp = []
    for i in weight_matrix_dim:
        tmp.append(rnd.randn(i[1], i[0]))
    return tmp


def split_data(training_data, mini_batch_size):
    tmp = []
    for i in range(0, len(training_data), mini_batch_size):
        tmp.append(training_data[i : i + mini_batch_size])
    return tmp


def unit_vector(j):
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


def backprop(net_input, y, biases, weights, cross_entropy):
    a = []
    zs = []
    deriv_bias = [np.zeros_like(b) for b in biases]
    deriv_weight = [np.zeros_like(w) for w in weights]
    a.append(net_input)
    for b, w in zip(biases, weights):
        z = np.dot(w, net_input) + b
        zs.append(z)
        net_input = sigmoid(z)
        a.append(net_input)
    delta = quadcost_derivative(a[-1], y, zs[-1])
    deriv_bias[-1] = delta
    deriv_weight[-1] = np.dot(delta, a[-2].transpose())
    for l in range(-2, -len(sizes), -1):
        z = zs[l]
        sigma_prime = sigmoid_deriv(z)
        delta = np.dot(weights[l + 1].transpose(), delta) * sigma_prime
        deriv_bias[l] = delta
        deriv_weight[l] = np.dot(delta, a[l - 1].transpose())
    return (deriv_bias, deriv_weight)


def quadcost_derivative(output_activations, y, z):
    return (output_activations - y) * sigmoid_deriv(z)


def evaluation(test_data, biases, weights):
    tmp = []
    results = []
    for x, y in test_data:
        results.append((net_output(x, biases, weights), y))
    for i in results:
        tmp.append((np.argmax(i[0]), i[1]))
    correct_classifications = 0
    for x, y in tmp:
        if int(x) == int(y):
            correct_classifications = correct_classifications + 1
    return correct_classifications


def net_output(net_input, biases, weights):
    for i in range(len(weights)):
        current_z = np.dot(weights[i], net_input) + biases[i]
        net_input = sigmoid(current_z)
    return net_input


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_deriv(z):
    return sigmoid(z) * (1 - sigmoid(z))


def prepare_data(x_train, y_train, x_test, y_test):
    test_imgs = np.reshape(x_test, [10000, 784])
    train_imgs = np.reshape(x_train, [60000, 784])
    training_inputs = [np.reshape(x, [784, 1]) for x in train_imgs]
    training_results = [unit_vector(y) for y in y_train]
    training_data = zip(training_inputs, training_results)
    test_inputs = [np.reshape(x, [784, 1]) for x in test_imgs]
    test_data = zip(test_inputs, y_test)
    return (list(training_data), list(test_data))


def train(training_data, epochs, mini_batch_size, eta, test_data, weights, biases, rnd, plot=True, L2=True,
          cross_entropy=False, log=print):
    start = time.time()
    train_evaluation = []
    timestamps = []
    n_test = len(test_data)
    for i in range(epochs):
        rnd.shuffle(training_data)
        mini_batches = split_data(training_data, mini_batch_size)
        print("mini batches number : ", len(mini_batches), file=sys.stderr)
        for mini_batch in mini_batches:
            partial_deriv_biases = [np.zeros_like(b) for b in biases]
            partial_deriv_weights = [np.zeros_like(w) for w in weights]
            for x, y in mini_batch:
                deriv_bias, deriv_weight = backprop(x, y, biases, weights, cross_entropy)
                for l in range(len(partial_deriv_biases)):
                    partial_deriv_biases[l] = partial_deriv_biases[l] + deriv_bias[l]
                for l in range(len(partial_deriv_weights)):
                    partial_deriv_weights[l] = partial_deriv_weights[l] + deriv_weight[l]
            for l in range(len(weights)):
                weights[l] = weights[l] - (eta / len(mini_batch)) * partial_deriv_weights[l]
            for l in range(len(biases)):
                biases[l] = biases[l] - (eta / len(mini_batch)) * partial_deriv_biases[l]
        timestamps.append(time.time() - start)
        v = evaluation(test_data, biases, weights)
        log("{0} --> correct classifications: ({1} / {2}) ".format(i, v, n_test))
        train_evaluation.append(v)
    return train_evaluation, timestamps


# ---------------------------------------------------------------------------------------------------
# The same training, vectorised: each mini-batch is one (784, m) matrix, the sums over the batch are
# matrix products. Same shuffling order (the shuffle's draws depend only on the length of the list).


def train_vectorized(x_train, y_train, x_test, y_test, epochs, mini_batch_size, eta, weights, biases, rnd,
                     log=print):
    start = time.time()
    x_rows = np.ascontiguousarray(x_train.reshape(-1, 784))  # (60000, 784): gather rows, not columns
    onehot = np.zeros((10, len(y_train)))
    onehot[y_train, np.arange(len(y_train))] = 1.0
    x_test_cols = np.ascontiguousarray(x_test.reshape(-1, 784).T)
    order = list(range(len(y_train)))
    train_evaluation = []
    timestamps = []
    for i in range(epochs):
        rnd.shuffle(order)
        idx = np.array(order)
        for k in range(0, len(idx), mini_batch_size):
            batch = idx[k : k + mini_batch_size]
            a = [x_rows[batch].T]
            zs = []
            for b, w in zip(biases, weights):
                z = w @ a[-1] + b
                zs.append(z)
                a.append(sigmoid(z))
            delta = (a[-1] - onehot[:, batch]) * sigmoid_deriv(zs[-1])
            grad_b = [None] * len(biases)
            grad_w = [None] * len(weights)
            grad_b[-1] = delta.sum(axis=1, keepdims=True)
            grad_w[-1] = delta @ a[-2].T
            for l in range(-2, -len(sizes), -1):
                delta = (weights[l + 1].T @ delta) * sigmoid_deriv(zs[l])
                grad_b[l] = delta.sum(axis=1, keepdims=True)
                grad_w[l] = delta @ a[l - 1].T
            m = len(batch)
            for l in range(len(weights)):
                weights[l] = weights[l] - (eta / m) * grad_w[l]
                biases[l] = biases[l] - (eta / m) * grad_b[l]
        timestamps.append(time.time() - start)
        out = x_test_cols
        for b, w in zip(biases, weights):
            out = sigmoid(w @ out + b)
        v = int((np.argmax(out, axis=0) == y_test).sum())
        log("{0} --> correct classifications: ({1} / {2}) ".format(i, v, len(y_test)))
        train_evaluation.append(v)
    return train_evaluation, timestamps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=["lecture", "vectorized", "both"], default="both")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--eta", type=float, default=0.6)
    ap.add_argument("--json", action="store_true", help="also print one JSON line per mode")
    args = ap.parse_args()

    (x_train, y_train), (x_test, y_test) = load_data()
    x_train = x_train / 255
    x_test = x_test / 255

    bias_matrix_dim = sizes[1:]
    weight_matrix_dim = prepare_weightMatrix_dim(sizes)
    rnd = np.random.RandomState(121)
    biases = set_biases(bias_matrix_dim, copy.deepcopy(rnd))
    weights = set_weights(weight_matrix_dim, copy.deepcopy(rnd))

    modes = ["lecture", "vectorized"] if args.mode == "both" else [args.mode]
    results = {}
    for mode in modes:
        print("==>", mode, file=sys.stderr)
        logged = []  # time of each epoch's progress line, printed right after its evaluation

        def log(line):
            logged.append(time.time())
            print(line, file=sys.stderr)

        if mode == "lecture":
            training_data, test_data = prepare_data(x_train, y_train, x_test, y_test)
            start = time.time()
            counts, stamps = train(training_data, args.epochs, args.batch, args.eta, test_data,
                                   copy.deepcopy(weights), copy.deepcopy(biases), copy.deepcopy(rnd), log=log)
        else:
            start = time.time()
            counts, stamps = train_vectorized(x_train, y_train, x_test, y_test, args.epochs, args.batch,
                                              args.eta, copy.deepcopy(weights), copy.deepcopy(biases),
                                              copy.deepcopy(rnd), log=log)
        # stamps: end of each epoch's training, from the start of train(); logged: end of its evaluation.
        trained = [start + t for t in stamps]
        evals = [end - t for end, t in zip(logged, trained)]
        trains = [t - begin for t, begin in zip(trained, [start] + logged[:-1])]
        results[mode] = counts
        print("%s: correct %s; seconds per epoch: training %s, evaluation %s" % (
            mode, counts, ", ".join("%.2f" % s for s in trains), ", ".join("%.2f" % s for s in evals)))
        if args.json:
            print(json.dumps({"mode": mode, "correct": counts, "train_epoch_s": trains, "eval_s": evals}))
    if len(results) == 2 and results["lecture"] != results["vectorized"]:
        print("the two modes disagree: %s" % results, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
