"""Driver of bench/group-convnet: the keras.io "Simple MNIST convnet" (Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64
3x3 relu, MaxPool 2, Flatten, Dropout 0.5, Dense 10 softmax; adam, categorical cross-entropy, batch 128) on the
first 54,000 training images (keras.io keeps 10 % for validation), for nnlab and PyTorch eager in the same run,
then (KERAS=1) Keras 3 on the torch backend. The images are Fashion-MNIST's, the full 60,000 + 10,000 that
this machine has (Debian's dataset-fashion-mnist; MNIST's digits have the same shape, so the same cost).
EPOCHS (default 3) epochs each; per-epoch figures are medians over epochs."""

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
epochs = int(os.environ.get("EPOCHS", "3"))


x_train = idx("train-images-idx3-ubyte", 16).reshape(-1, 28, 28, 1)[:54000].astype(np.float32) / 255
y_train = np.eye(10, dtype=np.float32)[idx("train-labels-idx1-ubyte", 8)[:54000]]
x_test = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28, 1).astype(np.float32) / 255
y_test = np.eye(10, dtype=np.float32)[idx("t10k-labels-idx1-ubyte", 8)]
for name, a in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
    a.astype("<f4").tofile(f"{data_dir}/{name}.f32")

load0 = os.getloadavg()[0]
out = subprocess.run([ours, data_dir, str(epochs)], check=True, capture_output=True, text=True).stdout
r = json.loads(out.strip().splitlines()[-1])
ours_epoch, ours_acc = statistics.median(r["epoch_s"]), r["test_accuracy"]

# PyTorch eager: the same layers (channels first, its native layout), softmax inside the cross-entropy.
torch.manual_seed(0)
nn = torch.nn
model = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
xt = torch.from_numpy(x_train.transpose(0, 3, 1, 2).copy())
yt = torch.from_numpy(y_train.argmax(1))
times = []
for e in range(epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(len(xt))
    model.train()
    for i in range(0, len(xt), 128):
        b = perm[i:i + 128]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xt[b]), yt[b])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
model.eval()
with torch.no_grad():
    logits = model(torch.from_numpy(x_test.transpose(0, 3, 1, 2).copy()))
    torch_acc = (logits.argmax(1) == torch.from_numpy(y_test.argmax(1))).float().mean().item()
torch_epoch = statistics.median(times)

if os.environ.get("KERAS") == "1":
    import keras  # noqa: E402  (after the plain-PyTorch run: same process, same torch threads)

    keras.utils.set_random_seed(0)
    L = keras.layers
    kmodel = keras.Sequential([
        keras.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2), L.Flatten(), L.Dropout(0.5),
        L.Dense(10, activation="softmax")])
    kmodel.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ktimes = []
    for e in range(epochs):
        t0 = time.perf_counter()
        kmodel.fit(x_train, y_train, epochs=1, batch_size=128, verbose=0)
        ktimes.append(time.perf_counter() - t0)
    keras_epoch = statistics.median(ktimes)
    emit("convnet", "epoch_s_keras", keras_epoch, "s", f"Keras {keras.__version__} ({keras.backend.backend()})")
    emit("convnet", "epoch_ratio_vs_keras", ours_epoch / keras_epoch, "x")
load1 = os.getloadavg()[0]

threads = os.environ.get("MATMUL_NUM_THREADS", "default")
emit("convnet", "epoch_s", ours_epoch, "s", f"nnlab, median of {epochs} epochs, MATMUL_NUM_THREADS={threads}")
emit("convnet", "epoch_s_pytorch", torch_epoch, "s", f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
emit("convnet", "epoch_ratio_vs_pytorch", ours_epoch / torch_epoch, "x", "goal <= 0.5")
emit("convnet", "test_accuracy", ours_acc, "", f"after {epochs} epochs")
emit("convnet", "test_accuracy_pytorch", torch_acc, "", f"after {epochs} epochs")
emit("convnet", "test_accuracy_diff_vs_pytorch", 100 * (ours_acc - torch_acc), "pt", "goal: within 1 point")
emit("convnet", "load_average", (load0 + load1) / 2, "", f"1-min load before {load0:.2f}, after {load1:.2f}")
