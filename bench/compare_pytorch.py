#!/usr/bin/python3
"""Runs keras-cpp's benchmarks (training steps through backend::function,
predictions through Model::predict) and the same workloads in PyTorch and, where
it was built, in libtorch (PyTorch's C++ API), one repeat of each in turn, and
prints the ratios of the medians against the faster of the two.

Usage (after `scripts/setup --bench` and building the bench targets):
    /usr/bin/python3 bench/compare_pytorch.py BUILD_DIR [WORKLOAD ...]

BUILD_DIR/bench holds bench_mlp_train_step, bench_model_predict and, where
libtorch was found, bench_libtorch_mlp. Without WORKLOAD names, all run.

Debian's python3-torch and libtorch are used with OpenBLAS (libopenblas0-openmp):
with the netlib reference BLAS they would be about 20x slower and the comparison
unfair. Installing libopenblas0-openmp makes it the libblas.so.3 alternative;
if another one is selected, the script runs itself again with OpenBLAS first in
LD_LIBRARY_PATH, and stops if OpenBLAS still is not loaded.
All sides use the same thread count (all cores unless KERAS_NUM_THREADS).
"""
import json
import os
import statistics
import subprocess
import sys
import time

import torch

# name: (train or predict, layer widths, batch, keras-cpp's binary)
WORKLOADS = {
    "BM_TrainStep_MLP_784_512_512_10_batch128":
        ("train", [784, 512, 512, 10], 128, "bench_mlp_train_step"),
    "BM_TrainStep_MLP_8_12_8_1_batch10": ("train", [8, 12, 8, 1], 10, "bench_mlp_train_step"),
    "BM_Predict_MLP_784_512_512_10_batch128":
        ("predict", [784, 512, 512, 10], 128, "bench_model_predict"),
    "BM_Predict_MLP_784_512_512_10_batch1":
        ("predict", [784, 512, 512, 10], 1, "bench_model_predict"),
}
REPEATS = 7
OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def blas_libraries():
    """The BLAS and LAPACK libraries mapped into this process (torch's)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split(None, 5)[-1].strip() for line in maps if "/" in line}
    return sorted(p for p in paths
                  if "blas" in os.path.basename(p) or "lapack" in os.path.basename(p))


def ensure_openblas():
    """Makes sure torch calls OpenBLAS, not the netlib reference BLAS."""
    libs = blas_libraries()
    if any("openblas" in p for p in libs):
        return libs
    if os.path.isdir(OPENBLAS_DIR) and "KERAS_BENCH_OPENBLAS" not in os.environ:
        path = os.environ.get("LD_LIBRARY_PATH")
        env = dict(os.environ, KERAS_BENCH_OPENBLAS="1",
                   LD_LIBRARY_PATH=OPENBLAS_DIR + (":" + path if path else ""))
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    sys.exit(f"PyTorch is not using OpenBLAS (BLAS: {' '.join(libs) or 'none found'}): "
             "install libopenblas0-openmp (scripts/setup --bench) or select it with "
             "update-alternatives --config libblas.so.3-x86_64-linux-gnu")


def timed(step, batch, repeats):
    """Samples/s of `repeats` repeats of k steps after a 1 s warm-up; a repeat ~0.7 s."""
    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:
        step()
    k, t = 1, 0.0
    while t < 0.1:
        k *= 2
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        t = time.perf_counter() - t0
    k = max(1, int(k * 0.7 / t))
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        rates.append(k * batch / (time.perf_counter() - t0))
    return rates


def torch_mlp(widths):
    torch.manual_seed(7)
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(torch.nn.ReLU())
    return layers


def torch_train_samples_per_second(widths, batch, repeats):
    model = torch.nn.Sequential(*torch_mlp(widths))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(batch, widths[0]) * 2 - 1
    if widths[-1] > 1:
        y = torch.arange(batch) % widths[-1]
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        y = (torch.arange(batch) % 2).float().unsqueeze(1)
        loss_fn = torch.nn.BCEWithLogitsLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return timed(step, batch, repeats)


def torch_predict_samples_per_second(widths, batch, repeats):
    model = torch.nn.Sequential(*torch_mlp(widths), torch.nn.Softmax(dim=1)).eval()
    x = torch.rand(batch, widths[0])

    def step():
        with torch.inference_mode():
            return model(x)

    return timed(step, batch, repeats)


def keras_samples_per_second(binary, name, repeats):
    out = subprocess.run(
        [binary, f"--benchmark_filter=^{name}(/|$)", "--benchmark_repetitions=" + str(repeats),
         "--benchmark_format=json", "--benchmark_min_time=0.7"],
        check=True, capture_output=True, text=True).stdout
    runs = json.loads(out)["benchmarks"]
    return [r["samples/s"] for r in runs if r.get("run_type") == "iteration"]


def libtorch_samples_per_second(binary, name, repeats):
    out = subprocess.run([binary, name, str(repeats)], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.splitlines()[-1])["samples_per_s"]


def libtorch_info(binary):
    """The libtorch binary's setup (version, threads, BLAS); stops without OpenBLAS."""
    err = subprocess.run([binary, "--info"], check=True, capture_output=True,
                         text=True).stderr.strip()
    blas = next((line for line in err.splitlines() if line.startswith("BLAS:")), "")
    if "openblas" not in blas:
        sys.exit(f"libtorch is not using OpenBLAS ({blas or 'BLAS: unknown'}): "
                 "install libopenblas0-openmp (scripts/setup --bench)")
    return err


def main():
    if len(sys.argv) < 2 or not os.path.isdir(os.path.join(sys.argv[1], "bench")):
        sys.exit(__doc__)
    bench_dir = os.path.join(sys.argv[1], "bench")
    names = sys.argv[2:] or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        sys.exit(f"unknown workloads {unknown}; known: {list(WORKLOADS)}")
    libtorch = os.path.join(bench_dir, "bench_libtorch_mlp")
    if not os.path.exists(libtorch):
        libtorch = None
    blas = ensure_openblas()
    threads = int(os.environ.get("KERAS_NUM_THREADS", os.cpu_count()))
    torch.set_num_threads(threads)
    print(f"PyTorch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"  BLAS: {' '.join(blas)}")
    print(torch.__config__.show().strip().replace("\n", "\n  "))
    if libtorch:
        info = libtorch_info(libtorch).splitlines()
        print("\n  ".join(line for line in info[:2]))
    print(f"{'workload':45} {'keras-cpp':>12} {'PyTorch':>12} {'libtorch':>12}"
          f" {'best':>12} {'ratio':>7}")
    for name in names:
        kind, widths, batch, binary = WORKLOADS[name]
        # One repeat of each side in turn: this machine's speed shifts within
        # a minute, and alternating exposes every side to the same shifts.
        torch_side = (torch_train_samples_per_second if kind == "train"
                      else torch_predict_samples_per_second)
        ours, theirs, cpp = [], [], []
        for _ in range(REPEATS):
            ours += keras_samples_per_second(os.path.join(bench_dir, binary), name, 1)
            theirs += torch_side(widths, batch, 1)
            cpp += libtorch_samples_per_second(libtorch, name, 1) if libtorch else [0.0]
        m_ours, m_theirs, m_cpp = (statistics.median(v) for v in (ours, theirs, cpp))
        best, m_best = ("PyTorch", m_theirs) if m_theirs >= m_cpp else ("libtorch", m_cpp)
        per_step = (f"; {batch / m_ours * 1e6:.1f} us/step vs {batch / m_best * 1e6:.1f}"
                    if batch == 1 else "")
        print(f"{name:45} {m_ours:12,.0f} {m_theirs:12,.0f} {m_cpp:12,.0f} {m_best:12,.0f}"
              f" {m_ours / m_best:6.2f}x"
              f"   (samples/s, median of {REPEATS}; best: {best}{per_step};"
              f" keras-cpp {min(ours):,.0f}-{max(ours):,.0f},"
              f" PyTorch {min(theirs):,.0f}-{max(theirs):,.0f}"
              + (f", libtorch {min(cpp):,.0f}-{max(cpp):,.0f})" if libtorch else ")"))


if __name__ == "__main__":
    main()
