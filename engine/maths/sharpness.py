"""How sharp an image is: the no-reference blur metric of Crete et al. and simpler companions.

`blur_crete` follows Crete, Dolmiere, Ladret and Nicolas, "The blur effect: perception and
estimation with a new no-reference perceptual blur metric" (SPIE Human Vision and Electronic
Imaging XII, 2007): blur the image again with a 1×9 averaging filter and measure how much of
its neighbour-to-neighbour variation that removes. A sharp image loses much of it (0 = sharp),
an already blurry one barely changes (1 = very blurry). Numpy only.

`ssim_many` is the structural similarity index of Wang, Bovik, Sheikh and Simoncelli, "Image quality
assessment: from error visibility to structural similarity" (IEEE Trans. Image Processing 13(4), 2004),
with scikit-image's defaults (a 7×7 uniform window, the sample covariance, colour channels averaged). It
sees what an edge measure cannot: an average of a red car and a blue car has edges as crisp as either,
but its colours are neither's.
"""

from __future__ import annotations

import math

import numpy as np

FILTER_SIZE = 9  # the paper's 1×9 averaging filter
_LUMA = np.array([0.2126, 0.7152, 0.0722])  # Rec. 709 weights of R, G, B


def luminance(image: np.ndarray) -> np.ndarray:
    """(…, H, W) luminance of an (…, H, W, 3) RGB image; an (H, W) image is already luminance."""
    arr = np.asarray(image, dtype=np.float64)
    if arr.ndim >= 3 and arr.shape[-1] == 3:
        return arr @ _LUMA
    return arr


def _box_blur(lum: np.ndarray, axis: int) -> np.ndarray:
    """A centred FILTER_SIZE-tap moving average along `axis`, edges mirrored (like scipy's 'reflect')."""
    half = FILTER_SIZE // 2
    pad = [(0, 0)] * lum.ndim
    pad[axis] = (half + 1, half)
    c = np.cumsum(np.pad(lum, pad, mode="symmetric"), axis=axis)
    hi = np.take(c, np.arange(FILTER_SIZE, c.shape[axis]), axis=axis)
    lo = np.take(c, np.arange(0, c.shape[axis] - FILTER_SIZE), axis=axis)
    return (hi - lo) / FILTER_SIZE


def _blur_along(lum: np.ndarray, axis: int) -> np.ndarray:
    """The paper's b_F for one direction, per image of the batch (…, H, W)."""
    d_sharp = np.abs(np.diff(lum, axis=axis))
    d_blur = np.abs(np.diff(_box_blur(lum, axis), axis=axis))
    lost = np.maximum(d_sharp - d_blur, 0.0)  # variation the re-blur removed
    s_sharp = d_sharp.sum(axis=(-2, -1))
    s_lost = lost.sum(axis=(-2, -1))
    # A flat image has no variation to lose: it is as blurry as an image can get.
    flat = s_sharp <= 1e-12 * lum.shape[-1] * lum.shape[-2]
    return np.where(flat, 1.0, (s_sharp - s_lost) / np.where(flat, 1.0, s_sharp))


def blur_crete_batch(images: np.ndarray) -> np.ndarray:
    """Crete blur of each image of a batch (n, H, W, 3) or (n, H, W): an (n,) array in [0, 1]."""
    arr = np.asarray(images)
    if arr.ndim == 3 and arr.shape[-1] == 3:
        raise ValueError(f"blur_crete_batch: expected (n, H, W, 3) or (n, H, W) images, got shape {arr.shape}; "
                         "use blur_crete for a single RGB image")
    lum = luminance(arr)
    if lum.ndim != 3 or min(lum.shape[1:]) < 2:
        raise ValueError(f"blur_crete_batch: expected (n, H, W, 3) or (n, H, W) images, got shape {arr.shape}")
    vertical = _blur_along(lum, axis=-2)
    horizontal = _blur_along(lum, axis=-1)
    return np.clip(np.maximum(vertical, horizontal), 0.0, 1.0)


def blur_crete(image: np.ndarray) -> float:
    """Crete blur of one image (H, W, 3) or (H, W): 0 sharp … 1 very blurry."""
    arr = np.asarray(image)
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] == 3)):
        raise ValueError(f"blur_crete: expected an (H, W, 3) or (H, W) image, got shape {arr.shape}")
    return float(blur_crete_batch(arr[None])[0])


def sharpness(image: np.ndarray) -> float:
    """1 - blur_crete: 1 sharp … 0 very blurry."""
    return 1.0 - blur_crete(image)


def relative_sharpness(image: np.ndarray, references: np.ndarray) -> float:
    """Sharpness of `image` over the mean sharpness of `references` (n, H, W, 3), e.g. the modes' images.

    1.0 means "as sharp as the modes"; NaN if the references have no sharpness at all (flat images).
    """
    refs = np.asarray(references)
    if refs.ndim == np.asarray(image).ndim:  # a single reference image
        refs = refs[None]
    if refs.shape[0] == 0:
        raise ValueError("relative_sharpness: no reference images")
    reference = float(np.mean(1.0 - blur_crete_batch(refs)))
    if reference <= 0.0:
        return math.nan
    return sharpness(image) / reference


def gradient_energy(image: np.ndarray) -> float:
    """Mean squared finite-difference gradient of the luminance: (mean dx² + mean dy²).

    Falls as an image blurs, but also as its contrast falls, which the Crete metric ignores.
    """
    lum = luminance(image)
    if lum.ndim != 2:
        raise ValueError(f"gradient_energy: expected an (H, W, 3) or (H, W) image, got shape {np.shape(image)}")
    return float(np.mean(np.diff(lum, axis=1) ** 2) + np.mean(np.diff(lum, axis=0) ** 2))


def gradient_energies(images: np.ndarray) -> np.ndarray:
    """gradient_energy of each image of an (n, H, W, 3) batch, in one pass."""
    lum = luminance(images)
    return np.mean(np.diff(lum, axis=-1) ** 2, axis=(-2, -1)) + np.mean(np.diff(lum, axis=-2) ** 2, axis=(-2, -1))


def nearest_mse(image: np.ndarray, data_images: np.ndarray, chunk: int = 256) -> float:
    """Mean squared error from `image` to the nearest of `data_images` (n, *image.shape)."""
    img = np.asarray(image, dtype=np.float64)
    data = np.asarray(data_images)
    if data.ndim != img.ndim + 1 or data.shape[1:] != img.shape:
        raise ValueError(f"nearest_mse: data images must have shape (n, {', '.join(map(str, img.shape))}), "
                         f"got {data.shape}")
    if data.shape[0] == 0:
        raise ValueError("nearest_mse: no data images")
    flat = img.reshape(-1)
    best = math.inf
    # In chunks, so thousands of images never need one huge float64 difference array.
    for start in range(0, data.shape[0], chunk):
        block = data[start:start + chunk].reshape(-1, flat.size).astype(np.float64)
        block -= flat
        best = min(best, float(np.einsum("ij,ij->i", block, block).min()) / flat.size)
    return best


SSIM_WINDOW = 7  # scikit-image's default window, uniform
_SSIM_K1, _SSIM_K2 = 0.01, 0.03


def _window_means(a: np.ndarray) -> np.ndarray:
    """The mean of every SSIM_WINDOW × SSIM_WINDOW window lying wholly inside the image, over axes
    (-3, -2) of (…, H, W, C): (…, H - 6, W - 6, C)."""
    w = SSIM_WINDOW
    c = np.cumsum(a, axis=-3)
    rows = np.concatenate([c[..., w - 1:w, :, :], c[..., w:, :, :] - c[..., :-w, :, :]], axis=-3)
    c = np.cumsum(rows, axis=-2)
    cols = np.concatenate([c[..., w - 1:w, :], c[..., w:, :] - c[..., :-w, :]], axis=-2)
    return cols / (w * w)


def ssim_many(image: np.ndarray, others: np.ndarray, data_range: float = 1.0, chunk: int = 64) -> np.ndarray:
    """The structural similarity of `image` (H, W, 3) to each of `others` (n, H, W, 3): an (n,) array, 1 for
    the same image. As scikit-image's `structural_similarity(…, channel_axis=-1, data_range=…)`: the mean
    over the colour channels of the mean SSIM over the windows that lie inside the image."""
    img = np.asarray(image, dtype=np.float64)
    refs = np.asarray(others)
    if img.ndim != 3 or img.shape[-1] != 3 or refs.shape[1:] != img.shape or min(img.shape[:2]) < SSIM_WINDOW:
        raise ValueError(f"ssim_many: expected an (H, W, 3) image of at least {SSIM_WINDOW}×{SSIM_WINDOW} and "
                         f"(n, H, W, 3) others, got {img.shape} and {refs.shape}")
    c1, c2 = (_SSIM_K1 * data_range) ** 2, (_SSIM_K2 * data_range) ** 2
    unbiased = SSIM_WINDOW**2 / (SSIM_WINDOW**2 - 1.0)  # the sample covariance, as scikit-image uses
    mx = _window_means(img)
    vx = unbiased * (_window_means(img * img) - mx * mx)
    out = np.empty(len(refs))
    for start in range(0, len(refs), chunk):  # a few tens of MB at a time
        y = refs[start:start + chunk].astype(np.float64)
        my = _window_means(y)
        vy = unbiased * (_window_means(y * y) - my * my)
        cov = unbiased * (_window_means(img * y) - mx * my)
        index = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        out[start:start + chunk] = index.mean(axis=(1, 2, 3))
    return out
