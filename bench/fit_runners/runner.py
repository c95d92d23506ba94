"""The runners' side of compare_fit.py: their command line, the timing of
whole epochs and the protocol, one JSON object a line on stdout.

A runner builds its workload, trains one epoch (compilation included) and
whole epochs for --warmup seconds more, then prints its setup ({"version": ...,
"threads": ..., "blas": ..., "first_epoch_s": ...}). For each line read on
stdin it trains whole epochs for at least --min-time seconds and prints
{"samples/s": ..., "us/step": ...}; it exits at the end of stdin.
"""
import argparse
import json
import os
import sys
import time

from workloads import WORKLOADS


def arguments(description, flags=()):
    """The parsed command line: the workload's name, --threads, --warmup,
    --min-time, and the boolean `flags` (name, help) of this runner."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="seconds of whole epochs after the first (at least one "
                             "epoch; 0: the first epoch only)")
    parser.add_argument("--min-time", type=float, default=2.0,
                        help="seconds of whole epochs a repeat lasts at least")
    for name, help_text in flags:
        parser.add_argument(name, action="store_true", help=help_text)
    args = parser.parse_args()
    args.spec = WORKLOADS[args.workload]
    return args


def mapped_blas():
    """The BLAS and LAPACK libraries mapped into this process."""
    with open("/proc/self/maps") as maps:
        paths = {line.split(None, 5)[-1].strip() for line in maps if "/" in line}
    return sorted(p for p in paths
                  if "blas" in os.path.basename(p) or "lapack" in os.path.basename(p))


def epochs_for(epoch, seconds):
    """Runs whole epochs, at least one, for `seconds`: (epochs, elapsed s)."""
    count, start = 0, time.perf_counter()
    while True:
        epoch()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count, elapsed


def serve(args, epoch, setup):
    """Warms `epoch` up, prints `setup` and answers compare_fit.py's requests."""
    # The protocol keeps stdout; what the frameworks print goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    start = time.perf_counter()
    epoch()
    first = time.perf_counter() - start
    if args.warmup > 0:
        epochs_for(epoch, args.warmup)
    print(json.dumps(dict(setup, first_epoch_s=first)), file=out)
    for _ in sys.stdin:
        count, elapsed = epochs_for(epoch, args.min_time)
        steps = count * args.spec.steps
        print(json.dumps({"samples/s": count * args.spec.samples / elapsed,
                          "us/step": elapsed / steps * 1e6}), file=out)
