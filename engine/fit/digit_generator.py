"""The conditional GAN's generator for "draw a digit": it bends real handwriting instead of painting pixels.

A generator that paints 784 free pixels from noise needs far more steps than a live demonstration has
to stop speckling (most of its digits broke into pieces). This one draws a digit by choosing one of the
class's typical real digits (the medoids of PROTOTYPES clusters, chosen with the clusters' shares, so
its samples spread over the ways of writing as the data does) and deforming it: a small affine map (slant,
width, height, shift) and a smooth displacement field on a coarse grid, both computed by an MLP from the
label, the noise and the chosen prototype. At step 0 every deformation is the identity, so it starts by
drawing the medoids themselves; the critic then teaches it how real digits vary around them.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from engine.digits.data import CLASSES, SIZE

PROTOTYPES = 8  # typical real digits per class
HIDDEN = 128
FIELD = 7  # the displacement field's grid (FIELD x FIELD), upsampled smoothly to 28 x 28
MAX_AFFINE = 0.25  # largest change of each affine coefficient (normalised coordinates)
MAX_SHIFT = 0.15  # largest shift, a fraction of the half-width: about 2 pixels
MAX_BEND = 0.08  # largest local displacement, about 1 pixel: strokes bend, they do not break


def prototypes(images: np.ndarray, labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(CLASSES, PROTOTYPES, 28, 28) typical real digits and (CLASSES, PROTOTYPES) their clusters' shares:
    k-means on each class's first principal components, each cluster shown by its medoid."""
    from engine.digits.space import MODE_DIMENSIONS, kmeans, principal_directions

    pictures = np.zeros((CLASSES, PROTOTYPES, SIZE, SIZE), np.float32)
    shares = np.zeros((CLASSES, PROTOTYPES))
    for c in range(CLASSES):
        flat = images[labels == c].reshape(-1, SIZE * SIZE).astype(np.float64)
        off = flat - flat.mean(axis=0)
        reduced = off @ principal_directions(off, MODE_DIMENSIONS, seed).T
        cluster = kmeans(reduced, PROTOTYPES, seed)
        for j in range(PROTOTYPES):
            members = np.flatnonzero(cluster == j)
            if len(members) == 0:
                continue
            middle = reduced[members].mean(axis=0)
            pictures[c, j] = flat[members[np.argmin(((reduced[members] - middle) ** 2).sum(axis=1))]].reshape(SIZE, SIZE)
            shares[c, j] = len(members) / len(flat)
    return pictures, shares


class DeformingGenerator(nn.Module):
    """Label (one-hot) and noise in, a deformed real digit (n, 784) in [0, 1] out. The noise's first number
    chooses the prototype (through the normal CDF, with the clusters' shares); the rest shapes the bend."""

    def __init__(self, pictures: np.ndarray, shares: np.ndarray, noise: int) -> None:
        super().__init__()
        self.register_buffer("pictures", torch.tensor(pictures).view(CLASSES * PROTOTYPES, 1, SIZE, SIZE))
        self.register_buffer("bounds", torch.tensor(np.cumsum(shares, axis=1) / shares.sum(axis=1, keepdims=True),
                                                    dtype=torch.float32))
        self.body = nn.Sequential(nn.Linear(CLASSES + PROTOTYPES + noise - 1, HIDDEN), nn.LeakyReLU(0.2),
                                  nn.Linear(HIDDEN, HIDDEN), nn.LeakyReLU(0.2))
        self.head = nn.Linear(HIDDEN, 6 + 2 * FIELD * FIELD)
        nn.init.zeros_(self.head.weight)  # every deformation starts as the identity
        nn.init.zeros_(self.head.bias)
        self.register_buffer("identity", torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))

    def choose(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """The prototype of each sample: its class's cluster where the noise's first number falls."""
        label = x.argmax(dim=1)
        u = 0.5 * (1.0 + torch.erf(noise[:, 0] / 2**0.5))
        j = (u[:, None] > self.bounds[label]).sum(dim=1).clamp(max=PROTOTYPES - 1)
        return label * PROTOTYPES + j

    def forward(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        which = self.choose(x, noise)
        chosen = nn.functional.one_hot(which % PROTOTYPES, PROTOTYPES).to(x.dtype)
        out = self.head(self.body(torch.cat([x, chosen, noise[:, 1:]], dim=1)))
        n = len(x)
        affine = torch.tanh(out[:, :6]).view(n, 2, 3) * torch.tensor([MAX_AFFINE, MAX_AFFINE, MAX_SHIFT])
        grid = nn.functional.affine_grid(self.identity + affine, [n, 1, SIZE, SIZE], align_corners=False)
        bend = torch.tanh(out[:, 6:]).view(n, 2, FIELD, FIELD) * MAX_BEND
        bend = nn.functional.interpolate(bend, size=(SIZE, SIZE), mode="bicubic", align_corners=False)
        grid = grid + bend.permute(0, 2, 3, 1)
        drawn = nn.functional.grid_sample(self.pictures[which], grid, mode="bilinear", padding_mode="zeros",
                                          align_corners=False)
        return drawn.view(n, SIZE * SIZE).clamp(0.0, 1.0)
