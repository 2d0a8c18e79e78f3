"""Driver of bench/group-functional: writes Fashion-MNIST as raw f32, runs nnlab (Model.fit, then a
hand-written GradientTape loop), plain PyTorch and Keras 3 (torch backend) on the lecture's functional
model (Input 784, Dense 784 relu, Dense 10 softmax; rmsprop, categorical cross-entropy, batch 128) and
emits the figures. EPOCHS (default 5) epochs each; per-epoch figures are medians over epochs."""

import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from common import emit, fashion_mnist_idx as idx  # noqa: E402

G = "functional"
data_dir, ours = sys.argv[1], sys.argv[2]
epochs = int(os.environ.get("EPOCHS", "5"))


x_train = idx("train-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
y_train = np.eye(10, dtype=np.float32)[idx("train-labels-idx1-ubyte", 8)]
x_test = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
y_test = np.eye(10, dtype=np.float32)[idx("t10k-labels-idx1-ubyte", 8)]
for name, a in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
    a.astype("<f4").tofile(f"{data_dir}/{name}.f32")

load0 = os.getloadavg()[0]
out = subprocess.run([ours, data_dir, str(epochs)], check=True, capture_output=True, text=True).stdout
r = json.loads(out.strip().splitlines()[-1])
ours_epoch, ours_acc = statistics.median(r["epoch_s"]), r["test_accuracy"]
tape_epoch, tape_acc = statistics.median(r["tape_epoch_s"]), r["tape_test_accuracy"]

# Plain PyTorch: the same model and Keras' formulas (RMSprop rho 0.9, eps 1e-7; cross-entropy of the
# softmax probabilities, normalised and clipped to [1e-7, 1 - 1e-7] as Keras does).
def cce(y, p):
    p = (p / p.sum(1, keepdim=True)).clamp(1e-7, 1 - 1e-7)
    return -(y * p.log()).sum(1).mean()


def torch_run():
    """Epoch times and test accuracy of the model in plain PyTorch, from seed 0."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 784), torch.nn.ReLU(), torch.nn.Linear(784, 10), torch.nn.Softmax(dim=1))
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    times = []
    for e in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(len(xt))
        model.train()
        for i in range(0, len(xt), 128):
            b = perm[i:i + 128]
            opt.zero_grad()
            loss = cce(yt[b], model(xt[b]))
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(x_test)).argmax(1)
        acc = (pred == torch.from_numpy(y_test).argmax(1)).float().mean().item()
    return times, acc


threads = torch.get_num_threads()
times, torch_acc = torch_run()
torch_epoch = statistics.median(times)
# On a small shared machine PyTorch's intra-op threads can wait on each other for long: one thread too.
torch.set_num_threads(1)
times1, _ = torch_run()
torch_epoch_1 = statistics.median(times1)
torch.set_num_threads(threads)

import keras  # noqa: E402  (after the plain-PyTorch run: same process, same torch threads)

keras.utils.set_random_seed(0)
inputs = keras.Input((784,))
x = keras.layers.Dense(784, activation="relu")(inputs)
outputs = keras.layers.Dense(10, activation="softmax")(x)
kmodel = keras.Model(inputs=inputs, outputs=outputs)
kmodel.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
ktimes = []
for e in range(epochs):
    t0 = time.perf_counter()
    kmodel.fit(x_train, y_train, epochs=1, batch_size=128, verbose=0)
    ktimes.append(time.perf_counter() - t0)
keras_acc = kmodel.evaluate(x_test, y_test, batch_size=128, verbose=0)[1]
keras_epoch = statistics.median(ktimes)
load1 = os.getloadavg()[0]

mm_threads = os.environ.get("MATMUL_NUM_THREADS", "default")
emit(G, "epoch_s", ours_epoch, "s", f"nnlab Model.fit, median of {epochs} epochs, MATMUL_NUM_THREADS={mm_threads}")
emit(G, "epoch_s_pytorch", torch_epoch, "s", f"PyTorch {torch.__version__}, {threads} threads")
emit(G, "epoch_s_pytorch_1thread", torch_epoch_1, "s", "PyTorch, torch.set_num_threads(1)")
emit(G, "epoch_s_keras", keras_epoch, "s", f"Keras {keras.__version__} ({keras.backend.backend()} backend)")
emit(G, "epoch_ratio_vs_pytorch", ours_epoch / torch_epoch, "x", "goal <= 0.5")
emit(G, "epoch_ratio_vs_pytorch_1thread", ours_epoch / torch_epoch_1, "x", "vs PyTorch on one thread")
emit(G, "epoch_ratio_vs_keras", ours_epoch / keras_epoch, "x")
# Best epochs: less sensitive to the load of a shared machine (PyTorch's threads suffer most from it).
emit(G, "epoch_s_best", min(r["epoch_s"]), "s", "nnlab Model.fit, fastest epoch")
emit(G, "epoch_s_pytorch_best", min(times), "s", "PyTorch, fastest epoch")
emit(G, "epoch_ratio_vs_pytorch_best", min(r["epoch_s"]) / min(times), "x", "fastest epochs; goal <= 0.5")
emit(G, "tape_epoch_s", tape_epoch, "s", "nnlab GradientTape loop (Dataset, loss object, apply_gradients)")
emit(G, "tape_vs_fit_ratio", tape_epoch / ours_epoch, "x", "goal <= 1.2")
emit(G, "test_accuracy", ours_acc, "", f"Model.fit, after {epochs} epochs")
emit(G, "test_accuracy_tape", tape_acc, "", f"GradientTape loop, after {epochs} epochs")
emit(G, "test_accuracy_pytorch", torch_acc, "", f"after {epochs} epochs")
emit(G, "test_accuracy_keras", keras_acc, "", f"after {epochs} epochs")
emit(G, "test_accuracy_diff_vs_pytorch", 100 * (ours_acc - torch_acc), "pt", "goal: within 1 point")
emit(G, "load_average", (load0 + load1) / 2, "", f"1-min load before {load0:.2f}, after {load1:.2f}")
