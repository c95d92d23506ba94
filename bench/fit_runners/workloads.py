"""The training workloads of bench/fit.cpp, as data and hyperparameters that
every framework's runner builds its model, loss and optimizer from."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Workload:
    widths: tuple      # layer widths, input first; relu between, `last` at the end
    last: str          # the output activation: "softmax" or "sigmoid"
    optimizer: str     # "sgd" (learning rate 0.01) or "adam" (Keras' defaults)
    batch: int
    samples: int       # one epoch; a multiple of batch
    accuracy: bool     # whether fit also tracks the accuracy metric

    @property
    def steps(self):
        return self.samples // self.batch

    @property
    def flops_per_sample(self):
        """FP32 FLOPs of one sample's training step in the matmuls: forward,
        weight gradients, and input gradients of every layer but the first
        (2 per multiply-add); the elementwise work is left out."""
        macs = sum(a * b for a, b in zip(self.widths, self.widths[1:]))
        return 2 * (3 * macs - self.widths[0] * self.widths[1])

    def data(self):
        """Uniform [0, 1) float32 inputs; labels i % 10 (int32) for softmax,
        i % 2 as float32 of shape (samples, 1) for sigmoid."""
        import numpy as np  # here: compare_fit.py reads WORKLOADS without NumPy
        x = np.random.default_rng(7).random((self.samples, self.widths[0]), dtype=np.float32)
        i = np.arange(self.samples)
        if self.last == "softmax":
            return x, (i % self.widths[-1]).astype(np.int32)
        return x, (i % 2).astype(np.float32).reshape(-1, 1)


WORKLOADS = {
    "BM_Fit_MLP_784_512_512_10_SGD_batch128":
        Workload((784, 512, 512, 10), "softmax", "sgd", batch=128, samples=12800,
                 accuracy=False),
    "BM_Fit_Pima_8_12_8_1_Adam_batch10":
        Workload((8, 12, 8, 1), "sigmoid", "adam", batch=10, samples=760, accuracy=True),
}
SGD_LEARNING_RATE = 0.01
ADAM_LEARNING_RATE = 1e-3  # Keras' defaults
ADAM_EPSILON = 1e-7
