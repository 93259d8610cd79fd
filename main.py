"""BlurLab's entry point: parse the command line and hand over to the app or a headless command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

COMMANDS = ("fit", "export", "losses", "scenes")


def _loss_ids() -> tuple[str, ...]:
    from engine.catalogue import LOSS_IDS

    return LOSS_IDS


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="blurlab",
        description="BlurLab: see why an L2 loss gives blurry images. "
        f"Headless commands: {', '.join(COMMANDS)} (try 'blurlab fit --help').",
    )
    p.add_argument("--scene", metavar="NAME|PATH", help="a bundled scene (see 'scenes') or a scene file")
    p.add_argument("--loss", choices=_loss_ids(), help="the loss to start with (see 'losses')")
    p.add_argument("--present", action="store_true", help="start in talk mode")
    return p


def _command_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="blurlab")
    sub = p.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit", help="run a fit headless and write the JSON result")
    fit.add_argument("--scene", metavar="NAME|PATH", default=None, help="a bundled scene or a scene file")
    fit.add_argument("--loss", choices=_loss_ids(), default=None, help="default: the scene's loss")
    fit.add_argument("--steps", type=int, default=2000, help="optimiser steps (default 2000)")
    fit.add_argument("--seed", type=int, default=None, help="default: the scene's seed")
    fit.add_argument("--lr", type=float, default=None, help="learning rate (default: the loss's own)")
    fit.add_argument("--json", metavar="FILE", type=Path, help="write the result here instead of to stdout")
    fit.add_argument("--images", metavar="DIR", type=Path,
                     help="also write the image pane's pictures (PNG) and their figures (figures.json) here")
    exp = sub.add_parser("export", help="render the window or an animation of the fit, headless")
    exp.add_argument("--scene", metavar="NAME|PATH", default=None,
                     help="a bundled scene, a scene file or a session file (with its settings, speed and view)")
    exp.add_argument("--loss", choices=_loss_ids(), default=None, help="default: the scene's loss")
    exp.add_argument("--steps", type=int, default=300, help="optimiser steps (default 300)")
    exp.add_argument("--seed", type=int, default=None, help="default: the scene's seed")
    exp.add_argument("--speed", type=float, default=None,
                     help="multiple of the loss's pace at which the animation plays (default: 1, or the session's)")
    exp.add_argument("--fps", type=int, default=25, help="frames per second of an animation (GIF: 10, 20, 25 or 50)")
    exp.add_argument("--view", choices=("window", "distribution", "images"), default="window",
                     help="what to draw: the whole window or one pane")
    exp.add_argument("--size", default="1600x900", metavar="WxH", help="window size in pixels (default 1600x900)")
    exp.add_argument("--talk", action="store_true", help="draw in talk mode's large type and thick lines")
    exp.add_argument("--out", required=True, type=Path, metavar="FILE.png|.gif|.mp4", help="where to write")
    exp.add_argument("--progress", choices=("bar", "lines", "none"), default="bar", help=argparse.SUPPRESS)
    sub.add_parser("losses", help="list the loss catalogue")
    sub.add_parser("scenes", help="list the bundled scenes")
    return p


def _fail(message: str) -> int:
    print(f"blurlab: error: {message}", file=sys.stderr)
    return 2


def _run_command(args: argparse.Namespace) -> int:
    from engine import headless
    from engine.scene import SceneError, resolve_scene

    if args.command == "losses":
        print(headless.loss_table())
        return 0
    if args.command == "scenes":
        print(headless.scene_table())
        return 0
    if args.command == "export":
        return _export(args)
    from engine.fit import FitSettings

    if args.steps < 0:
        return _fail("--steps: must be 0 or more")
    try:
        scene = resolve_scene(args.scene)
        seed = scene.seed if args.seed is None else args.seed
        scene = scene.with_(seed=seed)
        settings = FitSettings(loss=args.loss or scene.loss, lr=args.lr, seed=seed)
    except (SceneError, ValueError) as exc:
        return _fail(str(exc))
    try:
        report = headless.fit_report(scene, settings, args.steps, images=args.images)
    except OSError as exc:
        return _fail(f"--images: cannot write to {args.images}: {exc.strerror}")
    text = json.dumps(report, indent=1)
    if args.json:
        try:
            args.json.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            return _fail(f"--json: cannot write {args.json}: {exc.strerror}")
        print(headless.summary(report), file=sys.stderr)
    else:
        print(text)
    return 1 if report["diverged"] else 0


def _export(args: argparse.Namespace) -> int:
    """Render headless: Qt draws offscreen, the real window composes the picture."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from engine.media import MediaError, suffix_of
    from engine.scene import SceneError

    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
        if not (320 <= width <= 7680 and 240 <= height <= 4320):
            raise ValueError
    except ValueError:
        return _fail(f"--size: expected WIDTHxHEIGHT between 320x240 and 7680x4320, got {args.size!r}")
    if args.steps < 0:
        return _fail("--steps: must be 0 or more")
    try:
        suffix_of(args.out)
    except MediaError as exc:
        return _fail(f"--out: {exc}")
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.export import export
    from gui.main_window import MainWindow
    from engine.session import resolve_session, session_from_scene
    from engine.scene import DEFAULT_SCENE, bundled_scene_ids

    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    try:
        session = resolve_session(args.scene)
        scene = session.scene.with_(loss=args.loss or session.scene.loss,
                                    seed=session.scene.seed if args.seed is None else args.seed)
        settings = session.settings if scene.loss == session.settings.loss else None
        session = session_from_scene(scene, settings, session.speed if args.speed is None else args.speed,
                                     session.view)
    except (SceneError, ValueError) as exc:
        return _fail(str(exc))
    scene_id = (args.scene or DEFAULT_SCENE).strip().lower()
    window = MainWindow(session.scene, scene_id=scene_id if scene_id in bundled_scene_ids() else None,
                        start_fit=False)
    window.state.load_session(session)
    window.resize(width, height)
    if args.talk:
        window.set_talk_mode(True, full_screen=False)
    window.show()
    progress, bar = None, None
    if args.progress == "bar":
        from tqdm import tqdm

        bar = tqdm(total=1, unit="frame", desc=f"blurlab: {args.out.name}", file=sys.stderr, leave=True)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)
    elif args.progress == "lines":
        def progress(done: int, total: int) -> None:
            print(f"frame {done} {total}", flush=True)
    try:
        frames = export(window, args.out, args.steps, args.fps, args.view, progress)
    except MediaError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"--out: cannot write {args.out}: {exc.strerror or exc}")
    finally:
        if bar is not None:
            bar.close()
        window.close()
    print(f"blurlab: wrote {args.out} ({frames} frame{'s' if frames != 1 else ''})", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    from engine.threads import limit_native_threads

    limit_native_threads()  # before numpy loads
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return _run_command(_command_parser().parse_args(argv))
    args = _app_parser().parse_args(argv)
    from gui.app import run_app  # Qt is imported only for the window

    return run_app(scene=args.scene, loss=args.loss, present=args.present)


if __name__ == "__main__":
    sys.exit(main())
