"""Screenshots of the real window at the projector sizes, desk and talk mode, under Xvfb with a window
manager (openbox), as a user sees it. Needs the system packages xvfb, openbox, xdotool, imagemagick.

    python docs/screens/take_screens.py [--sizes 1024x768,1280x720] [--out docs/screens]

Each shot: the app opened on the default scene (talk mode with --present), the fit run for a few
seconds with Space, then the whole screen grabbed with ImageMagick's `import`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = ("1024x768", "1280x720", "1280x800", "1920x1080", "3840x2160")
DISPLAY = ":41"


def _wait_for_window(env: dict, seconds: float = 30.0) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = subprocess.run(["xdotool", "search", "--name", "BlurLab"], env=env, capture_output=True, text=True)
        if found.stdout.strip():
            return
        time.sleep(0.3)
    raise RuntimeError("the BlurLab window did not appear")


def shoot(size: str, talk: bool, out: Path, extra: list[str], scale: str | None = None) -> Path:
    env = {**os.environ, "DISPLAY": DISPLAY, "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="blurlab-shots-")}
    env.pop("QT_QPA_PLATFORM", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    wm = subprocess.Popen(["openbox"], env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *(["--present"] if talk else []), *extra],
                           env=env, cwd=ROOT)
    try:
        _wait_for_window(env)
        time.sleep(4.0)
        subprocess.run(["xdotool", "key", "space"], env=env)
        time.sleep(5.0)
        name = out / f"{size}{'-x' + scale if scale else ''}-{'talk' if talk else 'desk'}.png"
        subprocess.run(["import", "-window", "root", str(name)], env=env, check=True)
        return name
    finally:
        app.terminate()
        app.wait(20)
        wm.terminate()
        xvfb.terminate()
        xvfb.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--modes", default="desk,talk")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--scale", default=None, help="QT_SCALE_FACTOR, e.g. 2 for a device pixel ratio of 2")
    parser.add_argument("app_args", nargs="*", help="more arguments for main.py, e.g. --scene style_and_colour")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        for mode in args.modes.split(","):
            print(shoot(size, mode == "talk", args.out, args.app_args, args.scale), flush=True)


if __name__ == "__main__":
    main()
