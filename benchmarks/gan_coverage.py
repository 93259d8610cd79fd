"""How often the adversarial fit covers every mode of a scene with unequal weights: 10 seeds at default
settings, on two unequal scenes (and with --more, two harder ones), counted by the rule the window's
readout states (engine.model.coverage). The GAN as it is (a critic packed in twos, PacGAN) against the
plain GAN (a critic of one sample), measured in the same run. Prints counts; asserts nothing.

    python benchmarks/gan_coverage.py [--seeds 10] [--steps 2000] [--more]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from engine.maths.threads import limit_native_threads  # noqa: E402

limit_native_threads()  # as the app does


def scenes(more: bool) -> dict:
    from engine.model.mixture import Component as C
    from engine.model.mixture import Mixture
    from engine.model.scene import bundled_scene

    out = {
        "unequal_weights (70/30, 1-D)": bundled_scene("unequal_weights").mixture,
        "30/70 in 2-D": Mixture((C(0.3, [-2.0, -1.0], [[0.3, 0.0], [0.0, 0.3]]),
                                 C(0.7, [2.0, 1.0], [[0.3, 0.0], [0.0, 0.3]]))),
    }
    if more:
        out["20/80, 1-D"] = Mixture((C(0.8, [-2.0], [[0.25]]), C(0.2, [2.0], [[0.25]])))
        out["15/35/50, 1-D"] = Mixture((C(0.15, [-3.5], [[0.12]]), C(0.35, [-1.5], [[0.12]]),
                                        C(0.5, [3.5], [[0.2]])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=2000, help="the fit command's default")
    parser.add_argument("--more", action="store_true", help="also a 20/80 scene and three unequal modes")
    args = parser.parse_args()

    import torch

    from engine.fit.fit import Fit, run
    from engine.fit.models import AdversarialModel
    from engine.model.coverage import coverage
    from engine.model.estimate import SamplesEstimate
    from engine.model.settings import FitSettings

    torch.set_num_threads(1)  # as the fit process does
    packed = AdversarialModel.pack
    print(f"{args.seeds} seeds, {args.steps} steps, 4,000 samples; coverage of 4,000 generated samples\n")
    print(f"{'scene':30s} {'critic':18s} {'all modes covered':>18s} {'worst share':>12s} {'seconds':>8s}")
    for name, mixture in scenes(args.more).items():
        for pack, label in ((1, "plain (1 sample)"), (packed, f"packed ({packed})")):
            AdversarialModel.pack = pack
            started = time.perf_counter()
            covered, worst = 0, []
            for seed in range(args.seeds):
                fit = Fit(mixture.sample(4000, seed), mixture, FitSettings(loss="adversarial", seed=seed))
                for _ in run(fit, steps=args.steps):
                    pass
                drawn = fit.sample_model(4000)
                found = coverage(mixture, SamplesEstimate(drawn.mean(axis=0), samples=drawn))
                covered += not found.lost
                worst.append(_smallest_share(mixture, drawn))
            seconds = time.perf_counter() - started
            print(f"{name:30s} {label:18s} {covered:>12d} of {args.seeds:<3d} {min(worst):12.2f} {seconds:8.0f}",
                  flush=True)
    AdversarialModel.pack = packed


def _smallest_share(mixture, drawn) -> float:
    """The least covered component: its share of the generated samples within 2 standard deviations, over
    the data's share there (1: as the data has it; 0: dropped)."""
    import numpy as np

    near = 0.954 if mixture.dim == 1 else 1 - np.exp(-2.0)
    shares = []
    for comp, w in zip(mixture.components, mixture.weights):
        off = drawn - comp.mean
        inside = np.einsum("ni,ij,nj->n", off, np.linalg.inv(comp.cov), off) < 4.0
        shares.append(inside.mean() / (near * w))
    return float(min(shares))


if __name__ == "__main__":
    main()
