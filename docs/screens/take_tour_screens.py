"""Screenshots of every step of the tour, in talk mode, on the real window as a presenter's audience sees it.

Runs on the X display it is given (an Xvfb with a window manager; its screen size is the window's):

    Xvfb :33 -screen 0 1280x720x24 &  DISPLAY=:33 openbox &
    DISPLAY=:33 python docs/screens/take_tour_screens.py [--out docs/screens/tour] [--wait 4]

It opens `main.py --present`, presses → through every step of every chapter (as a clicker does), lets each
step run for a few seconds and grabs the screen (ImageMagick's `import`) into NN-chapter-step.png, saved as
an optimised palette PNG. Needs xdotool and imagemagick.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.model.tour import TOURS  # noqa: E402  (the repository's root first)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].rstrip("-")


def _window_id(env: dict, seconds: float = 40.0) -> str:
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = subprocess.run(["xdotool", "search", "--name", "BlurLab"], env=env, capture_output=True, text=True)
        if found.stdout.strip():
            return found.stdout.split()[-1]
        time.sleep(0.3)
    raise RuntimeError("the BlurLab window did not appear")


def save_png(source: Path, target: Path) -> None:
    """The screenshot as a 256-colour PNG: the window's flat colours lose nothing a reader sees."""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
            .save(target, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens" / "tour")
    parser.add_argument("--wait", type=float, default=4.0, help="seconds each step runs before its shot")
    parser.add_argument("--digits-wait", type=float, default=8.0, help="the same for steps on another stage")
    parser.add_argument("--only", default="", help="shoot only the steps whose file name contains this")
    parser.add_argument("--press", default="", help="a key (e.g. G) pressed after each shot for a second shot, "
                                                    "then pressed again")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("no DISPLAY: run it on an X display (an Xvfb with openbox, see the module's help)")
    args.out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="blurlab-tour-shots-")}
    env.pop("QT_QPA_PLATFORM", None)
    raw = Path(tempfile.mkdtemp(prefix="blurlab-tour-raw-")) / "shot.png"
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--present"], env=env, cwd=ROOT)
    try:
        window = _window_id(env)
        time.sleep(4.0)
        subprocess.run(["xdotool", "windowactivate", "--sync", window], env=env, capture_output=True)
        number = 0
        for chapter in TOURS:
            for step in chapter.steps:
                number += 1
                subprocess.run(["xdotool", "key", "Right"], env=env, check=True)
                name = f"{number:02d}-{chapter.id}-{slug(step.title)}.png"
                if args.only and args.only not in name:
                    time.sleep(0.5)
                    continue
                other_stage = "stage" in step.view
                time.sleep(args.digits_wait if other_stage else args.wait)
                subprocess.run(["import", "-window", "root", str(raw)], env=env, check=True)
                save_png(raw, args.out / name)
                print(args.out / name, flush=True)
                if args.press:
                    subprocess.run(["xdotool", "key", args.press], env=env, check=True)
                    time.sleep(2.0)
                    subprocess.run(["import", "-window", "root", str(raw)], env=env, check=True)
                    pressed = args.out / name.replace(".png", f"-{args.press}.png")
                    save_png(raw, pressed)
                    print(pressed, flush=True)
                    subprocess.run(["xdotool", "key", args.press], env=env, check=True)
    finally:
        app.terminate()
        app.wait(20)


if __name__ == "__main__":
    main()
