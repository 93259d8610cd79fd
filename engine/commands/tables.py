"""`blurlab losses` and `blurlab scenes`: what is available, a line each."""

from __future__ import annotations

from engine.model.losses import LOSSES
from engine.model.scene import bundled_scene, bundled_scene_ids


def loss_table() -> str:
    width = max(len(loss.id) for loss in LOSSES)
    return "\n".join(f"{loss.id:<{width}}  {loss.title}: {loss.explanation}" for loss in LOSSES)


def scene_table() -> str:
    rows = []
    for scene_id in bundled_scene_ids():
        scene = bundled_scene(scene_id)
        labels = ", ".join(label or "?" for label in scene.mixture.labels)
        rows.append((scene_id, f"{scene.name} ({scene.dim}-D, {_count(len(scene.mixture.components), 'mode')}: {labels})"))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b}" for a, b in rows)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
