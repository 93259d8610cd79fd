"""The app's state: the scene being edited, its samples, the fit settings, the speed and the display
mode; panes and controllers subscribe to it, widgets write to it what the user does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.lazy import lazy_import
from engine.maths.kde import Kde
from engine.model.answers import Decoding
from engine.model.losses import loss_info
from engine.model.mixture import Component, Mixture
from engine.model.scene import Scene, SceneError, bundled_scene, check_covariance
from engine.model.settings import FitSettings
from gui.support import palette

points = lazy_import("engine.model.points")  # your own points: when a scene has them
data_scene = lazy_import("engine.model.data_scene")  # their reader: when a stroke is painted

if TYPE_CHECKING:
    from engine.model.points import PointSet
    from engine.model.session import Session

MIN_STD = 0.05  # narrower than this, a component is a spike that nobody can grab
MIN_WEIGHT = 0.02
UNDO_DEPTH = 100
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 16.0, float("inf"))  # multiples of each loss's pace; inf: as fast as it goes


@dataclass(frozen=True)
class WhyView:
    """What the why is drawn with: the loss landscape, the tug of war's arrows, and the decoding dial."""

    landscape: bool = False
    pulls: bool = False
    decoding: Decoding = Decoding()

    def updated_from(self, view: dict) -> WhyView:
        """This view with the keys a tour step's `view` names (landscape, pulls, answer, temperature)."""
        decoding = Decoding(view.get("answer", self.decoding.answer), view.get("temperature", self.decoding.temperature))
        return WhyView(bool(view.get("landscape", self.landscape)), bool(view.get("pulls", self.pulls)), decoding)


class AppState(QObject):
    """One scene, its samples and the fit settings. Every change goes through here and is announced.

    `dataChanged(finished)` fires while a component is dragged or points are painted (finished False)
    and once more on release (True), and when the scene switches between its own points and samples of
    its mixture; `settingsChanged` when the loss or a hyper-parameter changes; `sceneReplaced`
    when a whole new scene is loaded; `speedChanged`; `talkChanged` when talk mode goes on or off;
    `whyChanged` when the landscape, the tug of war or the decoding dial is turned on, off or round.
    """

    dataChanged = Signal(bool)
    settingsChanged = Signal()
    sceneReplaced = Signal()
    speedChanged = Signal()
    talkChanged = Signal(bool)
    whyChanged = Signal()
    undoAvailable = Signal(bool)

    def __init__(self, scene: Scene, scene_id: str | None = None, parent: QObject | None = None,
                 sampler: Callable[[Scene], np.ndarray] | None = None) -> None:
        super().__init__(parent)
        self._undo: list[tuple[Scene, str | None]] = []  # each scene and the bundled scene it was, if one
        self._kde: tuple[np.ndarray, Kde] | None = None  # the KDE of the points in use, and of which samples
        self.speed_index = SPEEDS.index(1.0)
        self.talk = False
        self._talk_scale = 1.6
        self.why = WhyView()
        self.scene_id = scene_id  # the bundled scene on show, while the user has not edited it
        # How a scene's samples are drawn (None: Scene.draw): a stage whose scenes have a faster or steadier
        # sampler of their own gives it.
        self.sampler = sampler
        self._set_scene(scene)

    def draw(self, scene: Scene) -> np.ndarray:
        """The samples of `scene`: its own draw, or the sampler's."""
        return scene.draw() if self.sampler is None else self.sampler(scene)

    # -- reading --------------------------------------------------------------------
    @property
    def mixture(self) -> Mixture:
        return self.scene.mixture

    @property
    def dim(self) -> int:
        return self.scene.dim

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    def steps_per_second(self) -> float:
        return loss_info(self.settings.loss).steps_per_second(self.speed)

    # -- your own points -----------------------------------------------------------------------
    @property
    def points(self) -> PointSet | None:
        """The scene's own points (imported or painted), whether or not its samples are them now."""
        return self.scene.points

    @property
    def uses_points(self) -> bool:
        """Whether the samples on show are the scene's own points (else samples of its mixture)."""
        return self.scene.points is not None and self.scene.points.active

    @property
    def density(self):
        """The data density the panes draw and measure against: a KDE of the points in use, else the
        mixture's (anything with `pdf` and `peak_density`)."""
        if not self.uses_points or len(self.samples) < 2:
            return self.mixture
        if self._kde is None or self._kde[0] is not self.samples:
            self._kde = (self.samples, points.points_density(self.samples, self.mixture))
        return self._kde[1]

    def use_points(self, on: bool) -> None:
        """Show (and fit) the scene's own points, or samples drawn from its editable mixture."""
        if self.points is None or on == self.uses_points:
            return
        self._push_undo()
        self.scene = self.scene.with_(points=self.points.with_(active=on))
        self.scene_id = None
        self.samples = self.draw(self.scene)
        self.dataChanged.emit(True)

    def set_points(self, values: np.ndarray, finished: bool) -> None:
        """The points a brush or an eraser left (call begin_edit when the stroke starts, for Undo); the
        mixture is fitted to them anew when the stroke is finished."""
        self.scene = data_scene.repainted(self.scene, values, refit=finished)
        self.scene_id = None
        self.samples = self.draw(self.scene)
        self.dataChanged.emit(finished)

    # -- whole scenes --------------------------------------------------------------------
    def load_scene(self, scene: Scene, scene_id: str | None = None) -> None:
        self._push_undo()
        self.scene_id = scene_id
        self._set_scene(scene)
        self.sceneReplaced.emit()

    def load_bundled(self, scene_id: str, loss: str | None = None) -> Scene:
        """A bundled scene, fresh, with `loss` (default: the loss now chosen)."""
        scene = bundled_scene(scene_id).with_(loss=loss or self.settings.loss)
        self.load_scene(scene, scene_id)
        return scene

    def load_session(self, session: Session) -> None:
        """A whole saved state: the scene as it was edited, the fit's settings and the speed."""
        self._push_undo()
        self.scene_id = None
        self._set_scene(session.scene, session.settings)
        self.sceneReplaced.emit()
        self.settingsChanged.emit()
        self.set_speed(session.speed)  # announces itself if the speed changed

    def _set_scene(self, scene: Scene, settings: FitSettings | None = None) -> None:
        self.scene = scene
        self.samples = self.draw(scene)
        self.settings = settings or FitSettings(loss=scene.loss, seed=scene.seed)

    # -- components ---------------------------------------------------------------------
    def begin_edit(self) -> None:
        """Called when a drag starts: the scene before it is what Undo returns to."""
        self._push_undo()

    def move_component(self, index: int, *, mean=None, std=None, cov=None, peak_share=None,
                       finished: bool = False) -> None:
        """Change one component while it is dragged. `peak_share` is the normalised weight wanted."""
        comps = list(self.mixture.components)
        comp = comps[index]
        if mean is not None:
            comp = comp.moved(mean=np.asarray(mean, dtype=float))
        if std is not None:
            std = max(float(std), MIN_STD)
            comp = comp.moved(cov=np.array([[std * std]]))
        if cov is not None:
            cov = np.asarray(cov, dtype=float)
            try:
                check_covariance(cov, "cov")
            except SceneError:
                return  # a degenerate shape mid-drag: keep the last good one
            comp = comp.moved(cov=cov)
        if peak_share is not None and len(comps) > 1:
            share = float(np.clip(peak_share, MIN_WEIGHT, 1 - MIN_WEIGHT))
            others = sum(c.weight for j, c in enumerate(comps) if j != index)
            comp = comp.moved(weight=share / (1 - share) * others)
        comps[index] = comp
        self._set_mixture(Mixture(tuple(comps)), finished)

    def add_component(self, mean, label: str = "") -> None:
        self._push_undo()
        mean = np.atleast_1d(np.asarray(mean, dtype=float))
        stds = np.array([c.std.mean() for c in self.mixture.components])
        std = float(np.median(stds))
        weight = float(np.mean([c.weight for c in self.mixture.components]))
        comp = Component(weight, mean, np.eye(self.dim) * std * std, label or f"mode {len(self.mixture.components) + 1}")
        self._set_mixture(self.mixture.added(comp), True)

    def remove_component(self, index: int) -> bool:
        """Remove a component; the last one stays (a scene needs one). Returns whether it went."""
        if len(self.mixture.components) <= 1:
            return False
        self._push_undo()
        self._set_mixture(self.mixture.removed(index), True)
        return True

    def set_mixture(self, mixture: Mixture, finished: bool) -> None:
        """A whole new mixture of the same dimension (a drag that moves many components at once, such as one
        property's kind in a product of properties); call begin_edit when the drag starts, for Undo."""
        self._set_mixture(mixture, finished)

    def _set_mixture(self, mixture: Mixture, finished: bool) -> None:
        points = self.scene.points
        if points is not None and points.active:  # the handles edit the mixture: its samples are the data now
            points = points.with_(active=False)
        self.scene = self.scene.with_(mixture=mixture, points=points)
        self.scene_id = None  # edited: no longer the bundled scene
        self.samples = self.draw(self.scene)
        self.dataChanged.emit(finished)

    # -- sampling -------------------------------------------------------------------------
    def set_sample_count(self, n: int) -> None:
        if n != self.scene.samples:
            self.scene = self.scene.with_(samples=int(n))
            self.scene_id = None
            self.samples = self.draw(self.scene)
            self.dataChanged.emit(True)

    def set_seed(self, seed: int) -> None:
        if seed != self.scene.seed:
            self.scene = self.scene.with_(seed=int(seed))
            self.scene_id = None
            self.samples = self.draw(self.scene)
            self.settings = replace(self.settings, seed=int(seed))
            self.dataChanged.emit(True)
            self.settingsChanged.emit()

    # -- fit settings ------------------------------------------------------------------------
    def set_loss(self, loss_id: str) -> None:
        if loss_id != self.settings.loss:
            self.settings = replace(self.settings, loss=loss_id, lr=None)
            self.scene = self.scene.with_(loss=loss_id)
            self.settingsChanged.emit()
            self.speedChanged.emit()

    def set_learning_rate(self, lr: float) -> None:
        if lr != loss_info(self.settings.loss).learning_rate(self.settings):
            self.settings = replace(self.settings, lr=float(lr))
            self.settingsChanged.emit()

    def set_speed(self, speed: float) -> None:
        """The speed closest to a multiple of the pace (math.inf: as fast as it goes)."""
        finite = [s for s in SPEEDS if np.isfinite(s)]
        if np.isinf(speed):
            self.set_speed_index(len(SPEEDS) - 1)
        else:
            self.set_speed_index(int(np.argmin([abs(np.log(s / speed)) for s in finite])))

    def set_speed_index(self, index: int) -> None:
        index = int(np.clip(index, 0, len(SPEEDS) - 1))
        if index != self.speed_index:
            self.speed_index = index
            self.speedChanged.emit()

    # -- display -------------------------------------------------------------------------
    @property
    def type_scale(self) -> float:
        """The type's size against the desk's: 1 at the desk, larger in talk mode."""
        return self._talk_scale if self.talk else 1.0

    @property
    def line_scale(self) -> float:
        """Line widths and markers against the desk's."""
        return palette.talk_lines(self._talk_scale) if self.talk else 1.0

    def set_talk(self, on: bool, scale: float | None = None) -> None:
        """Talk mode (large type and thick lines for the back of a room) on or off, at `scale`."""
        changed = on != self.talk or (on and scale is not None and scale != self._talk_scale)
        self.talk = on
        if scale is not None:
            self._talk_scale = scale
        if changed:
            self.talkChanged.emit(on)

    def set_why(self, why: WhyView) -> None:
        """What the why is drawn with (the landscape, the tug of war, the decoding dial)."""
        if why != self.why:
            self.why = why
            self.whyChanged.emit()

    # -- undo ------------------------------------------------------------------------------
    def _push_undo(self) -> None:
        self._undo.append((self.scene, self.scene_id))
        del self._undo[:-UNDO_DEPTH]
        self.undoAvailable.emit(True)

    def undo(self) -> bool:
        if not self._undo:
            return False
        scene, scene_id = self._undo.pop()
        # the same kind of scene: the panes follow as after a drag; another: they are built anew
        same_kind = scene.dim == self.scene.dim and _axes(scene) == _axes(self.scene)
        self.scene = scene.with_(loss=self.settings.loss)
        self.scene_id = scene_id  # back on a bundled scene as it was loaded: the scene selector shows it again
        self.samples = self.draw(self.scene)
        if same_kind:
            self.dataChanged.emit(True)
        else:
            self.sceneReplaced.emit()
        self.undoAvailable.emit(bool(self._undo))
        return True


def _axes(scene: Scene) -> tuple[str, ...] | None:
    """The names of a scene's axes if its own points name them (what the panes are built with)."""
    return None if scene.points is None else scene.points.axes
