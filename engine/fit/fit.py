"""The fit: trains the selected loss's model on the samples and yields frozen snapshots.

`Fit` holds the state; `run` is the Qt-free generator that steps it, applying what a
`FitControl` mailbox received (new data, a new loss, new settings, a reset) between steps.
Both belong to one thread; nothing here is shared between threads.
"""

from __future__ import annotations

from collections.abc import Iterator
import numpy as np
import torch

from engine.fit.control import FitControl
from engine.fit.models import FitData, Model, build_model, start_point
from engine.model.estimate import Estimate, Snapshot
from engine.model.losses import checked, loss_info
from engine.model.mixture import Mixture
from engine.model.settings import FitSettings
from engine.model.units import Units

__all__ = ["Fit", "FitControl", "FitSettings", "run"]

TRAIL = 256  # positions of the mean kept in each snapshot
CURVE = 1024  # loss values kept in each snapshot
CHECKPOINT_EVERY = 20  # steps between saved states to return to after a divergence
DIVERGE_FACTOR = 50.0  # the estimate is lost once it is this many data spreads from the data


class Fit:
    """The state of one fit. Not thread-safe: one thread owns it."""

    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings | None = None,
                 span: tuple | None = None) -> None:
        """`span` (a scene of your own points): fit in the decoder's units, report in the data's
        (engine.model.units says why)."""
        self.settings = checked(settings or FitSettings())
        self._units = Units.of(span)
        self._data = self._make_data(samples, mixture)
        self.data_version = 0
        self.resets = 0  # how many resets so far: lets an observer notice one
        self.reset()

    # -- commands ---------------------------------------------------------------
    def reset(self) -> None:
        """Back to step 0: a fresh model from the seed, an empty history."""
        self.resets += 1
        self.step_count = 0
        self.diverged = False
        self.message = ""
        self._losses = _Series(1)
        self._trail = _Series(self._data.dim)
        self._gen = torch.Generator().manual_seed(self.settings.seed)
        self._model = self._build(start_point(self._data.mixture))
        self._estimate = self._model.estimate()
        self._trail.append(self._estimate.mean)
        self._checkpoint = self._model.state()

    def set_data(self, samples: np.ndarray, mixture: Mixture) -> None:
        """New samples (a component was dragged, added or removed); the model keeps its place."""
        loss = loss_info(self.settings.loss)
        old_k = loss.components(self.settings, self._data.mixture)
        self._data = self._make_data(samples, mixture)
        self.data_version += 1
        if (loss.components(self.settings, mixture) != old_k or not self._model.follows_new_data
                or len(self._estimate.mean) != self._data.dim):
            # A different number of components, a model made for the old data (a standardised generator), or
            # data of another dimension (another stage's scene).
            self._model = self._build(self._start())
            self._estimate = self._model.estimate()
            if self._trail.width != self._data.dim:  # a path in the old space leads nowhere in the new one
                self._trail = _Series(self._data.dim)
        else:
            self._model.data = self._data
        self._checkpoint = self._model.state()

    def set_span(self, span: tuple | None) -> None:
        """New units to fit in: a new scene's, whose data and reset follow (FitControl applies them in that
        order). The data the fit has are re-made in the new units only if they are of the span's dimension:
        the old scene's may not be."""
        self._units = Units.of(span)
        if span is None or len(span) == self._source[1].dim:
            self._data = self._make_data(*self._source)

    def set_settings(self, settings: FitSettings) -> None:
        """Apply new settings mid-fit: a new loss starts from where the old estimate is."""
        old, self.settings = self.settings, checked(settings)
        if settings.seed != old.seed:
            self.reset()  # a new seed is a new run
            return
        rebuild = (settings.loss, settings.params) != (old.loss, old.params)
        if rebuild or self.diverged:
            self._model = self._build(self._start())
            self._estimate = self._model.estimate()
            self._checkpoint = self._model.state()
            if settings.loss != old.loss:
                self._losses = _Series(1)  # a new loss is on a new scale
        elif self.learning_rate != loss_info(old.loss).learning_rate(old):
            self._model.set_lr(self.learning_rate)
        self.diverged = False
        self.message = ""

    @property
    def learning_rate(self) -> float:
        return loss_info(self.settings.loss).learning_rate(self.settings)

    # -- stepping -----------------------------------------------------------------
    def step(self) -> bool:
        """One optimiser step. Returns False (and changes nothing) once the fit has diverged."""
        if self.diverged:
            return False
        loss = self._model.step()
        estimate = self._model.estimate()
        if not (np.isfinite(loss) and estimate.is_finite() and self._within_bounds(estimate)):
            self._model.restore(self._checkpoint)
            self.diverged = True
            self.message = (
                f"The fit diverged at step {self.step_count + 1}: the learning rate "
                f"{self.learning_rate:g} is too large; lower it and run again."
            )
            return False
        self.step_count += 1
        self._estimate = estimate
        self._losses.append(loss)
        self._trail.append(estimate.mean)
        if self.step_count % CHECKPOINT_EVERY == 0:
            self._checkpoint = self._model.state()
        return True

    def snapshot(self, pixel: np.ndarray | None = None) -> Snapshot:
        """The fit now, frozen; `pixel` is the pixel-space answer that goes with it, if any."""
        return Snapshot(
            step=self.step_count,
            loss_id=self.settings.loss,
            loss=float(self._losses.last(1)[0, 0]) if len(self._losses) else float("nan"),
            estimate=self.estimate,
            trail=self._outward(self._trail.last(TRAIL)),
            losses=self._losses.last(CURVE)[:, 0],
            data_version=self.data_version,
            diverged=self.diverged,
            message=self.message,
            pixel=pixel,
        )

    # -- history ------------------------------------------------------------------
    @property
    def data_mixture(self) -> Mixture:
        """The mixture the samples were drawn from (its modes are what the images are measured against)."""
        return self._source[1]

    @property
    def samples(self) -> np.ndarray:
        """The samples the fit trains on now (float32; in the data's units)."""
        return self._data.samples.numpy() if self._units is None else self._source[0].astype(np.float32)

    @property
    def estimate(self) -> Estimate:
        return self._estimate if self._units is None else self._units.estimate_outward(self._estimate)

    def _outward(self, points: np.ndarray) -> np.ndarray:
        return points if self._units is None else self._units.outward(points)

    def loss_history(self) -> np.ndarray:
        return self._losses.last(len(self._losses))[:, 0]

    def trajectory(self) -> np.ndarray:
        """Every position of the estimate's mean since the reset, start included (steps + 1, dim)."""
        return self._outward(self._trail.last(len(self._trail)))

    def sample_model(self, n: int) -> np.ndarray | None:
        """Draws from the fitted generator (adversarial only)."""
        sample = getattr(self._model, "sample", None)
        return self._outward(sample(n)) if sample else None

    # -- internals ----------------------------------------------------------------
    def _make_data(self, samples: np.ndarray, mixture: Mixture) -> FitData:
        samples = np.asarray(samples, dtype=float)
        if samples.ndim != 2 or samples.shape[1] != mixture.dim or len(samples) == 0:
            raise ValueError(f"samples: expected an (n, {mixture.dim}) array, got shape {samples.shape}")
        if not np.all(np.isfinite(samples)):
            raise ValueError("samples: hold NaN or infinite values")
        self._source = (samples, mixture)  # in the data's units
        if self._units is not None:
            samples, mixture = self._units.inward(samples), self._units.mixture_inward(mixture)
        return FitData.make(samples, mixture, None if self._units is None else self._units.scale)

    def _start(self) -> np.ndarray:
        """Where a rebuilt model starts: the estimate's place, if it lives in the data's space, else the
        data's centre (new data of another dimension came first)."""
        mean = self._estimate.mean
        return mean if len(mean) == self._data.dim else self._data.centre

    def _build(self, start: np.ndarray) -> Model:
        return build_model(self._data, self.settings, self._gen, start)

    def _within_bounds(self, estimate: Estimate) -> bool:
        limit = DIVERGE_FACTOR * (self._data.scale + 1.0)
        return float(np.linalg.norm(estimate.mean - self._data.centre)) < limit


class _Series:
    """A growing (n, width) float array with cheap appends and cheap copies of its tail."""

    def __init__(self, width: int) -> None:
        self._data = np.empty((256, width))
        self._n = 0

    @property
    def width(self) -> int:
        return self._data.shape[1]

    def __len__(self) -> int:
        return self._n

    def append(self, row) -> None:
        if self._n == len(self._data):
            self._data = np.concatenate([self._data, np.empty_like(self._data)])
        self._data[self._n] = row
        self._n += 1

    def last(self, n: int) -> np.ndarray:
        """A copy of the last n rows (fewer if there are fewer)."""
        return self._data[max(self._n - n, 0) : self._n].copy()


def run(fit: Fit, control: FitControl | None = None, steps: int | None = None) -> Iterator[Snapshot]:
    """Step the fit, yielding a snapshot after every step and after every applied command.

    Ends when `steps` steps are done or the fit diverges (the last snapshot then carries the
    message); a caller that wants no more simply stops asking. The snapshots share nothing with the fit.
    """
    done = 0
    while steps is None or done < steps:
        if control is not None and control.apply(fit):
            yield fit.snapshot()
        if not fit.step():
            yield fit.snapshot()
            return
        done += 1
        yield fit.snapshot()
