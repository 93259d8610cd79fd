"""`fit --images DIR`: the image pane's pictures as PNG files, with a JSON of their figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from engine.fit.fit import Fit
from engine.fit.pixel import PixelFit, data_images_for
from engine.images.board import DataBoard, FitBoard, ImageBoardMaker, Picture
from engine.io import atomic
from engine.io.pixels import tile
from engine.io.png import write_png
from engine.model.losses import loss_info

PIXEL_STEPS = 400  # enough for the pixel-space fit to settle from grey
FILES = ("modes.png", "strip_latent.png", "strip_pixel.png", "estimate.png", "answer.png", "samples.png")


def _figures(pictures: tuple[Picture, ...]) -> list[dict[str, Any]]:
    def number(x: float, digits: int) -> float | None:
        return None if x != x else round(x, digits)  # nan: not computed for this picture

    return [
        {"caption": p.caption, "sharpness": number(p.sharpness, 4), "crete": number(p.crete, 4),
         "mean_mse": number(p.mean_mse, 6), "nearest_mse": number(p.nearest_mse, 6)}
        for p in pictures
    ]


def boards(fit: Fit, decoder: str, pixel_steps: int = PIXEL_STEPS, span: tuple | None = None
           ) -> tuple[DataBoard, FitBoard]:
    """The image pane's content for a finished fit (the pixel-space fit is run here, headless); `span`
    maps a scene's own units to the decoder's."""
    maker = ImageBoardMaker(decoder, span)
    data = maker.data_board(fit.data_mixture, fit.samples)
    loss_id = fit.settings.loss
    pixel = None
    if loss_info(loss_id).pixel is not None:
        pf = PixelFit(data_images_for(fit.samples, decoder, span=span), loss_id)
        pf.step(pixel_steps)
        pixel = pf.result()
    return data, maker.fit_board(loss_id, fit.estimate, pixel)


def _stack(pictures: tuple[Picture, ...]) -> np.ndarray:
    return np.stack([p.image for p in pictures])


def write_images(directory: str | Path, fit: Fit, decoder: str, span: tuple | None = None) -> dict[str, Any]:
    """Write the PNG files named in FILES and figures.json into directory; returns the figures."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    data, board = boards(fit, decoder, span=span)
    write_png(out / "modes.png", tile(_stack(data.modes), columns=len(data.modes)))
    write_png(out / "strip_latent.png", tile(_stack(data.strip_latent), columns=len(data.strip_latent)))
    write_png(out / "strip_pixel.png", tile(_stack(data.strip_pixel), columns=len(data.strip_pixel)))
    write_png(out / "estimate.png", board.estimate.image)
    write_png(out / "answer.png", tile(_stack(board.answers), columns=len(board.answers)))
    write_png(out / "samples.png", tile(_stack(board.samples), columns=4))
    figures = {
        "loss": fit.settings.loss,
        "answer_title": board.answer_title,
        "mode_sharpness": round(data.mode_sharpness, 4),
        "modes": _figures(data.modes),
        "strip_latent": _figures(data.strip_latent),
        "strip_pixel": _figures(data.strip_pixel),
        "estimate": _figures((board.estimate,))[0],
        "answer": _figures(board.answers),
        "samples": _figures(board.samples),
        "files": list(FILES),
    }
    atomic.write_text(out / "figures.json", json.dumps(figures, indent=1) + "\n")
    return figures
