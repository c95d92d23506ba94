#!/usr/bin/env python3
"""Trains the workloads of bench/fit.cpp through keras-cpp's Model::fit
(BUILD_DIR/bench/bench_fit), Keras 3's model.fit on JAX, a PyTorch 2 training
loop, eager and through torch.compile, and, where installed, Debian's PyTorch
1.13 eager; one repeat of each side in turn. Prints the medians, keras-cpp's
speed against each side and, where bench_peak_flops is built, each side's
matmul FLOPs per second as a share of the FP32 FMA peak measured before each
repeat (the machine's speed drifts; a peak of the same minute holds).

Usage (after building bench_fit and running scripts/setup-bench-venvs; for
Debian's PyTorch, scripts/setup --bench):
    bench/compare_fit.py BUILD_DIR [--quick] [--repeats N] [WORKLOAD ...]

Without WORKLOAD names, all run. --quick checks that every side runs: one
repeat, the first epoch as the only warm-up, 0.2 s repeats on the Python sides.

Each side runs in its own process. keras-cpp's binary runs once a repeat: it
fits one epoch, then times whole epochs for 2 s (fit.cpp's MinTime, which
--benchmark_min_time does not override). The Python sides (bench/fit_runners)
run once a workload with the interpreters of the virtual environments under
KERAS_BENCH_VENVS (/tmp/keras-cpp-bench by default), and Debian's PyTorch with
/usr/bin/python3: each fits one epoch, compilation included (its time is
printed as "first epoch"), whole epochs for 2 s more, then times whole epochs
for at least 2 s a repeat.

Threads: KERAS_NUM_THREADS, or 2, everywhere: KERAS_NUM_THREADS and
OMP_NUM_THREADS in every side's environment, torch.set_num_threads, and
XLA_FLAGS for JAX (XLA reads no thread count there: its thread pool has a
thread per core the process may use, so with fewer threads than cores the
Keras side runs on that many cores).

Debian's PyTorch would use the netlib reference BLAS, about 20x slower, unless
OpenBLAS is the libblas.so.3 alternative (libopenblas0-openmp): it runs with
OpenBLAS first in LD_LIBRARY_PATH and is left out if it still loads another.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

RUNNERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fit_runners")
sys.path.insert(0, RUNNERS)
from workloads import WORKLOADS  # noqa: E402

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
DEBIAN_PYTHON = "/usr/bin/python3"
MIN_TIME, WARMUP, REPEATS = 2.0, 2.0, 7
# Workloads whose samples cost this many FLOPs are read against the peak (the
# large MLP; Pima's 8-12-8-1 is per-step overhead).
COMPUTE_BOUND_FLOPS = 1e6
# bench_libtorch_mlp's workloads that match one of bench_fit's.
LIBTORCH_WORKLOADS = {"BM_Fit_Pima_8_12_8_1_Adam_batch10"}


@dataclass
class Side:
    """A Python framework: its column, interpreter and runner in fit_runners."""
    label: str
    python: str
    runner: str
    flags: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    needs_openblas: bool = False


def python_sides():
    venvs = os.environ.get("KERAS_BENCH_VENVS", "/tmp/keras-cpp-bench")
    keras3, torch2 = (os.path.join(venvs, v, "bin", "python") for v in ("keras3", "torch2"))
    for python in (keras3, torch2):
        if not os.access(python, os.X_OK):
            sys.exit(f"{python} is missing: run scripts/setup-bench-venvs")
    sides = [Side("Keras/JAX", keras3, "keras_jax.py", env={"KERAS_BACKEND": "jax"}),
             Side("PyTorch 2", torch2, "torch_loop.py"),
             Side("torch.compile", torch2, "torch_loop.py", ["--compile"])]
    has_torch = "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)"
    if (os.access(DEBIAN_PYTHON, os.X_OK)
            and subprocess.run([DEBIAN_PYTHON, "-c", has_torch]).returncode == 0):
        path = os.environ.get("LD_LIBRARY_PATH")
        sides.append(Side("Debian torch", DEBIAN_PYTHON, "torch_loop.py",
                          env={"LD_LIBRARY_PATH": OPENBLAS_DIR + (":" + path if path else "")},
                          needs_openblas=True))
    else:
        print(f"Debian's PyTorch: left out ({DEBIAN_PYTHON} has no torch; scripts/setup --bench)")
    return sides


class Runner:
    """A Python side's process for one workload, warmed up once started."""

    def __init__(self, side, name, env, args):
        self.side = side
        self.log = tempfile.TemporaryFile("w+")
        command = [side.python, os.path.join(RUNNERS, side.runner), name,
                   "--threads", str(args.threads), "--warmup", str(args.warmup),
                   "--min-time", str(args.min_time)] + side.flags
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.log, text=True, env=dict(env, **side.env))
        self.setup = self.reply()

    def reply(self):
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.log.seek(0)
            raise RuntimeError(f"{self.side.label} stopped (exit {self.process.returncode}):\n"
                               + self.log.read()[-3000:])
        return json.loads(line)

    def repeat(self):
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        return self.reply()

    def close(self):
        self.process.stdin.close()
        self.process.wait()
        self.log.close()


def keras_cpp(binary, name, env, min_time):
    """One repeat of bench_fit's `name`: (its result, the benchmark's context)."""
    out = subprocess.run(
        [binary, f"--benchmark_filter=^{name}(/|$)", "--benchmark_format=json",
         f"--benchmark_min_time={min_time}"],
        check=True, capture_output=True, text=True, env=env).stdout
    report = json.loads(out)
    run = next(r for r in report["benchmarks"] if r.get("run_type") == "iteration")
    return {"samples/s": run["samples/s"], "us/step": run.get("us/step")}, report["context"]


def peak_gflops(binary, env):
    """bench_peak_flops' FP32 FMA GFLOP/s on the kernel threads, now."""
    out = subprocess.run([binary, "--benchmark_format=json", "--benchmark_min_time=0.3"],
                         check=True, capture_output=True, text=True, env=env).stdout
    run = next(r for r in json.loads(out)["benchmarks"] if r.get("run_type") == "iteration")
    return run["GFLOP/s"]


def libtorch(binary, name, env):
    """One repeat of bench_libtorch_mlp's `name` (a training step loop over
    batches of 10, Adam): its samples/s and us/step, as bench_fit reports."""
    out = subprocess.run([binary, name, "1"], check=True, capture_output=True, text=True,
                         env=env).stdout
    rate = json.loads(out.splitlines()[-1])["samples_per_s"][0]
    return {"samples/s": rate, "us/step": 1e6 * WORKLOADS[name].batch / rate}


def start(sides, name, env, args, started):
    """The runners of `sides` for `name`, one after another; prints each side's
    setup the first time and drops the sides that fail to start."""
    runners = []
    for side in list(sides):
        try:
            runner = Runner(side, name, env, args)
        except RuntimeError as error:
            print(f"{side.label}: left out: {error}")
            sides.remove(side)
            continue
        setup = runner.setup
        if side.needs_openblas and not any("openblas" in p for p in setup["blas_libraries"]):
            print(f"{side.label}: left out: not using OpenBLAS ({setup['blas']}); install "
                  "libopenblas0-openmp (scripts/setup --bench)")
            runner.close()
            sides.remove(side)
            continue
        if side.label not in started:
            started.add(side.label)
            print(f"{side.label}: {setup['version']}\n  threads: {setup['threads']}\n"
                  f"  BLAS: {setup['blas']}")
        runners.append(runner)
    return runners


def report(name, results, runners, peaks):
    """Prints a workload's medians and ranges; returns keras-cpp's ratios.
    With `peaks` (the FP32 FMA peak measured before each repeat), each side's
    matmul GFLOP/s as a share of the median peak."""
    spec = WORKLOADS[name]
    ours = statistics.median(r["samples/s"] for r in results["keras-cpp"])
    per_step = all(r["us/step"] is not None for rs in results.values() for r in rs)
    first = {r.side.label: r.setup["first_epoch_s"] for r in runners}
    repeats = len(results["keras-cpp"])
    peak = statistics.median(peaks) if peaks else None
    print(f"\n{name}: median of {repeats} (min-max); ratio: keras-cpp's samples/s over"
          " the side's (above 1: keras-cpp faster)")
    if peak:
        print(f"  peak: FP32 FMA {peak:.1f} GFLOP/s (median of {len(peaks)}, "
              f"{min(peaks):.1f}-{max(peaks):.1f}); a sample's step: "
              f"{spec.flops_per_sample / 1e6:.2f} MFLOP in its matmuls")
    print(f"  {'side':14} {'samples/s':>10} {'min-max':>17}"
          + (f" {'us/step':>8}" if per_step else "") + f" {'ratio':>7}"
          + (f" {'of peak':>8}" if peak else "") + "  first epoch")
    ratios = {}
    for label, runs in results.items():
        rates = [r["samples/s"] for r in runs]
        median = statistics.median(rates)
        ratios[label] = ours / median
        line = (f"  {label:14} {median:10,.0f} {min(rates):8,.0f}-{max(rates):<8,.0f}"
                + (f" {statistics.median(r['us/step'] for r in runs):8.1f}" if per_step else "")
                + f" {ratios[label]:6.2f}x")
        if peak:
            line += f" {100 * median * spec.flops_per_sample / 1e9 / peak:7.1f}%"
        if label in first:
            epoch = spec.samples / median
            line += (f"  {first[label]:.2f} s (a timed epoch: {epoch:.3f} s; compilation"
                     f" and first-call overhead ~{max(first[label] - epoch, 0):.2f} s)")
        print(line)
    return ratios


def thread_env(threads):
    xla = f"--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={threads}"
    env = dict(os.environ, KERAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               XLA_FLAGS=(os.environ.get("XLA_FLAGS", "") + " " + xla).strip())
    print(f"threads: {threads} (KERAS_NUM_THREADS={env['KERAS_NUM_THREADS']},"
          f" OMP_NUM_THREADS={env['OMP_NUM_THREADS']}, torch.set_num_threads({threads}),"
          f" XLA_FLAGS={env['XLA_FLAGS']!r})")
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build_dir")
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD")
    parser.add_argument("--quick", action="store_true",
                        help="one short repeat, to check that every side runs")
    parser.add_argument("--repeats", type=int, help=f"default {REPEATS}, --quick 1")
    args = parser.parse_args()
    args.threads = int(os.environ.get("KERAS_NUM_THREADS", 2))
    args.repeats = args.repeats or (1 if args.quick else REPEATS)
    args.warmup, args.min_time = (0.0, 0.2) if args.quick else (WARMUP, MIN_TIME)
    binary = os.path.join(args.build_dir, "bench", "bench_fit")
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} is missing: build the bench_fit target")
    names = args.workloads or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        sys.exit(f"unknown workloads {unknown}; known: {list(WORKLOADS)}")

    env = thread_env(args.threads)
    sides = python_sides()
    # libtorch (Debian's, C++) where bench_libtorch_mlp was built (scripts/setup --bench).
    torch_cpp = os.path.join(args.build_dir, "bench", "bench_libtorch_mlp")
    if os.access(torch_cpp, os.X_OK):
        path = os.environ.get("LD_LIBRARY_PATH")
        torch_env = dict(env, LD_LIBRARY_PATH=OPENBLAS_DIR + (":" + path if path else ""))
        info = subprocess.run([torch_cpp, "--info"], capture_output=True, text=True,
                              env=torch_env).stderr.splitlines()
        print("libtorch: " + "; ".join(info[:2]))
    else:
        torch_cpp = None
        print("libtorch: left out (bench_libtorch_mlp not built; scripts/setup --bench)")
    peak_binary = os.path.join(args.build_dir, "bench", "bench_peak_flops")
    if not os.access(peak_binary, os.X_OK):
        peak_binary = None
        print("peak: left out (bench_peak_flops not built)")
    started, table = set(), {}
    for name in names:
        runners = start(sides, name, env, args, started)
        results = {"keras-cpp": []}
        results.update((r.side.label, []) for r in runners)
        peaks = []
        # One repeat of each side in turn: this machine's speed shifts within
        # a minute, and alternating exposes every side to the same shifts.
        for _ in range(args.repeats):
            if peak_binary and WORKLOADS[name].flops_per_sample >= COMPUTE_BOUND_FLOPS:
                peaks.append(peak_gflops(peak_binary, env))
            run, context = keras_cpp(binary, name, env, args.min_time)
            results["keras-cpp"].append(run)
            for runner in runners:
                results[runner.side.label].append(runner.repeat())
            if torch_cpp and name in LIBTORCH_WORKLOADS:
                results.setdefault("libtorch", []).append(libtorch(torch_cpp, name, torch_env))
        if "keras-cpp" not in started:
            started.add("keras-cpp")
            print(f"keras-cpp: {binary} (Google Benchmark: {context.get('num_cpus')} CPUs"
                  f" at {context.get('mhz_per_cpu')} MHz)")
        for runner in runners:
            runner.close()
        table[name] = report(name, results, runners, peaks)

    labels = list(dict.fromkeys(label for ratios in table.values() for label in ratios))[1:]
    print("\nkeras-cpp's median samples/s over each side's (above 1: keras-cpp faster)")
    print(f"{'workload':40}" + "".join(f" {label:>13}" for label in labels))
    for name, ratios in table.items():
        print(f"{name:40}" + "".join(f" {ratios[label]:12.2f}x" if label in ratios
                                     else f" {'-':>13}" for label in labels))


if __name__ == "__main__":
    main()
