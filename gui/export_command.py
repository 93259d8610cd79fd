"""`blurlab export`: the window or a pane as a PNG after N steps, or the fit as a GIF or MP4, drawn
without a screen (Qt offscreen).

The fit is the live app's own (`FitService`, stepped frame by frame on a clock that never runs out),
drawn by the real window, so an export looks exactly like the app. It runs in its own process (the
command line, or the window's export job), never in the window's: the service brings torch.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from engine.fit.protocol import Frame, Problem, Step
from engine.io.media import AnimationWriter, MediaError, frame_steps, save_picture, suffix_of
from engine.lazy import lazy_import
from engine.model.losses import loss_info
from engine.model.scene import DEFAULT_SCENE, SceneError, bundled_scene_ids
from engine.model.session import resolve_session, session_from_scene
from gui.support.grab import widget_image
from gui.support.palette import configure_pyqtgraph

# Loaded once the arguments are checked: a bad one is reported before the window and torch load.
fit_service = lazy_import("engine.fit.service")  # torch, in the export's own process only
fit_report = lazy_import("engine.commands.fit_report")
data_scene = lazy_import("engine.model.data_scene")
main_window = lazy_import("gui.main_window")
properties = lazy_import("engine.model.properties")
tqdm = lazy_import("tqdm")

VIEWS = ("window", "distribution", "images")
FAST_SPEED = 16.0  # an animation "as fast as it goes" plays at this multiple of the pace


def steps_per_second(loss: str, speed: float) -> float:
    return loss_info(loss).steps_per_second(FAST_SPEED if math.isinf(speed) else speed)


def export(window, out: str | Path, steps: int, fps: int = 25, view: str = "window",
           progress: Callable[[int, int], None] | None = None) -> int:
    """Render `steps` optimiser steps of the window's fit to `out` (.png: the last frame; .gif/.mp4:
    every frame at the true speed). Returns the number of frames written. Raises MediaError."""
    suffix = suffix_of(out)
    if view not in VIEWS:
        raise MediaError(f"view: choose one of {', '.join(VIEWS)}, not {view!r}")
    # The stage on show draws the fit: the data-space stage, or the many-properties one for a scene of more
    # than two dimensions (its own state and fit; its views are the window's only).
    stage = window.current_stage
    if view != "window" and view not in stage.views():
        raise MediaError(f"view: a scene of {stage.state.dim} dimensions is exported as the whole window (--view window)")
    widget = window if view == "window" else stage.views()[view]
    state, fit = stage.state, stage.runner
    if suffix == ".png":
        plan = [steps]
    else:
        plan = frame_steps(steps, steps_per_second(state.settings.loss, state.speed), fps)
    service = fit_service.FitService(state.samples, state.mixture, state.settings, state.scene.decoder, clock=lambda: 0.0,
                         span=state.scene.span)
    app = QApplication.instance()
    app.processEvents()  # the pictures of the data are drawn after the first event-loop turn

    def frames():
        done = 0
        for i, target in enumerate(plan):
            if target > done:
                service.handle(Step("fit", target - done))
                done = target
            for event in service.tick():
                if isinstance(event, Problem):
                    raise MediaError(event.message)
                if isinstance(event, Frame):
                    fit.show(event.snapshot)
            window.flush()
            # A whole event-loop turn: with fewer (layout requests only), grab() showed faint traces of
            # earlier frames' curves.
            app.processEvents()
            if progress:
                progress(i + 1, len(plan))
            yield widget_image(widget)

    if suffix == ".png":
        frame = next(iter(frames()))
        save_picture(frame, out)
        return 1
    with AnimationWriter(out, fps) as writer:
        for frame in frames():
            writer.add(frame)
    return len(plan)


def export_command(scene: str | None, loss: str | None, steps: int, seed: int | None, speed: float | None, fps: int,
                   view: str, size: str, talk: bool, out: Path, progress: str, data: Path | None = None,
                   columns: str | None = None) -> int:
    """The whole `export` command: 0 written, 2 a bad scene, argument or file. `progress`: "bar" (tqdm on
    stderr), "lines" ("frame i n" on stdout, for the window's export job) or "none"."""
    fail = fit_report.fail
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        width, height = (int(v) for v in size.lower().split("x"))
        if not (320 <= width <= 7680 and 240 <= height <= 4320):
            raise ValueError
    except ValueError:
        return fail(f"--size: expected WIDTHxHEIGHT between 320x240 and 7680x4320, got {size!r}")
    if steps < 0:
        return fail("--steps: must be 0 or more")
    try:
        suffix_of(out)
    except MediaError as exc:
        return fail(f"--out: {exc}")
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    try:
        session = resolve_session(scene) if data is None and columns is None else \
            session_from_scene(data_scene.command_line_scene(data, columns, scene, seed))
        chosen = session.scene.with_(loss=loss or session.scene.loss,
                                     seed=session.scene.seed if seed is None else seed)
        settings = session.settings if chosen.loss == session.settings.loss else None
        session = session_from_scene(chosen, settings, session.speed if speed is None else speed, session.view)
    except (SceneError, ValueError) as exc:
        return fail(str(exc))
    scene_id = (scene or DEFAULT_SCENE).strip().lower()
    if session.scene.dim > 2:  # shown on the many-properties stage, the window's default scene behind it
        try:
            properties.scene_properties(session.scene)
        except SceneError as exc:
            return fail(f"dim: a scene of {session.scene.dim} dimensions is shown as two-kind properties, "
                        f"and this one is not ({exc})")
        window = main_window.MainWindow(resolve_session(None).scene, scene_id=DEFAULT_SCENE, start_fit=False)
        window.open_properties(session.scene)
        window.current_stage.state.set_speed(session.speed)
    else:
        window = main_window.MainWindow(session.scene, scene_id=scene_id if scene_id in bundled_scene_ids()
                                        and data is None else None, start_fit=False)
        window.state.load_session(session)
    window.resize(width, height)
    if talk:
        window.talk_mode.set_talk_mode(True, full_screen=False)
    window.show()
    report, bar = None, None
    if progress == "bar":
        bar = tqdm.tqdm(total=1, unit="frame", desc=f"blurlab: {out.name}", file=sys.stderr, leave=True)

        def report(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)
    elif progress == "lines":
        def report(done: int, total: int) -> None:
            print(f"frame {done} {total}", flush=True)
    try:
        frames = export(window, out, steps, fps, view, report)
    except MediaError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"--out: cannot write {out}: {exc.strerror or exc}")
    finally:
        if bar is not None:
            bar.close()
        window.close()
        app.processEvents()
    print(f"blurlab: wrote {out} ({frames} frame{'s' if frames != 1 else ''})", file=sys.stderr)
    return 0
