"""BlurLab's entry point: parse the command line and hand over to the app or a headless command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

COMMANDS = ("fit", "losses", "scenes")


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
