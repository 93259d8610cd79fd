"""The many-properties stage: a car has K properties of two kinds each, so 2^K kinds of car, and L2's answer
mixes them all into one picture that no car looks like, at a density that falls by a constant factor with
each property. It shows the properties as small multiples (dragged as in 1-D), the chart of the density at
L2's answer against K, the kinds of car, the fit's prediction, L2's pixel answer and the strip for K = 1 … 8.

The stage keeps its own scene in its own AppState (the properties' product), so the data-space scene and
whatever the user made there stay as they were. The window's one fit process fits the scene of the stage
on show: this stage hands it its scene when shown and the data-space scene back when left.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

from engine.model.losses import LOSS_IDS, loss_info
from engine.model.properties import (CAR_PROPERTIES, DEFAULT_PROPERTIES, MAX_PROPERTIES, Property,
                                     properties_scene, scene_properties)
from engine.model.scene import Scene
from gui.controllers.fit import FitController
from gui.controllers.runner import Runner, protocol
from gui.panes.properties_chart import DensityChart, share_text
from gui.panes.properties_multiples import PropertiesModel, PropertiesPane
from gui.panes.properties_pictures import PropertiesPictures
from gui.stages.base import Stage, StageContext
from gui.state import AppState
from gui.support import palette
from gui.support.throttle import Throttle

READOUTS_S = 0.1  # the readouts change at most this often while the fit runs
SHARP_LOSSES = ("mixture_nll", "min_of_k")  # with one component or guess per kind of car, each stays a car


def send_scene(process, state: AppState, running: bool) -> None:
    """Hand the fit process `state`'s scene and settings, from step 0."""
    p = protocol()
    for command in (p.Decoder(state.scene.decoder, state.scene.span), p.Data(state.samples, state.mixture),
                    p.Settings(state.settings), p.Reset("fit"), p.Pace("fit", state.steps_per_second()),
                    p.Run("fit", running)):
        process.send(command)


class PropertiesFit(FitController):
    """The data-space fit of the properties' scene, talking to the fit process only while `active` (its
    stage on show): the process has one data-space fit, which the stage on show owns.

    Its samples go to the fit at most every `data_interval()` (a trailing send keeps the last): they are
    hundreds of kilobytes, the fit takes a while over each set, and the window would otherwise wait on the
    pipe at every move of a drag."""

    def __init__(self, state: AppState, process, parent: QObject | None = None) -> None:
        self.active = False
        super().__init__(state, process, parent)
        self._data = Throttle(self.data_interval(), self._send_data, self)

    def data_interval(self) -> float:
        """Seconds between sets of samples sent: longer with more kinds of car (at 256, half a second)."""
        return min(0.5, max(1 / 30, 0.5 * len(self.state.mixture.components) / 256))

    def activate(self, on: bool) -> None:
        if on == self.active:
            return
        if not on:
            self.pause()
        self.active = on
        if on and self.process.started:
            send_scene(self.process, self.state, self.running)

    def start(self) -> None:
        if self.active:
            super().start()

    def set_running(self, running: bool) -> None:
        if self.active:
            super().set_running(running)

    def step_once(self) -> None:
        if self.active:
            super().step_once()

    def reset(self) -> None:
        if self.active:
            super().reset()

    def _accepts(self, snap) -> bool:
        return self.active and super()._accepts(snap)

    def _on_state_data_changed(self, finished: bool) -> None:
        if self.active:
            self._data.interval = self.data_interval()
            self._data.request()

    def _send_data(self) -> None:
        if self.active:
            super()._on_state_data_changed(True)

    def flush(self) -> None:
        """Samples waiting for their turn go now."""
        self._data.flush()

    def _on_state_settings_changed(self) -> None:
        if self.active:
            super()._on_state_settings_changed()

    def _on_state_speed_changed(self) -> None:
        if self.active:
            super()._on_state_speed_changed()

    def _on_state_scene_replaced(self) -> None:
        if self.active:
            super()._on_state_scene_replaced()

    def close(self) -> None:
        self._closed = True  # the window's data-space fit ends the process itself

    def _on_process_ended(self) -> None:
        if self.active:
            super()._on_process_ended()
            send_scene(self.process, self.state, False)  # the process restarted may hold the other scene
        else:
            Runner._on_process_ended(self)


class Readouts(QWidget):
    """Text that asks the layout for room only when it needs another height (a line more or fewer), not
    at each change: a readout that changes with the fit's frames would otherwise lay the window out again
    each time. `text()` and `setText()` as a QLabel's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setObjectName("propertiesReadouts")
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802  (as QLabel's)
        self.label.setText(text)
        self._claim()

    def _claim(self) -> None:
        need = max(self.label.heightForWidth(self.width()), 0)  # -1: no text
        if need != self.minimumHeight():
            self.setMinimumHeight(need)

    def resizeEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self.label.setFixedSize(self.size())
        self._claim()


class ManyPropertiesStage(Stage):
    """The properties' state (`state`), fit (`fit`) and panes; `shared` is the window's state."""

    key_hints_separator = "  ·  "  # the list runs along the stage's foot

    def __init__(self, context: StageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.shared = context.state
        self.process = context.process
        self._kept: list[Property] = list(CAR_PROPERTIES)  # each property as last edited, dropped or not
        self._marginals: dict[Property, object] = {}  # each property's marginal, kept for the readouts
        scene = properties_scene(CAR_PROPERTIES[:DEFAULT_PROPERTIES], name="Many properties",
                                 loss=self.shared.settings.loss)
        self.model = PropertiesModel()
        self.state = AppState(scene, "many_properties", self, sampler=self.model.samples)
        self.model.state = self.state
        self.state.set_talk(self.shared.talk, self.shared.type_scale if self.shared.talk else None)
        self.fit = PropertiesFit(self.state, context.process, self)
        self.multiples = PropertiesPane(self.state, self.model)
        self.chart = DensityChart(self.state, self.model)
        self.pictures = PropertiesPictures(self.state, self.model)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_PROPERTIES)
        self.count.setValue(DEFAULT_PROPERTIES)
        self.count.setToolTip("How many properties a car has (+ and − keys): 2^K kinds of car")
        self.fewer, self.more = QPushButton("−"), QPushButton("+")
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.sharp = QLabel()
        self.sharp.setWordWrap(True)
        self.marks_key = QLabel(
            f"<span style='color:{palette.MEAN}'>╌ the samples' mean</span> &nbsp; "
            f"<span style='color:{palette.MEDIAN}'>┈ their median</span> &nbsp; "
            f"<span style='color:{palette.ESTIMATE}'>│ the fit</span> &nbsp; "
            f"<span style='color:{palette.DATA}'>● a kind: drag it</span>")
        self.marks_key.setObjectName("propertiesKey")
        self.marks_key.setWordWrap(True)
        self.readouts = Readouts()
        self._snapshot = None
        self._readouts_shown = Throttle(READOUTS_S, self._draw_readouts, self)
        self.key_hints.setWordWrap(True)
        self._lay_out()
        self._wire()
        self._update_texts()

    def _lay_out(self) -> None:
        control = QHBoxLayout()
        control.setContentsMargins(6, 2, 6, 2)
        control.addWidget(QLabel("Properties:"))
        for widget in (self.fewer, self.count, self.more):
            control.addWidget(widget)
        control.addWidget(self.sharp, 1)
        self.control = QWidget()
        self.control.setLayout(control)
        # The plots share the column's height by their stretch, whatever their own size hints say.
        for view in (self.multiples, self.chart):
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            view.setMinimumHeight(100)
        under = QHBoxLayout()
        under.setContentsMargins(0, 0, 0, 0)
        under.addWidget(self.chart, 3)
        under.addWidget(self.readouts, 2)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.control)
        left.addWidget(self.multiples, 7)
        left.addWidget(self.marks_key)
        left.addLayout(under, 3)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 11)
        columns.addWidget(self.pictures, 9)
        body = QVBoxLayout(self)
        body.setContentsMargins(4, 0, 4, 2)
        body.setSpacing(2)
        body.addWidget(self.headline)
        body.addWidget(self.caption)
        body.addLayout(columns, 1)
        body.addWidget(self.key_hints)
        self.key_hints.setVisible(self.state.talk)

    def _wire(self) -> None:
        self.fit.status.connect(self.status)
        for view in (self.multiples, self.pictures):
            self.fit.snapshotChanged.connect(view.show_snapshot)
        self.fit.snapshotChanged.connect(self._show_readouts)
        self.count.valueChanged.connect(self.set_count)
        self.fewer.clicked.connect(lambda: self.count.stepBy(-1))
        self.more.clicked.connect(lambda: self.count.stepBy(1))
        self.shared.talkChanged.connect(self._on_shared_talk_changed)
        self.state.talkChanged.connect(self._on_state_talk_changed)
        self.state.settingsChanged.connect(self._update_texts)
        self.state.sceneReplaced.connect(self._on_state_scene_replaced)

    # -- the number of properties --------------------------------------------------------------------
    @property
    def props(self) -> tuple[Property, ...]:
        return self.model.props

    @Slot(int)
    def set_count(self, k: int) -> None:
        """K properties: the first K as they were last edited (a property dropped and added back is as it was)."""
        k = int(min(max(k, 1), MAX_PROPERTIES))
        props = self.props
        if k == len(props):
            return
        self._kept[:len(props)] = props
        scene = self.state.scene
        self.state.load_scene(properties_scene(tuple(self._kept[:k]), name=scene.name, samples=scene.samples,
                                               seed=scene.seed, loss=self.state.settings.loss))

    def undo(self) -> None:
        if not self.state.undo():
            self.status.emit("Nothing to undo on this stage.", 3000)

    def fewer_properties(self) -> None:
        self.count.stepBy(-1)

    def more_properties(self) -> None:
        self.count.stepBy(1)

    def open_scene(self, scene: Scene) -> None:
        """A scene of two-kind properties (SceneError otherwise, and the stage keeps what it had)."""
        props = scene_properties(scene)
        self._kept[:len(props)] = props
        self.state.load_scene(scene.with_(decoder="cars") if scene.decoder != "cars" else scene)

    @Slot()
    def _on_state_scene_replaced(self) -> None:
        blocked = self.count.blockSignals(True)
        self.count.setValue(self.state.dim)
        self.count.blockSignals(blocked)
        self._snapshot = None
        self.readouts.setText("")
        self._update_texts()

    # -- texts ----------------------------------------------------------------------------------------
    @Slot()
    def _update_texts(self) -> None:
        k = self.state.dim
        info = loss_info(self.state.settings.loss)
        self.headline.setText(f"<b>{self.state.scene.name}</b> &nbsp;·&nbsp; {k} properties, {2 ** k} kinds of "
                              f"car &nbsp;·&nbsp; {info.title} <span style='color:{palette.MUTED}'>ends at "
                              f"{info.ends_at_in(k)}</span>")
        keys = [str(LOSS_IDS.index(loss) + 1) for loss in SHARP_LOSSES]
        self.sharp.setText(f"Sharp with {k} properties: the mixture (key {keys[0]}) and min-of-K with one guess "
                           f"per kind (key {keys[1]}) give cars; L2 (key 1) averages all {2 ** k}.")

    @Slot(object)
    def _show_readouts(self, snap) -> None:
        self._snapshot = snap
        self._readouts_shown.request()

    def _draw_readouts(self) -> None:
        snap = self._snapshot
        if snap is None or snap.estimate.dim != self.state.dim:
            return
        props = self.props
        point = snap.estimate.predictions()[0][0]
        if len(self._marginals) > 4 * len(props):  # a drag leaves one behind at each move
            self._marginals = {}
        for prop in props:
            if prop not in self._marginals:
                self._marginals[prop] = prop.marginal()
        marginals = [self._marginals[prop] for prop in props]
        # the product rule, as log_density_fraction has it, on marginals kept from frame to frame
        share = sum(m.log_density_fraction(point[i:i + 1])[0] for i, m in enumerate(marginals)) / math.log(10)
        # the product's modes are every combination of the properties' own: the nearest, axis by axis
        nearest = math.sqrt(sum(min((x - mode) ** 2 for mode in m.modes()[:, 0]) for x, m in zip(point, marginals)))
        self.readouts.setText(
            f"step {snap.step} · loss {snap.loss:.4g}<br>density at the prediction: "
            f"<b>{share_text(share)}</b><br>distance to the nearest kind of car: {nearest:.2f}"
            f"<br><span style='color:{palette.MUTED}'>{'the point' if snap.estimate.single else 'its first guess'}"
            f" measured</span>")

    # -- talk mode ------------------------------------------------------------------------------------
    @Slot(bool)
    def _on_shared_talk_changed(self, on: bool) -> None:
        self.state.set_talk(on, self.shared.type_scale if on else None)

    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        self.key_hints.setVisible(on)

    # -- the stage, to the window ---------------------------------------------------------------------
    @property
    def runner(self) -> Runner:
        return self.fit

    def start_fit(self) -> None:
        """Start the fit process on this stage's scene once its plots have painted (the window opened on it)."""
        self.fit.start_after_first_paint(self.multiples.viewport())

    def shown(self) -> None:
        self.fit.activate(True)

    def left(self) -> None:
        """Another stage is on show: the fit process gets the window's scene back."""
        self.fit.activate(False)
        if self.process.started:
            send_scene(self.process, self.shared, False)

    def show_tour_step(self, step) -> None:
        view = step.view
        if view.get("stage") != "many_properties":
            return
        if "properties" in view:
            self.count.setValue(int(view["properties"]))
        self.state.set_loss(view.get("loss", step.loss))
        self.state.set_speed(step.speed)
        # The tour has loaded its scene into the window's state, and so into the fit process: this stage's back.
        send_scene(self.process, self.state, False)
        if view.get("run", True):
            self.fit.set_running(True)

    def views(self) -> dict[str, QWidget]:
        return {"properties": self}

    def flush(self) -> None:
        self.fit.flush()
        self.multiples.flush()
        self.pictures.flush()
        self._readouts_shown.flush()

    def close_stage(self) -> None:
        self.fit.close()
