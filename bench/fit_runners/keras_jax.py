"""Keras 3 on JAX: model.fit(x, y, batch_size, verbose=0) one epoch a call,
as a Keras user trains (shuffled batches, XLA-compiled train step)."""
import os
import platform

from runner import arguments, serve
from workloads import ADAM_EPSILON, ADAM_LEARNING_RATE, SGD_LEARNING_RATE

args = arguments(__doc__)
os.environ.setdefault("KERAS_BACKEND", "jax")
# XLA's CPU thread pool takes as many threads as the process may use cores
# (XLA_FLAGS has no thread count): fewer threads than cores means fewer cores.
cpus = sorted(os.sched_getaffinity(0))
if args.threads < len(cpus):
    os.sched_setaffinity(0, cpus[:args.threads])

import jax  # noqa: E402  (after the environment and the affinity)
import keras  # noqa: E402

spec = args.spec
keras.utils.set_random_seed(7)
model = keras.Sequential(
    [keras.Input((spec.widths[0],))]
    + [keras.layers.Dense(units, activation="relu") for units in spec.widths[1:-1]]
    + [keras.layers.Dense(spec.widths[-1], activation=spec.last)])
if spec.optimizer == "sgd":
    optimizer = keras.optimizers.SGD(learning_rate=SGD_LEARNING_RATE)
else:
    optimizer = keras.optimizers.Adam(learning_rate=ADAM_LEARNING_RATE, epsilon=ADAM_EPSILON)
model.compile(optimizer=optimizer,
              loss=("sparse_categorical_crossentropy" if spec.last == "softmax"
                    else "binary_crossentropy"),
              metrics=["accuracy"] if spec.accuracy else None)
x, y = spec.data()


def epoch():
    model.fit(x, y, batch_size=spec.batch, epochs=1, shuffle=True, verbose=0)


serve(args, epoch, {
    "version": f"Keras {keras.__version__} on JAX {jax.__version__} "
               f"(backend {keras.backend.backend()}, Python {platform.python_version()})",
    "threads": f"cores {len(os.sched_getaffinity(0))}, "
               f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r}, "
               f"devices {jax.devices()}",
    "blas": "XLA:CPU's bundled kernels",
})
