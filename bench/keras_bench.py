"""Driver of bench/group-keras: writes the data as raw f32, runs nnlab, plain PyTorch and Keras 3 (torch
backend) on the lecture's model (Flatten, Dense 784 swish, Dropout 0.3, Dense 100 swish, Dense 10 softmax;
adam, mse, batch 128) and emits the figures. EPOCHS (default 5) epochs each; per-epoch figures are medians."""

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

data_dir, ours = sys.argv[1], sys.argv[2]
epochs = int(os.environ.get("EPOCHS", "5"))


x_train = idx("train-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
y_train = np.eye(10, dtype=np.float32)[idx("train-labels-idx1-ubyte", 8)]
x_test = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
y_test = np.eye(10, dtype=np.float32)[idx("t10k-labels-idx1-ubyte", 8)]
for name, a in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
    a.astype("<f4").tofile(f"{data_dir}/{name}.f32")
dataset_mb = (x_train.nbytes + y_train.nbytes) / 2**20

load0 = os.getloadavg()[0]
out = subprocess.run([ours, data_dir, str(epochs)], check=True, capture_output=True, text=True).stdout
r = json.loads(out.strip().splitlines()[-1])
ours_epoch, ours_acc = statistics.median(r["epoch_s"]), r["test_accuracy"]

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 784), torch.nn.SiLU(), torch.nn.Dropout(0.3),
    torch.nn.Linear(784, 100), torch.nn.SiLU(), torch.nn.Linear(100, 10), torch.nn.Softmax(dim=1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
times = []
for e in range(epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(len(xt))
    model.train()
    for i in range(0, len(xt), 128):
        b = perm[i:i + 128]
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xt[b]), yt[b])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
model.eval()
with torch.no_grad():
    torch_acc = (model(torch.from_numpy(x_test)).argmax(1) == torch.from_numpy(y_test).argmax(1)).float().mean().item()
torch_epoch = statistics.median(times)

import keras  # noqa: E402  (after the plain-PyTorch run: same process, same torch threads)

keras.utils.set_random_seed(0)
kmodel = keras.Sequential([
    keras.Input((784,)), keras.layers.Flatten(), keras.layers.Dense(784, activation="swish"),
    keras.layers.Dropout(0.3), keras.layers.Dense(100, activation="swish"),
    keras.layers.Dense(10, activation="softmax")])
kmodel.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
ktimes = []
for e in range(epochs):
    t0 = time.perf_counter()
    kmodel.fit(x_train, y_train, epochs=1, batch_size=128, verbose=0)
    ktimes.append(time.perf_counter() - t0)
keras_acc = kmodel.evaluate(x_test, y_test, batch_size=128, verbose=0)[1]
keras_epoch = statistics.median(ktimes)
load1 = os.getloadavg()[0]

threads = os.environ.get("MATMUL_NUM_THREADS", "default")
emit("keras", "epoch_s", ours_epoch, "s", f"nnlab, median of {epochs} epochs, MATMUL_NUM_THREADS={threads}")
emit("keras", "epoch_s_pytorch", torch_epoch, "s", f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
emit("keras", "epoch_s_keras", keras_epoch, "s", f"Keras {keras.__version__} ({keras.backend.backend()} backend)")
emit("keras", "epoch_ratio_vs_pytorch", ours_epoch / torch_epoch, "x", "goal <= 0.5")
emit("keras", "epoch_ratio_vs_keras", ours_epoch / keras_epoch, "x")
# The first epoch apart: nnlab's includes moving the training set into 2 MB pages (once per array:
# crate/src/data/huge_pages.rs), which the median leaves out; the total over all epochs keeps it.
emit("keras", "first_epoch_s", r["epoch_s"][0], "s", "nnlab, incl. the training set's move to 2 MB pages")
emit("keras", "first_epoch_s_pytorch", times[0], "s")
emit("keras", "total_ratio_vs_pytorch", sum(r["epoch_s"]) / sum(times), "x", f"all {epochs} epochs")
emit("keras", "test_accuracy", ours_acc, "", f"after {epochs} epochs")
emit("keras", "test_accuracy_pytorch", torch_acc, "", f"after {epochs} epochs")
emit("keras", "test_accuracy_keras", keras_acc, "", f"after {epochs} epochs")
emit("keras", "test_accuracy_diff_vs_pytorch", 100 * (ours_acc - torch_acc), "pt", "goal: within 1 point")
emit("keras", "fit_peak_rss_mb", r["fit_peak_rss_mb"], "MB", "nnlab process, peak during fit (VmHWM)")
emit("keras", "fit_peak_over_dataset_mb", r["fit_peak_rss_mb"] - dataset_mb, "MB",
     f"dataset {dataset_mb:.0f} MB; goal <= 300")
emit("keras", "load_average", (load0 + load1) / 2, "", f"1-min load before {load0:.2f}, after {load1:.2f}")
