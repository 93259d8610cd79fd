"""The space of real digits: for the input on show, its real examples as points in a plane of their pixels,
the ways of writing each shown by its most typical real digit, L2's exact answer at the centre of mass, and
the network's outputs on top (L2's or L1's marker with its trail, min-of-K's guesses, the GAN's samples).
Hovering or clicking a point shows its digit.

A view only: the real-digits stage hands it the space (engine.digits.space) and the marks of each frame
(engine.digits.marks); every item is made once and updated with setData.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Slot
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from engine.digits.marks import Marks
from engine.digits.space import MAX_MODES, DigitSpace
from engine.digits.tasks import Task
from gui.panes.digit_pictures import colour, rgb_uint8
from gui.panes.tiles import to_pixmap
from gui.support import palette
from gui.support.plots import PlainPlotItem, cache_while_still

HOVER_PIXELS = 10  # a point within this many screen pixels of the pointer is the one hovered
CENTRE_LABEL_ANCHORS = ((0.5, -0.25), (0.5, 1.25), (-0.1, 0.5), (1.1, 0.5))  # under, over, right, left
MODE_SIZE = {2: 0.30, 3: 0.25, 4: 0.22}
MODE_SLOTS = ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1))  # corners and sides' middles  # a way of writing's digit, as a share of the plane's height, by ways
INSET_SCALE = 3.0  # the hovered digit, this many times its 28 pixels
SENTENCE = ("Each dot is a real handwritten {what}, placed by a linear map of its pixels. Because the map is "
            "linear, L2's exact answer (the pixel average) lands exactly on the centre of mass of the dots.")


class DigitSpacePane(QWidget):
    """The plane of one input's real digits, with the network's marks on it."""

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.space: DigitSpace | None = None
        self.task: Task | None = None
        self.index = 0
        self.hovered: int | None = None  # the example whose digit the inset shows

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setObjectName("paneTitle")
        self.title.setWordWrap(True)
        self.plot = pg.PlotWidget(background=palette.BACKGROUND, plotItem=PlainPlotItem())
        self.plot.setMinimumSize(160, 160)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        item = self.plot.getPlotItem()
        for axis in ("left", "bottom"):
            item.getAxis(axis).hide()  # the plane's directions have no units worth reading
        self.view = item.vb
        self.view.setMouseEnabled(x=False, y=False)
        self.view.setAspectLocked(True)  # distances in the plane are distances in pixel space
        self.view.disableAutoRange()
        self.sentence = QLabel()
        self.sentence.setObjectName("explanation")
        self.sentence.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.sentence)

        self.examples = pg.ScatterPlotItem(pen=None, brush=palette.qcolor(palette.DATA, 150), size=7)
        self.mode_images = [pg.ImageItem(levels=(0, 255), autoLevels=False) for _ in range(MAX_MODES)]
        self.modes = pg.ScatterPlotItem(symbol="s", brush=None, pen=pg.mkPen(palette.MODE, width=2), size=14)
        self.mode_labels = [pg.TextItem(color=palette.MODE, anchor=(0.5, 0.0)) for _ in range(MAX_MODES)]
        self.centre = pg.ScatterPlotItem(symbol="+", brush=palette.MEAN, pen=pg.mkPen(palette.MEAN, width=3), size=26)
        backing = pg.mkBrush(palette.qcolor(palette.BACKGROUND, 190))  # words stay legible over the dots and trail
        self.centre_label = pg.TextItem("L2's exact answer:\nthe centre of mass", color=palette.MEAN,
                                        anchor=CENTRE_LABEL_ANCHORS[0], fill=backing)
        self.trail = pg.PlotDataItem(pen=pg.mkPen(palette.ESTIMATE, width=2))
        self.marks = pg.ScatterPlotItem(symbol="o", brush=palette.ESTIMATE, pen=pg.mkPen("w", width=1.5), size=16)
        self.marks_label = pg.TextItem(color=palette.ESTIMATE, anchor=(-0.15, 1.1), fill=backing)
        self.hover_ring = pg.ScatterPlotItem(symbol="o", brush=None, pen=pg.mkPen("w", width=2), size=14)
        for z, it in enumerate((self.examples, *self.mode_images, self.modes, *self.mode_labels, self.trail,
                                self.marks, self.marks_label, self.centre, self.centre_label, self.hover_ring)):
            it.setZValue(z)
            item.addItem(it)
        # Still while the network trains: drawn from cached pixmaps, so a frame repaints only the marks.
        cache_while_still(self.examples, *self.mode_images, self.modes, *self.mode_labels, self.centre,
                          self.centre_label)
        self.inset = QLabel(self.plot)  # the hovered or clicked digit, beside the pointer
        self.inset.setObjectName("digitInset")
        self.inset.setStyleSheet(f"border: 2px solid {palette.TEXT}; background: {palette.BACKGROUND};")
        self.inset.hide()
        self.plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        state.talkChanged.connect(self._on_state_talk_changed)
        self._on_state_talk_changed(state.talk)

    # -- what the stage hands over ----------------------------------------------------------------------
    def set_space(self, task: Task, index: int, space: DigitSpace) -> None:
        """The real examples of input `index` of `task`, and its ways of writing."""
        self.task, self.index, self.space = task, index, space
        what = "digit" if task.rows == 0 else "bottom half"
        if task.rows == 0:
            self.title.setText(f"Every real {task.input_ids[index]} in the training set ({len(space.points)})")
        else:
            self.title.setText(f"The bottom halves of the {len(space.points)} training digits whose tops look "
                               "like this one")
        self.sentence.setText(SENTENCE.format(what=what))
        self.examples.setData(pos=space.points)
        self.centre.setData(pos=np.zeros((1, 2)))
        self.centre_label.setPos(0.0, 0.0)
        self._fit_view()
        self.modes.setData(pos=np.array([m.medoid_point for m in space.modes]))
        for i, (image, label) in enumerate(zip(self.mode_images, self.mode_labels)):
            image.setVisible(i < len(space.modes))
            label.setVisible(i < len(space.modes))
        self._place_modes()
        self.clear_marks()
        self._hide_inset()

    def _fit_view(self) -> None:
        """The range that holds the examples (all but a few strays) and room for the ways' digits."""
        p = self.space.points
        low, high = np.percentile(p, 1, axis=0), np.percentile(p, 99, axis=0)
        span = np.maximum(high - low, 1e-3)
        low, high = low - 0.3 * span, high + 0.3 * span  # room at the edges for the ways' digits
        self.view.setRange(xRange=(low[0], high[0]), yRange=(low[1], high[1]), padding=0.02)

    def _place_modes(self) -> None:
        """Each way's most typical digit, drawn large at the plane's edge (a corner or the middle of a side,
        where it covers few of the dots), on the free place nearest the direction of its square, with its
        share under or over it; then the centre's words where they cover none of them."""
        (x0, x1), (y0, y1) = self.view.viewRange()
        middle = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        modes, task = self.space.modes, self.task
        height = MODE_SIZE.get(len(modes), 0.22) * (y1 - y0)
        label_height = 1.6 * QFontMetricsF(self.mode_labels[0].textItem.font()).height() * self._pixel_size()[1]
        taken: list[QRectF] = []
        for i, mode in enumerate(modes):
            picture = self.space.example_images(mode.medoid)
            if task.rows:
                whole = task.base[self.index].copy()
                whole[task.rows :] = picture
                picture = whole
            image = rgb_uint8(picture, task.rows)
            width = height * image.shape[1] / image.shape[0]
            room = np.array([(x1 - x0 - width) / 2, (y1 - y0 - height) / 2])
            direction = np.asarray(mode.medoid_point, float) - middle
            if not np.any(direction):
                direction = np.array([1.0, 0.0])
            direction = direction / np.linalg.norm(direction)
            places = []
            for slot in MODE_SLOTS:
                centre = middle + np.array(slot) * room
                below = centre[1] >= middle[1]  # the share under a digit in the upper half, over one in the lower
                rect = QRectF(centre[0] - width / 2, centre[1] - height / 2 - (label_height if below else 0),
                              width, height + label_height)
                free = not any(rect.intersects(other) for other in taken)
                places.append((not free, self._place_cost(rect, direction, slot), centre, below, rect))
            _, _, centre, below, rect = min(places, key=lambda place: place[:2])
            taken.append(rect)
            self.mode_images[i].setImage(np.ascontiguousarray(image.transpose(1, 0, 2)[:, ::-1]), levels=(0, 255))
            self.mode_images[i].setRect(QRectF(centre[0] - width / 2, centre[1] - height / 2, width, height))
            label = self.mode_labels[i]
            label.setText(f"way {i + 1}: {mode.share:.0%}")
            label.setAnchor((0.5, 0.0) if below else (0.5, 1.0))
            label.setPos(centre[0], centre[1] - height / 2 if below else centre[1] + height / 2)
        self._place_centre_label()

    def _place_cost(self, rect: QRectF, direction: np.ndarray, slot: tuple[int, int]) -> float:
        """How bad a place is for a way's digit: the share of the dots it covers, and how far from the
        direction of the way's square it lies (a quarter turn costs as much as covering an eighth of them)."""
        p = self.space.points
        inside = ((p[:, 0] >= rect.left()) & (p[:, 0] <= rect.right()) & (p[:, 1] >= rect.top())
                  & (p[:, 1] <= rect.bottom()))
        turn = 1.0 - float(np.dot(direction, np.array(slot) / np.linalg.norm(slot)))
        return 4.0 * inside.mean() + 0.5 * turn

    def _place_centre_label(self) -> None:
        """The centre's words under the cross, or above, right or left of it: the first place that covers
        no way's digit or label."""
        px, py = self._pixel_size()
        if not px or not py:
            return
        taken = [self._text_rect(label, px, py) for label in self.mode_labels if label.isVisible()]
        taken += [image.mapRectToView(image.boundingRect()) for image in self.mode_images if image.isVisible()]
        for anchor in CENTRE_LABEL_ANCHORS:
            self.centre_label.setAnchor(anchor)
            if not any(self._text_rect(self.centre_label, px, py).intersects(r) for r in taken):
                return
        self.centre_label.setAnchor(CENTRE_LABEL_ANCHORS[0])

    def _pixel_size(self) -> tuple[float, float]:
        """A screen pixel's width and height in the plane's units; zeros while the view is not laid out."""
        try:
            px, py = self.view.viewPixelSize()
        except Exception:  # noqa: BLE001  (pyqtgraph has no transform for a view without a size)
            return 0.0, 0.0
        return (px, py) if np.isfinite(px) and np.isfinite(py) and px > 0 and py > 0 else (0.0, 0.0)

    @staticmethod
    def _text_rect(label: pg.TextItem, px: float, py: float) -> QRectF:
        """Where a text item (drawn at its own pixel size) lies in the plane's units."""
        size = label.textItem.boundingRect()
        w, h = size.width() * px, size.height() * py
        x, y = label.pos().x(), label.pos().y()
        ax, ay = label.anchor.x(), label.anchor.y()
        return QRectF(x - ax * w, y + ay * h - h, w, h)

    def show_marks(self, marks: Marks | None, trail: np.ndarray) -> None:
        """The network's outputs now (and the first output's trail), or none."""
        if marks is None:
            self.clear_marks()
            return
        self.marks.setData(pos=marks.points)
        if marks.kind == "one" and len(trail):
            self.trail.setData(trail[:, 0], trail[:, 1])
        else:
            self.trail.setData([], [])
        words = {"one": "the network", "guesses": f"its {len(marks.points)} guesses",
                 "samples": f"{len(marks.points)} of its samples"}[marks.kind]
        if words != self.marks_label.toPlainText():
            self.marks_label.setText(words)
        self.marks_label.setPos(*marks.points[0])

    def clear_marks(self) -> None:
        self.marks.setData(pos=np.zeros((0, 2)))
        self.trail.setData([], [])
        self.marks_label.setText("")

    # -- hovering and clicking a point ------------------------------------------------------------------
    def example_at(self, scene_pos: QPointF) -> int | None:
        """The example drawn within HOVER_PIXELS of a scene position, the nearest; None if none is."""
        if self.space is None or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        at = self.view.mapSceneToView(scene_pos)
        pixel = np.asarray(self.view.viewPixelSize())
        d = np.hypot(*((self.space.points - [at.x(), at.y()]) / pixel).T)
        i = int(d.argmin())
        return i if d[i] <= HOVER_PIXELS else None

    def scene_pos_of(self, i: int) -> QPointF:
        """Where example i is drawn, in the scene (for a test's pointer)."""
        return self.view.mapViewToScene(QPointF(*self.space.points[i]))

    @Slot(object)
    def _on_scene_mouse_moved(self, scene_pos) -> None:
        i = self.example_at(scene_pos)
        if i is None:
            self._hide_inset()
        else:
            self._show_inset(i, scene_pos)

    @Slot(object)
    def _on_scene_mouse_clicked(self, event) -> None:
        i = self.example_at(event.scenePos())
        if i is not None:
            self._show_inset(i, event.scenePos())

    def _show_inset(self, i: int, scene_pos: QPointF) -> None:
        self.hovered = i
        picture = self.space.example_images(i)
        if self.task.rows:
            whole = self.task.base[self.index].copy()
            whole[self.task.rows :] = picture
            picture = whole
        rows = self.task.rows
        self.inset.setPixmap(to_pixmap(colour(picture, rows), INSET_SCALE * self.state.type_scale))
        self.inset.adjustSize()
        self.hover_ring.setData(pos=self.space.points[i : i + 1])
        at = self.plot.mapFromScene(scene_pos)
        x = at.x() + 12 if at.x() + 12 + self.inset.width() <= self.plot.width() else at.x() - 12 - self.inset.width()
        y = min(max(at.y() - self.inset.height() // 2, 0), max(self.plot.height() - self.inset.height(), 0))
        self.inset.move(max(int(x), 0), int(y))
        self.inset.show()
        self.inset.raise_()

    def _hide_inset(self) -> None:
        self.hovered = None
        self.inset.hide()
        self.hover_ring.setData(pos=np.zeros((0, 2)))

    # -- talk mode ---------------------------------------------------------------------------------------
    @Slot(bool)
    def _on_state_talk_changed(self, on: bool) -> None:
        scale = self.state.line_scale
        font = QFont()
        font.setPointSizeF(9 * self.state.type_scale)
        for text in (*self.mode_labels, self.centre_label, self.marks_label):
            text.setFont(font)
        self.examples.setSize(7 * (1.4 if on else 1.0))
        self.trail.setPen(pg.mkPen(palette.ESTIMATE, width=2 * scale))
        self.marks.setSize(16 * (1.4 if on else 1.0))
        if self.space is not None:  # the words' new size
            self._place_modes()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.space is not None:  # the ways' digits keep their share of the plane
            self._place_modes()
