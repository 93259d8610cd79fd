"""BlurLab's entry point: parse the command line and hand over to the app or a headless command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMANDS = ("fit", "train", "export", "losses", "scenes", "install-desktop")


def _loss_ids() -> tuple[str, ...]:
    from engine.model.losses import LOSS_IDS

    return LOSS_IDS


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="blurlab",
        description="BlurLab: see why an L2 loss gives blurry images. "
        f"Headless commands: {', '.join(COMMANDS)} (try 'blurlab fit --help').",
    )
    p.add_argument("--scene", metavar="NAME|PATH", help="a bundled scene (see 'scenes') or a scene file")
    _data_arguments(p)
    p.add_argument("--loss", choices=_loss_ids(), help="the loss to start with (see 'losses')")
    p.add_argument("--present", action="store_true", help="start in talk mode")
    return p


def _data_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="FILE", type=Path,
                   help="your own points instead of a scene: a CSV or TSV file (header optional) or a .npy file")
    p.add_argument("--columns", metavar="A,B", help="which one or two columns of --data, by name or number (from 1)")


def _command_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="blurlab")
    sub = p.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit", help="run a fit headless and write the JSON result")
    fit.add_argument("--scene", metavar="NAME|PATH", default=None, help="a bundled scene or a scene file")
    _data_arguments(fit)
    fit.add_argument("--loss", choices=_loss_ids(), default=None, help="default: the scene's loss")
    fit.add_argument("--steps", type=int, default=2000, help="optimiser steps (default 2000)")
    fit.add_argument("--seed", type=int, default=None, help="default: the scene's seed")
    fit.add_argument("--lr", type=float, default=None, help="learning rate (default: the loss's own)")
    fit.add_argument("--json", metavar="FILE", type=Path, help="write the result here instead of to stdout")
    fit.add_argument("--images", metavar="DIR", type=Path,
                     help="also write the image pane's pictures (PNG) and their figures (figures.json) here")
    fit.add_argument("--temperature", metavar="T", type=float, default=None,
                     help="also report the annealed mean at T (the mean of p^(1/T); losses that give a distribution)")
    train = sub.add_parser("train", help="train a network on real digits headless and write the JSON result")
    train.add_argument("--task", required=True, metavar="digit_from_label|bottom_half",
                       help="draw a digit from its label, or fill in the bottom half of a held-out digit")
    train.add_argument("--loss", required=True, metavar="ID",
                       help="l2, l1, min_of_k, adversarial or l2_adversarial")
    train.add_argument("--steps", type=int, default=None,
                       help="optimiser steps (default: the count at which that loss's pictures are ready)")
    train.add_argument("--seed", type=int, default=0, help="default 0")
    train.add_argument("--device", default="cpu", metavar="cpu|cuda|mps|auto", help="where to train (default cpu)")
    train.add_argument("--adversarial-weight", type=float, default=None, metavar="W",
                       help="l2_adversarial: the adversarial term's share, 0 to 1 (default: the loss's own)")
    train.add_argument("--json", metavar="FILE", type=Path, help="write the result here instead of to stdout")
    train.add_argument("--images", metavar="DIR", type=Path,
                       help="also write the pictures here (outputs, optimum, examples; targets for bottom_half)")
    exp = sub.add_parser("export", help="render the window or an animation of the fit, headless")
    exp.add_argument("--scene", metavar="NAME|PATH", default=None,
                     help="a bundled scene, a scene file or a session file (with its settings, speed and view)")
    _data_arguments(exp)
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
    desktop = sub.add_parser("install-desktop", help="add BlurLab to your application menu (a launcher entry "
                             "and its icon under ~/.local/share)")
    desktop.add_argument("--uninstall", action="store_true", help="remove them again")
    return p


def _run_command(args: argparse.Namespace) -> int:
    if args.command == "losses":
        from engine.commands.tables import loss_table

        print(loss_table())
        return 0
    if args.command == "scenes":
        from engine.commands.tables import scene_table

        print(scene_table())
        return 0
    if args.command == "install-desktop":
        from gui.support.launcher import install_command  # files only: no Qt

        return install_command(Path(__file__).resolve(), remove=args.uninstall)
    if args.command == "export":
        from gui.export_command import export_command  # Qt, offscreen: the window draws the pictures

        return export_command(scene=args.scene, loss=args.loss, steps=args.steps, seed=args.seed, speed=args.speed,
                              fps=args.fps, view=args.view, size=args.size, talk=args.talk, out=args.out,
                              progress=args.progress, data=args.data, columns=args.columns)
    if args.command == "train":
        from engine.commands.train_report import train_command

        return train_command(task=args.task, loss=args.loss, steps=args.steps, seed=args.seed, device=args.device,
                             json_path=args.json, images=args.images, adversarial_weight=args.adversarial_weight)
    from engine.commands.fit_report import fit_command

    return fit_command(scene=args.scene, loss=args.loss, steps=args.steps, seed=args.seed, lr=args.lr,
                       json_path=args.json, images=args.images, data=args.data, columns=args.columns,
                       temperature=args.temperature)


def main(argv: list[str] | None = None) -> int:
    from engine.maths.threads import limit_native_threads

    limit_native_threads()  # before numpy loads
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return _run_command(_command_parser().parse_args(argv))
    args = _app_parser().parse_args(argv)
    from gui.app import run_app  # Qt is imported only for the window

    return run_app(scene=args.scene, loss=args.loss, present=args.present, data=args.data, columns=args.columns)


if __name__ == "__main__":
    sys.exit(main())
