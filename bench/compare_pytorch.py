#!/usr/bin/python3
"""Runs keras-cpp's training-step benchmark and the same workloads in PyTorch
(and, optionally, in libtorch, PyTorch's C++ API), alternately in one run, and
prints the ratios.

Usage (after `scripts/setup --bench` and building bench_mlp_train_step, and
bench_libtorch_mlp_train_step for the libtorch column):
    /usr/bin/python3 bench/compare_pytorch.py build/bench/bench_mlp_train_step \
        [build/bench/bench_libtorch_mlp_train_step]

With the libtorch binary, keras-cpp is compared with the faster of PyTorch and
libtorch for each workload.

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

WORKLOADS = {
    "BM_TrainStep_MLP_784_512_512_10_batch128": ([784, 512, 512, 10], 128),
    "BM_TrainStep_MLP_8_12_8_1_batch10": ([8, 12, 8, 1], 10),
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


def torch_samples_per_second(widths, batch):
    torch.manual_seed(7)
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
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

    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:  # warm up
        step()
    # Size k so that one repeat takes about 0.7 s.
    k, t = 1, 0.0
    while t < 0.1:
        k *= 2
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        t = time.perf_counter() - t0
    k = max(1, int(k * 0.7 / t))
    rates = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        rates.append(k * batch / (time.perf_counter() - t0))
    return rates


def keras_samples_per_second(binary, name):
    out = subprocess.run(
        [binary, f"--benchmark_filter=^{name}(/|$)", "--benchmark_repetitions=" + str(REPEATS),
         "--benchmark_format=json", "--benchmark_min_time=0.7"],
        check=True, capture_output=True, text=True).stdout
    runs = json.loads(out)["benchmarks"]
    return [r["samples/s"] for r in runs if r.get("run_type") == "iteration"]


def libtorch_samples_per_second(binary, name):
    out = subprocess.run([binary, name], check=True, capture_output=True, text=True).stdout
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
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    binary = sys.argv[1]
    libtorch = sys.argv[2] if len(sys.argv) == 3 else None
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
    else:
        print(f"{'workload':45} {'keras-cpp':>12} {'PyTorch':>12} {'ratio':>7}")
    for name, (widths, batch) in WORKLOADS.items():
        ours = keras_samples_per_second(binary, name)
        theirs = torch_samples_per_second(widths, batch)
        m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)
        if not libtorch:
            print(f"{name:45} {m_ours:12,.0f} {m_theirs:12,.0f} {m_ours / m_theirs:6.2f}x"
                  f"   (samples/s, median of {REPEATS}; keras-cpp {min(ours):,.0f}-{max(ours):,.0f},"
                  f" PyTorch {min(theirs):,.0f}-{max(theirs):,.0f})")
            continue
        cpp = libtorch_samples_per_second(libtorch, name)
        m_cpp = statistics.median(cpp)
        best, m_best = ("PyTorch", m_theirs) if m_theirs >= m_cpp else ("libtorch", m_cpp)
        print(f"{name:45} {m_ours:12,.0f} {m_theirs:12,.0f} {m_cpp:12,.0f} {m_best:12,.0f}"
              f" {m_ours / m_best:6.2f}x"
              f"   (samples/s, median of {REPEATS}; best: {best};"
              f" keras-cpp {min(ours):,.0f}-{max(ours):,.0f},"
              f" PyTorch {min(theirs):,.0f}-{max(theirs):,.0f},"
              f" libtorch {min(cpp):,.0f}-{max(cpp):,.0f})")


if __name__ == "__main__":
    main()
