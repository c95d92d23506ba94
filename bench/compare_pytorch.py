#!/usr/bin/python3
"""Runs keras-cpp's training-step benchmark and the same workloads in PyTorch,
alternately in one run, and prints the ratios.

Usage (after `scripts/setup --bench` and building bench_mlp_train_step):
    /usr/bin/python3 bench/compare_pytorch.py build/bench/bench_mlp_train_step

Debian's python3-torch is used with OpenBLAS (libopenblas0-openmp): with the
netlib reference BLAS it would be about 20x slower and the comparison unfair.
Both sides use the same thread count (all cores unless KERAS_NUM_THREADS).
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
        [binary, f"--benchmark_filter=^{name}$", "--benchmark_repetitions=" + str(REPEATS),
         "--benchmark_format=json", "--benchmark_min_time=0.7"],
        check=True, capture_output=True, text=True).stdout
    runs = json.loads(out)["benchmarks"]
    return [r["samples/s"] for r in runs if r.get("run_type") == "iteration"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    threads = int(os.environ.get("KERAS_NUM_THREADS", os.cpu_count()))
    torch.set_num_threads(threads)
    print(f"PyTorch {torch.__version__}, threads {torch.get_num_threads()}")
    print(torch.__config__.show().strip().replace("\n", "\n  "))
    print(f"{'workload':45} {'keras-cpp':>12} {'PyTorch':>12} {'ratio':>7}")
    for name, (widths, batch) in WORKLOADS.items():
        ours = keras_samples_per_second(binary, name)
        theirs = torch_samples_per_second(widths, batch)
        m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)
        print(f"{name:45} {m_ours:12,.0f} {m_theirs:12,.0f} {m_ours / m_theirs:6.2f}x"
              f"   (samples/s, median of {REPEATS}; keras-cpp {min(ours):,.0f}-{max(ours):,.0f},"
              f" PyTorch {min(theirs):,.0f}-{max(theirs):,.0f})")


if __name__ == "__main__":
    main()
