"""The loss landscape: the expected loss over the current samples as a function of the prediction, on a
grid, with its minimum; numpy only, so the window computes it while a component is dragged.

Which landscape a loss has is a fact of its registry entry (engine.model.losses): a `LandscapeForm`
names what the landscape runs over and the function that evaluates it (which takes, by keyword, only
what it uses: the samples, the mixture, the loss's penalty):
- the losses of one point take their entry's penalty of the squared distance, averaged over
  every sample (`expected_penalty`);
- the Gaussian likelihood and reverse KL run over the mean, with the spread at its best for each
  mean (`gaussian_best_spread`, `reverse_kl_best_spread`);
- min-of-K with two guesses in 1-D is a map over the two guesses (`two_guesses`);
- the others have none, and their form says why in words.

Each evaluator is exact at the grid's points (every sample counts); the minimum is refined below the
grid's step by evaluating finer grids around the lowest point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.lazy import lazy_import
from engine.maths.grid import Grid
from engine.model.estimate import Estimate
from engine.model.mixture import Mixture
from engine.model.settings import supply

contourpy = lazy_import("contourpy")  # the level lines: when a 2-D landscape is first drawn

# points (m, map dimension), precise -> the expected loss at each, (m,); `precise` asks for float64 throughout
Evaluator = Callable[..., np.ndarray]
Maker = Callable[..., Evaluator]  # keywords of samples, mixture, penalty -> the evaluator on those samples

# grid points per axis: a smooth curve, a map with readable level lines; and while a component is dragged
# in 2-D, a coarser map that keeps up with the hand (benchmarks/landscape_speed.py)
POINTS = {1: 161, 2: 45}
MOVING_POINTS = {1: 161, 2: 29}
CHUNK = 48_000  # numbers held at once while the penalty of every (grid point, sample) pair is summed: 192 KB
# in float32 was the fastest of 96, 192 and 384 KB (benchmarks/landscape_speed.py): numpy's temporaries stay
# in the cache, and a chunk is large enough that Python's overhead per chunk does not show
SPREADS = 24  # standard deviations tried at each mean for reverse KL
FINE = 2048  # points of the grid on which reverse KL's expectations are taken


@dataclass(frozen=True, eq=False)  # a part of a loss's registry entry: the same object wherever it is read
class LandscapeForm:
    """What a loss's landscape runs over, and how it is computed; `over` "" means it has none."""

    over: str = ""  # in words: "the prediction", "the mean, with the spread at its best for each mean"
    make: Maker | None = None  # builds the evaluator for the current samples
    dims: tuple[int, ...] = (1, 2)  # the data dimensions it is drawn in
    guesses: int = 1  # a map over this many guesses needs a fit with exactly that many (min-of-K: 2)
    why_not: str = ""  # why there is none: for the loss, or for a dimension or K it does not cover

    def reason_against(self, dim: int, k: int) -> str:
        """Why this loss has no landscape for data of `dim` dimensions fitted with K = k; "" if it has one."""
        if self.make is not None and dim > 2:
            return f"drawn for 1 or 2 dimensions only; this scene has {dim}"
        if self.make is None or dim not in self.dims:
            return self.why_not
        if self.guesses > 1 and k != self.guesses:
            return f"{self.why_not} (this fit has K = {k})"
        return ""

    def map_dim(self, dim: int) -> int:
        """The landscape's own dimension: 1 (a curve) or 2 (a map)."""
        return dim * self.guesses

    def locate(self, estimate: Estimate) -> np.ndarray:
        """Where an estimate sits on the landscape: its mean, or its guesses."""
        return np.ravel(estimate.points if self.guesses > 1 else estimate.mean)


def none(why: str) -> LandscapeForm:
    return LandscapeForm(why_not=why)


@dataclass(frozen=True, eq=False)
class Landscape:
    """The expected loss on a grid (rows along y in 2-D), and its minimum."""

    over: str
    grid: Grid
    loss: np.ndarray  # grid.shape
    minimum: np.ndarray  # where it is lowest (map coordinates)
    lowest: float  # the loss there
    evaluate: Evaluator  # the expected loss at any points of the map

    @property
    def dim(self) -> int:
        return self.grid.dim

    def levels(self, count: int = 7) -> np.ndarray:
        """Loss values for level lines: closer together near the bottom, where the shape is decided."""
        top = float(np.max(self.loss))
        return self.lowest + (top - self.lowest) * (np.arange(1, count + 1) / (count + 1)) ** 2

    def contours(self, levels: np.ndarray) -> list[np.ndarray]:
        """The level lines of a map (2-D), one (n, 2) array per level, pieces separated by rows of NaN."""
        generator = contourpy.contour_generator(*self.grid.axes, self.loss,
                                                line_type=contourpy.LineType.ChunkCombinedNan)
        out = []
        for level in levels:
            chunks = [c for c in generator.lines(float(level))[0] if c is not None]
            out.append(np.concatenate(chunks) if chunks else np.empty((0, 2)))
        return out

    def value_at(self, point: np.ndarray) -> float:
        return float(self.evaluate(np.atleast_2d(np.asarray(point, dtype=float)), precise=True)[0])

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"over": self.over}
        if self.dim == 1:
            out |= {"axis": self.grid.axes[0].tolist(), "loss": self.loss.tolist()}
        else:
            out |= {"x": self.grid.axes[0].tolist(), "y": self.grid.axes[1].tolist(), "loss": self.loss.tolist()}
        return out | {"minimum": self.minimum.tolist(), "lowest": self.lowest}


def default_box(mixture: Mixture) -> tuple[np.ndarray, np.ndarray]:
    """The data's box, where the command line draws the landscape (the window draws it over its view)."""
    return mixture.bounds(4.0)


def compute(form: LandscapeForm, samples: np.ndarray, mixture: Mixture,
            box: tuple[np.ndarray, np.ndarray] | None = None, points: int | None = None, k: int = 1,
            penalty: Callable[[Any], Any] | None = None) -> Landscape:
    """The landscape of `form` over `box` (the prediction's; default: the data's), `points` per axis, for a
    fit of `k` components or guesses and a loss of one point's `penalty`. Raises ValueError, saying why,
    for a loss that has none here."""
    reason = form.reason_against(mixture.dim, k)
    if reason:
        raise ValueError(reason)
    lo, hi = box if box is not None else default_box(mixture)
    lo, hi = np.atleast_1d(lo).astype(float), np.atleast_1d(hi).astype(float)
    if form.guesses > 1:  # every guess runs over the same data axis
        lo, hi = np.repeat(lo, form.guesses), np.repeat(hi, form.guesses)
    dim = form.map_dim(mixture.dim)
    grid = Grid.over(lo, hi, points or POINTS[dim])
    x = np.asarray(samples, dtype=float)
    if not len(x):
        raise ValueError("no points to average the loss over")
    evaluate = supply(form.make, {"samples": lambda: x, "mixture": lambda: mixture, "penalty": lambda: penalty})
    values = evaluate(grid.points()).reshape(grid.shape)
    minimum, lowest = _refine(evaluate, grid, values)
    return Landscape(form.over, grid, values, minimum, lowest, evaluate)


def _refine(evaluate: Evaluator, grid: Grid, values: np.ndarray) -> tuple[np.ndarray, float]:
    """The lowest point, refined by evaluating ever finer local grids around it (each a third or a quarter
    of the last one's step), to about a thousandth of the grid's step."""
    width, rounds = (9, 4) if grid.dim == 1 else (5, 8)
    best = grid.points()[int(np.argmin(values))]
    lowest = float(evaluate(best[None, :], precise=True)[0])
    step = grid.steps
    for _ in range(rounds):
        candidates = Grid.over(best - step, best + step, width).points()
        found = evaluate(candidates, precise=True)
        k = int(np.argmin(found))
        if found[k] <= lowest:
            best, lowest = candidates[k], float(found[k])
        step = step * 2 / (width - 1)
    return best, lowest


# -- the evaluators ------------------------------------------------------------------------------------
def expected_penalty(*, samples: np.ndarray, penalty: Callable[[Any], Any]) -> Evaluator:
    """The mean of the loss's penalty of the squared distance from each sample to the prediction."""
    columns = {np.float32: np.ascontiguousarray(samples.T, dtype=np.float32),
               np.float64: np.ascontiguousarray(samples.T, dtype=np.float64)}

    def evaluate(points: np.ndarray, precise: bool = False) -> np.ndarray:
        # float32 for the grid; float64 for the refinement of the minimum (few points, full precision)
        dtype = np.float64 if precise else np.float32
        xs, p = columns[dtype], points.astype(dtype)
        out = np.empty(len(p))
        rows = max(CHUNK // xs.shape[1], 1)
        for start in range(0, len(p), rows):
            part = p[start:start + rows]
            s = np.subtract.outer(part[:, 0], xs[0])  # every (grid point, sample) pair, in place from here
            np.square(s, out=s)
            for k in range(1, len(xs)):
                d = np.subtract.outer(part[:, k], xs[k])
                np.square(d, out=d)
                s += d
            out[start:start + rows] = penalty(s).sum(axis=1)  # .sum, not .mean: less overhead a chunk
        return out / xs.shape[1]

    return evaluate


def gaussian_best_spread(*, samples: np.ndarray) -> Evaluator:
    """The Gaussian likelihood at each mean with its best covariance, the samples' scatter about that mean:
    -mean log N(x | mu, S(mu)) = (d log(2 pi e) + log det C + log(1 + (mu - m)' C^-1 (mu - m))) / 2,
    where m and C are the samples' mean and covariance (the matrix determinant lemma)."""
    d = samples.shape[1]
    centre = samples.mean(axis=0)
    cov = np.cov(samples.T, bias=True).reshape(d, d)
    inverse = np.linalg.inv(cov)
    base = 0.5 * (d * np.log(2 * np.pi * np.e) + np.linalg.slogdet(cov)[1])

    def evaluate(points: np.ndarray, precise: bool = False) -> np.ndarray:
        off = points - centre
        return base + 0.5 * np.log1p(np.einsum("mi,ij,mj->m", off, inverse, off))

    return evaluate


def reverse_kl_best_spread(*, mixture: Mixture) -> Evaluator:
    """KL(q || p) of the Gaussian q = N(mu, sigma^2) at each mean with its best sigma, against the data's
    known density p (what the reverse-KL fit trains on); 1-D.

    KL = -H(sigma) - E_q[log p], and E_q[log p] as a function of mu is log p smoothed by a Gaussian of width
    sigma: one FFT convolution of log p on a fine grid per sigma, then read off at any mu. (Gauss-Hermite
    quadrature needs hundreds of nodes for a wide q over several modes, and drew wells that are not there.)
    The best sigma is the lowest of SPREADS tried, refined by a parabola in log sigma."""
    w, m, v = mixture.weights, mixture.means[:, 0], mixture.covs[:, 0, 0]
    log_norm = np.log(w) - 0.5 * np.log(2 * np.pi * v)
    sigmas = np.geomspace(0.2 * float(np.sqrt(v.min())), 1.5 * float(np.sqrt(mixture.cov()[0, 0])), SPREADS)
    entropy = 0.5 * np.log(2 * np.pi * np.e * sigmas**2)
    lo, hi = mixture.bounds(4.0)
    margin = 5.0 * sigmas[-1] + 2.0
    x = np.linspace(lo[0] - margin, hi[0] + margin, FINE)
    parts = log_norm - 0.5 * (x[:, None] - m) ** 2 / v
    top = parts.max(axis=1)
    log_p = top + np.log(np.exp(parts - top[:, None]).sum(axis=1))
    size = 2 * FINE  # zero-padded: a linear convolution, not a circular one
    frequencies = np.fft.rfftfreq(size, x[1] - x[0])
    # a Gaussian kernel's transform is a Gaussian, exp(-2 pi^2 sigma^2 f^2): every sigma's in one product
    kernels = np.exp(-2.0 * (np.pi * sigmas[:, None] * frequencies[None, :]) ** 2)
    smoothed = np.fft.irfft(np.fft.rfft(log_p, size)[None, :] * kernels, size, axis=1)
    kl_grid = -entropy[:, None] - smoothed[:, :FINE]  # (spreads, fine grid)

    def evaluate(points: np.ndarray, precise: bool = False) -> np.ndarray:
        mu = np.clip(points[:, 0], x[0], x[-1])
        kl = np.stack([np.interp(mu, x, row) for row in kl_grid], axis=1)  # (m, spreads)
        k = np.clip(np.argmin(kl, axis=1), 1, SPREADS - 2)
        rows = np.arange(len(mu))
        a, b, c = kl[rows, k - 1], kl[rows, k], kl[rows, k + 1]
        # the bottom of the parabola through the three spreads around the best (evenly spaced in log sigma)
        curvature = np.maximum(a - 2 * b + c, 1e-12)
        return np.minimum(b - (a - c) ** 2 / (8 * curvature), b)

    return evaluate


def two_guesses(*, samples: np.ndarray) -> Evaluator:
    """Min-of-K with two guesses (a, b) in 1-D: each sample pays the squared distance to the nearer one.
    Exact for every pair from sums over the sorted samples: those below the midpoint go to the lower guess."""
    x = np.sort(samples[:, 0])
    n = len(x)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def evaluate(points: np.ndarray, precise: bool = False) -> np.ndarray:
        lo, hi = points.min(axis=1), points.max(axis=1)
        k = np.searchsorted(x, 0.5 * (lo + hi))  # how many samples are nearer the lower guess
        below = s2[k] - 2 * lo * s1[k] + lo * lo * k
        above = (s2[n] - s2[k]) - 2 * hi * (s1[n] - s1[k]) + hi * hi * (n - k)
        return (below + above) / n

    return evaluate


# -- the forms the registry names --------------------------------------------------------------------------
DIRECT = LandscapeForm("the prediction", expected_penalty)
GAUSSIAN_BEST_SPREAD = LandscapeForm("the mean, with the covariance at its best for each mean", gaussian_best_spread)
REVERSE_KL_BEST_SPREAD = LandscapeForm(
    "the mean, with the spread at its best for each mean", reverse_kl_best_spread, dims=(1,),
    why_not="In 2-D the best spread at each mean is a search over three numbers at every point of the map: "
            "too slow to redraw while you drag. In 1-D it shows one well per mode.")
TWO_GUESSES = LandscapeForm(
    "the two guesses", two_guesses, dims=(1,), guesses=2,
    why_not="Min-of-K's landscape is a map over its two guesses, drawn for 1-D data and K = 2")
