"""Fakes for the controllers' tests: a fit process that records what it is sent and says what a test
tells it to, with no child process; a runner; and stand-ins for the views a controller talks to."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from engine.fit.protocol import Frame
from engine.model.estimate import PointEstimate, Snapshot
from engine.model.losses import LOSS_IDS


class FakeFitProcess(QObject):
    """FitProcess's signals and methods, recording the commands; `say` plays an event."""

    event = Signal(object)
    problem = Signal(str)
    ended = Signal()
    launched = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.starts: list = []
        self.sent: list = []
        self.started = False
        self.shut = False

    def start(self, start) -> None:
        self.starts.append(start)
        self.started = True
        self.launched.emit()

    def send(self, command) -> None:
        self.sent.append(command)

    def shutdown(self) -> None:
        self.started, self.shut = False, True

    def die(self) -> None:
        self.started = False
        self.ended.emit()

    def say(self, event) -> None:
        self.event.emit(event)

    def sent_of(self, kind: type) -> list:
        return [c for c in self.sent if isinstance(c, kind)]


def frame(step: int, mean: float = 0.0, diverged: bool = False, message: str = "", dim: int = 1) -> Frame:
    snap = Snapshot(step=step, loss_id="l2", loss=1.0, estimate=PointEstimate([mean] * dim),
                    trail=[[mean] * dim], losses=[1.0], data_version=0, diverged=diverged, message=message)
    return Frame("fit", snap)


class FakeFit(QObject):
    """A runner (gui.controllers.runner) that records what it is asked: what the tour, the sessions and
    a stage's keys ask of the fit controller."""

    runningChanged = Signal(bool)
    snapshotChanged = Signal(object)
    status = Signal(str, int)

    def __init__(self, loss_ids: tuple[str, ...] = LOSS_IDS) -> None:
        super().__init__()
        self.loss_ids = loss_ids
        self.loss = loss_ids[0]
        self.running = False
        self.resets = 0
        self.latest = None
        self.calls: list = []

    def set_running(self, running: bool) -> None:
        self.running = running
        self.calls.append(("run", running))
        self.runningChanged.emit(running)

    def toggle_running(self) -> None:
        self.set_running(not self.running)

    def step_once(self) -> None:
        if self.running:
            self.set_running(False)
        self.calls.append(("step",))

    def reset(self) -> None:
        self.resets += 1
        self.calls.append(("reset",))

    def set_loss(self, loss_id: str) -> None:
        self.loss = loss_id
        self.calls.append(("loss", loss_id))

    def set_speed(self, index: int) -> None:
        self.calls.append(("speed", index))


class FakeView:
    """The distribution pane's view range, as the session controller reads and sets it."""

    def __init__(self) -> None:
        self.range = ([-5.0, 5.0], [0.0, 0.3])

    def viewRange(self):  # noqa: N802  (pyqtgraph's name)
        return self.range

    def setRange(self, xRange, yRange, padding=0):  # noqa: N802, N803
        self.range = (list(xRange), list(yRange))


class FakeCanvas:
    """What the painting controller asks of the distribution pane: its viewport (for the mouse), the view
    range (the brush's size) and the data point under a pixel."""

    def __init__(self, x_range=(-5.0, 5.0), y_range=(0.0, 0.4)) -> None:
        from PySide6.QtWidgets import QWidget

        self._viewport = QWidget()
        self.range = (list(x_range), list(y_range))

    def viewport(self):
        return self._viewport

    def viewRange(self):  # noqa: N802  (pyqtgraph's name)
        return self.range

    def widget_to_data(self, pos):
        return pos.x(), pos.y()
