"""What the image pane shows, computed without Qt: decoded modes, the interpolation strip, the decoded
estimate, the selected loss's answer in pixel space, samples of the fitted model, and their figures.

`DataBoard` changes only with the data (a drag, a new scene); `FitBoard` with every frame of the fit.
Both are frozen; `ImageBoardMaker` caches the data part so a frame decodes only what moved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.decoders import Span, decode
from engine.images import STRIP
from engine.maths.sharpness import blur_crete_batch, gradient_energies
from engine.model.estimate import Estimate
from engine.model.losses import loss_info
from engine.model.mixture import Mixture

FIGURE_IMAGES = 48  # data images the squared-error figures compare against
SAMPLE_GRID = 16
MAX_ANSWERS = 4
_NOISE_SEED = 2024  # fixed draws, so the sample grid moves smoothly with the fit instead of flickering


@dataclass(frozen=True, eq=False)
class Picture:
    """One picture of the image pane, with its caption and its figures."""

    image: np.ndarray  # (H, W, 3) float32 in [0, 1]
    caption: str
    sharpness: float  # gradient energy relative to the mode images: 1.0 is as sharp as a mode
    crete: float  # 1 - the Crete et al. (2007) blur metric, relative to the mode images
    mean_mse: float  # mean squared error averaged over the data images: what L2 minimises (nan if not computed)
    nearest_mse: float  # mean squared error to the closest data image (nan if not computed)


@dataclass(frozen=True, eq=False)
class DataBoard:
    """The image pane's pictures of the data: the modes, and the strip between two of them."""

    modes: tuple[Picture, ...]
    strip_latent: tuple[Picture, ...]  # decoded points on the line between two modes: sharp in-betweens
    strip_pixel: tuple[Picture, ...]  # pixel cross-fade of the two end images: ghosts
    pair: tuple[int, int]  # which modes the strip joins
    mode_sharpness: float  # gradient energy of the mode images, the reference of every sharpness figure


@dataclass(frozen=True, eq=False)
class FitBoard:
    """The image pane's pictures of the fit: the decoded estimate, the loss's answer in pixel space, and
    samples."""

    estimate: Picture  # the image at the estimate's mean
    answer_title: str
    answers: tuple[Picture, ...]  # the loss's answer in pixel space (or its components, guesses, samples)
    samples: tuple[Picture, ...]  # decoded draws from the fitted model


def mode_labels(mixture: Mixture, modes: np.ndarray) -> list[str]:
    """Each mode named after the component whose mean is closest (the scene's labels say what it looks like)."""
    labels = []
    for m in modes:
        k = int(np.argmin(np.linalg.norm(mixture.means - m, axis=1)))
        labels.append(mixture.components[k].label or f"mode {len(labels) + 1}")
    return labels


class ImageBoardMaker:
    def __init__(self, decoder: str, span: Span | None = None) -> None:
        self.decoder = decoder
        self.span = span  # the data's units, mapped to the decoder's (a scene of your own points)
        self._data_images = np.zeros((0,))
        self._data_flat = np.zeros((0, 0), np.float32)
        self._data_norms = np.zeros(0, np.float32)
        self._energy_ref = 1.0
        self._crete_ref = 1.0
        rng = np.random.default_rng(_NOISE_SEED)
        self._normals = rng.standard_normal((SAMPLE_GRID, 2))
        self._uniforms = rng.random(SAMPLE_GRID)
        # Axes 3 to 8 (many properties) drawn after, so 1-D and 2-D draws stay what they were.
        self._normals = np.hstack([self._normals, rng.standard_normal((SAMPLE_GRID, 6))])

    # -- the data part --------------------------------------------------------------------
    def data_board(self, mixture: Mixture, samples: np.ndarray, pair: tuple[int, int] | None = None,
                   *, refresh_data_images: bool = True) -> DataBoard:
        """Decode the modes, the strip between two of them, and (unless told not to, mid-drag) the data
        images that the squared-error figures compare against."""
        if refresh_data_images or not len(self._data_images):
            self._data_images = decode(self.decoder, np.asarray(samples)[:FIGURE_IMAGES], self.span)
            self._data_flat = self._data_images.reshape(len(self._data_images), -1)
            self._data_norms = np.einsum("ij,ij->i", self._data_flat, self._data_flat)
        modes = mixture.modes()
        if len(modes) >= 2:
            a, b = pair if pair and max(pair) < len(modes) and pair[0] != pair[1] else (0, len(modes) - 1)
        else:
            a = b = 0
        t = np.linspace(0.0, 1.0, STRIP)
        line = modes[a][None, :] * (1 - t)[:, None] + modes[b][None, :] * t[:, None]
        mode_images, latent = self._decode_groups(modes, line)
        energy, crete = gradient_energies(mode_images), 1.0 - blur_crete_batch(mode_images)
        self._energy_ref, self._crete_ref = float(np.mean(energy)), float(np.mean(crete))
        mode_pics = tuple(self._pictures(mode_images, mode_labels(mixture, modes), measured=(energy, crete)))
        pixel = mode_images[a][None] * (1 - t)[:, None, None, None] + mode_images[b][None] * t[:, None, None, None]
        pixel = np.ascontiguousarray(pixel, dtype=np.float32)
        captions = [f"{round(100 * x)}%" for x in t]
        return DataBoard(
            modes=mode_pics,
            strip_latent=tuple(self._pictures(latent, captions, "sharpness")),
            strip_pixel=tuple(self._pictures(pixel, captions, "sharpness")),
            pair=(a, b),
            mode_sharpness=self._energy_ref,
        )

    # -- the fit part ---------------------------------------------------------------------------
    def fit_board(self, loss_id: str, estimate: Estimate, pixel_image: np.ndarray | None,
                  answer: tuple[np.ndarray, str] | None = None) -> FitBoard:
        """The fit's pictures; `answer` (a point and its caption) is decoded as the prediction instead of
        the estimate's mean (the decoding dial's choice)."""
        loss = loss_info(loss_id)
        # What the answer shows: the pixel-space fit, or decoded points with captions.
        if loss.pixel is not None:
            title, points, captions = f"{loss.title} in pixel space", None, ["pixel-space answer"]
        else:
            points, captions = estimate.shown(MAX_ANSWERS)
            title = loss.answer
        draws = self.model_samples(estimate)
        shown, caption = (estimate.mean, "decoded estimate") if answer is None else answer
        groups = [np.asarray(shown, dtype=float)[None], draws] + ([] if points is None else [points])
        decoded = self._decode_groups(*groups)
        est_pic = self._pictures(decoded[0], [caption])[0]
        if points is None:
            image = pixel_image if pixel_image is not None else np.full_like(est_pic.image, 0.5)
            answers = self._pictures(image[None], captions)
        else:
            answers = self._pictures(decoded[2], captions)
        samples = self._pictures(decoded[1], [""] * len(draws), "sharpness")
        return FitBoard(est_pic, title, tuple(answers), tuple(samples))

    def _decode_groups(self, *groups: np.ndarray) -> list[np.ndarray]:
        """Decode several sets of points in one call (one call renders a batch far cheaper per image)."""
        sizes = [len(g) for g in groups]
        images = decode(self.decoder, np.concatenate(groups), self.span)
        return np.split(images, np.cumsum(sizes)[:-1])

    def model_samples(self, est: Estimate) -> np.ndarray:
        """SAMPLE_GRID draws from the fitted model, from fixed noise (smooth from frame to frame)."""
        return est.draws(self._normals[:, : est.dim], self._uniforms)

    # -- figures ----------------------------------------------------------------------------------
    def _pictures(self, images: np.ndarray, captions: list[str], figures: str = "all",
                  measured: tuple[np.ndarray, np.ndarray] | None = None) -> list[Picture]:
        """Pictures with their figures: "all", "sharpness" only, or "none" (nan); each costs, so only
        what the pane shows is computed. `measured`: gradient energies and Crete sharpness already known."""
        n = len(images)
        nan = np.full(n, np.nan)
        energy = crete = mean_mse = nearest = nan
        if figures != "none":
            raw = measured[0] if measured else gradient_energies(images)
            energy = raw / max(self._energy_ref, 1e-12)
        if figures == "all":
            raw = measured[1] if measured else 1.0 - blur_crete_batch(images)
            crete = raw / max(self._crete_ref, 1e-9)
            if len(self._data_flat):
                mean_mse, nearest = self._mse_to_data(images)
        return [
            Picture(img, cap, float(e), float(c), float(m), float(d))
            for img, cap, e, c, m, d in zip(images, captions, energy, crete, mean_mse, nearest)
        ]

    def _mse_to_data(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mean over the data images, minimum over them) of the per-pixel squared error, for each image;
        one matrix product instead of a loop over data images."""
        flat = images.reshape(len(images), -1)
        norms = np.einsum("ij,ij->i", flat, flat)
        sq = norms[:, None] + self._data_norms[None, :] - 2.0 * (flat @ self._data_flat.T)
        sq = np.maximum(sq, 0.0) / flat.shape[1]
        return sq.mean(axis=1), sq.min(axis=1)
