"""Start the app: the Qt application, pyqtgraph's options and the main window."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from engine.model.scene import Scene
# BlurLab's own modules are imported in make_window, while the cycle collector waits (see there).

PIXMAP_CACHE_KB = 2048


def make_window(scene: str | Scene | None = None, loss: str | None = None, start_fit: bool = True, **options):
    """The main window on a scene (bundled id, name or path, or a Scene) and loss. Raises SceneError for a
    bad scene. `options` go to MainWindow (a fake fit process, for tests)."""
    # The cycle collector waits while the window's modules are imported and its widgets made: it would run
    # many times on the way to the first paint and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _make_window(scene, loss, start_fit, **options)
    finally:
        if collecting:
            gc.enable()


def _make_window(scene: str | Scene | None, loss: str | None, start_fit: bool, **options):
    from engine.model.losses import LOSS_IDS
    from engine.model.scene import DEFAULT_SCENE, Scene, SceneError, bundled_scene_ids, resolve_scene
    from gui.main_window import MainWindow
    from gui.support.palette import configure_pyqtgraph

    configure_pyqtgraph()
    # Qt keeps drawn pixmaps (the style's, the still plot items') in one cache, which a long talk fills
    # slowly; a small one bounds the window's memory (benchmarks/soak.py).
    QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
    if isinstance(scene, Scene):
        loaded, scene_id = scene.with_(loss=loss or scene.loss), None
    else:
        loaded = resolve_scene(scene)
        if loss:
            if loss not in LOSS_IDS:
                raise SceneError(f"loss: unknown loss {loss!r}; choose one of {', '.join(LOSS_IDS)}")
            loaded = loaded.with_(loss=loss)
        key = (scene or DEFAULT_SCENE).strip().lower()
        scene_id = key if key in bundled_scene_ids() else None
    if loaded.dim <= 2:
        return MainWindow(loaded, scene_id=scene_id, start_fit=start_fit, **options)
    # More than two dimensions: the many-properties stage shows it; the data-space stage has the default scene.
    from engine.model.properties import scene_properties

    try:
        scene_properties(loaded)
    except SceneError as exc:
        raise SceneError(f"dim: a scene of {loaded.dim} dimensions is shown as two-kind properties, and this one "
                         f"is not ({exc})") from None
    window = MainWindow(resolve_scene(None), scene_id=DEFAULT_SCENE, start_fit=False, **options)
    window.open_properties(loaded)
    if start_fit:
        window.current_stage.start_fit()
    return window


def run_app(scene: str | None = None, loss: str | None = None, present: bool = False, data: str | None = None,
            columns: str | None = None) -> int:
    """The app; 2 (with a line on stderr naming the line and column) for a bad --data file, 1 when Qt cannot
    open a window here."""
    from engine.model.scene import SceneError

    if data is not None or columns is not None:
        from engine.model.data_scene import command_line_scene

        try:
            scene = command_line_scene(data, columns, scene)
        except SceneError as exc:
            print(f"blurlab: error: {exc}", file=sys.stderr)
            return 2
    from gui.support.platform import xcb_problem

    problem = None if QApplication.instance() else xcb_problem()
    if problem:  # Qt itself would abort with a message that names no library
        print(f"blurlab: error: {problem}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    from gui.support.icon import set_up_application

    set_up_application(app)  # its name, the desktop file a task bar groups it by, and its icon
    try:
        window = make_window(scene, loss)
    except SceneError as exc:
        # A bad --scene still opens the app, on the default scene, after saying what was wrong.
        QMessageBox.warning(None, "BlurLab: the scene could not be opened", str(exc))
        window = make_window(None, loss)
    from gui.controllers import remembered

    remembered.restore(window)  # where the user left it, at the pace they chose
    app.aboutToQuit.connect(window.data_space.fit.close)  # however the app ends, the fit process ends first
    if window.fills_the_screen():
        window.showMaximized()  # the window manager fits its frame (title bar, borders) on the screen too
    else:
        window.show()
    if present:
        window.talk_mode.set_talk_mode(True)
    return app.exec()
