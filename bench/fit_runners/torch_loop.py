"""PyTorch: the usual hand-written training loop, eager or with --compile
through torch.compile (forward, loss, backward and optimizer step). Each epoch
shuffles, slices batches from the in-memory tensors (no DataLoader) and reads
the loss each step (loss.item()), as Keras' fit does. The model outputs
logits: CrossEntropyLoss and BCEWithLogitsLoss apply softmax and sigmoid."""
import platform
import re
import sys

import torch

from runner import arguments, mapped_blas, serve
from workloads import ADAM_EPSILON, ADAM_LEARNING_RATE, SGD_LEARNING_RATE

args = arguments(__doc__, [("--compile", "torch.compile the training step")])
spec = args.spec
torch.set_num_threads(args.threads)
torch.manual_seed(7)
layers = []
for i in range(1, len(spec.widths)):
    layers.append(torch.nn.Linear(spec.widths[i - 1], spec.widths[i]))
    if i + 1 < len(spec.widths):
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
if spec.optimizer == "sgd":
    optimizer = torch.optim.SGD(model.parameters(), lr=SGD_LEARNING_RATE)
else:
    optimizer = torch.optim.Adam(model.parameters(), lr=ADAM_LEARNING_RATE, eps=ADAM_EPSILON)
x, y = (torch.from_numpy(a) for a in spec.data())
if spec.last == "softmax":
    loss_fn, y = torch.nn.CrossEntropyLoss(), y.long()
else:
    loss_fn = torch.nn.BCEWithLogitsLoss()


def train_step(x_batch, y_batch):
    """One step: (the loss, the number of right predictions or None)."""
    optimizer.zero_grad()
    logits = model(x_batch)
    loss = loss_fn(logits, y_batch)
    loss.backward()
    optimizer.step()
    right = ((logits.detach() > 0) == (y_batch > 0.5)).sum() if spec.accuracy else None
    return loss.detach(), right


step = torch.compile(train_step) if args.compile else train_step


def epoch():
    order = torch.randperm(spec.samples)
    loss_sum, right = 0.0, 0
    for i in range(0, spec.samples, spec.batch):
        batch = order[i:i + spec.batch]
        loss, step_right = step(x[batch], y[batch])
        loss_sum += loss.item()
        if step_right is not None:
            right = right + step_right
    return loss_sum / spec.steps, int(right) / spec.samples


# The build's BLAS and the BLAS libraries loaded, less NumPy's own and CUDA's.
blas_info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
blas = [p for p in mapped_blas() if "/numpy" not in p and "/nvidia/" not in p]
serve(args, epoch, {
    "version": f"PyTorch {torch.__version__}{' torch.compile' if args.compile else ' eager'}"
               f" (Python {platform.python_version()}: {sys.executable})",
    "threads": f"torch.get_num_threads() {torch.get_num_threads()}",
    "blas": f"BLAS_INFO={blas_info[1] if blas_info else '?'}, loaded: "
            f"{' '.join(blas) or 'none (linked in)'}",
    "blas_libraries": blas,
})
