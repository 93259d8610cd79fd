"""The image pane's content, without Qt: each loss's answer in pixel space and what its figures say."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.decoders import decode
from engine.fit.fit import Fit, FitSettings, run
from engine.images.board import SAMPLE_GRID, STRIP, ImageBoardMaker
from engine.commands.pictures import FILES, boards
from engine.fit.pixel import PixelFit, data_images_for
from engine.model.scene import bundled_scene
from engine.maths.sharpness import gradient_energy

ROOT = Path(__file__).resolve().parents[2]


def _settled_pixel_fit(scene_id: str, loss: str) -> tuple[PixelFit, np.ndarray]:
    scene = bundled_scene(scene_id)
    images = data_images_for(scene.draw(), scene.decoder)
    pf = PixelFit(images, loss)
    pf.step(400)
    return pf, images


def _relative_energy(image: np.ndarray, scene_id: str) -> float:
    scene = bundled_scene(scene_id)
    modes = decode(scene.decoder, scene.mixture.modes())
    return gradient_energy(image) / np.mean([gradient_energy(m) for m in modes])


def test_l2_pixel_answer_is_the_per_pixel_mean_and_blurrier_than_every_mode():
    pf, images = _settled_pixel_fit("sedan_or_suv", "l2")
    np.testing.assert_allclose(pf.result(), images.mean(axis=0), atol=2e-3)
    scene = bundled_scene("sedan_or_suv")
    modes = decode(scene.decoder, scene.mixture.modes())
    assert all(gradient_energy(pf.result()) < 0.6 * gradient_energy(m) for m in modes)


def test_l1_pixel_answer_is_the_per_pixel_median():
    pf, images = _settled_pixel_fit("unequal_weights", "l1")
    median = np.median(images, axis=0)
    # L1's gradient is a sign: the answer may rest anywhere between the two middle values of a pixel
    assert np.mean(np.abs(pf.result() - median) < 0.02) > 0.97


def test_the_pixel_fit_starts_grey_and_follows_new_data():
    scene = bundled_scene("sedan_or_suv")
    pf = PixelFit(data_images_for(scene.draw(), "cars"), "l2")
    assert np.allclose(pf.result(), 0.5)
    pf.step(400)
    shifted = scene.mixture.with_component(1, scene.mixture.components[1].moved(mean=[3.5]))
    new_images = data_images_for(shifted.sample(4000, 0), "cars")
    pf.set_images(new_images)
    pf.step(400)
    np.testing.assert_allclose(pf.result(), new_images.mean(axis=0), atol=2e-3)


def test_the_pixel_fit_refuses_a_loss_it_has_no_pixel_form_for():
    with pytest.raises(ValueError, match="adversarial"):
        PixelFit(np.zeros((2, 4, 4, 3)), "adversarial")


def test_unimodal_control_the_l2_answer_is_about_as_sharp_as_the_mode():
    pf, _ = _settled_pixel_fit("unimodal", "l2")
    control = _relative_energy(pf.result(), "unimodal")
    bimodal, _ = _settled_pixel_fit("sedan_or_suv", "l2")
    assert control > 0.75
    assert control > 1.8 * _relative_energy(bimodal.result(), "sedan_or_suv")


def test_adversarial_samples_are_about_as_sharp_as_the_modes():
    scene = bundled_scene("sedan_or_suv")
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss="adversarial"))
    for _ in run(fit, steps=2500):
        pass
    data, board = boards(fit, scene.decoder)
    sharp = [p.sharpness for p in board.samples]
    assert np.median(sharp) > 0.8
    assert min(p.sharpness for p in board.answers) > 0.7


def test_the_board_shows_modes_strip_estimate_answer_and_samples():
    scene = bundled_scene("three_modes")
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss="l2"))
    for _ in run(fit, steps=300):
        pass
    data, board = boards(fit, scene.decoder, pixel_steps=50)
    assert [p.caption for p in data.modes] == ["coupé", "sedan", "SUV"]
    assert len(data.strip_latent) == len(data.strip_pixel) == STRIP
    assert len(board.samples) == SAMPLE_GRID and len(board.answers) == 1
    # L2 wins on squared error over the data and loses on sharpness
    answer, estimate = board.answers[0], board.estimate
    assert answer.mean_mse < estimate.mean_mse
    assert answer.sharpness < 0.6 < estimate.sharpness


def test_latent_interpolation_stays_sharp_where_the_pixel_crossfade_ghosts():
    scene = bundled_scene("sedan_or_suv")
    data = ImageBoardMaker("cars").data_board(scene.mixture, scene.draw())
    middle = STRIP // 2
    assert data.strip_latent[middle].sharpness > 0.8
    assert data.strip_pixel[middle].sharpness < 0.7
    # the ends of both strips are the mode images themselves
    np.testing.assert_allclose(data.strip_pixel[0].image, data.strip_latent[0].image, atol=1e-6)


@pytest.mark.parametrize("loss, count", [("mixture_nll", 2), ("min_of_k", 2), ("reverse_kl", 1)])
def test_mode_seeking_losses_answer_with_sharp_decoded_modes(loss, count):
    scene = bundled_scene("sedan_or_suv")
    fit = Fit(scene.draw(), scene.mixture, FitSettings(loss=loss))
    for _ in run(fit, steps=1500):
        pass
    _, board = boards(fit, scene.decoder)
    assert len(board.answers) == count
    assert all(p.sharpness > 0.8 for p in board.answers)


def test_fit_images_writes_the_pictures_and_their_figures(tmp_path):
    out = tmp_path / "pictures"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "fit", "--scene", "sedan_or_suv", "--loss", "l2", "--steps", "600",
         "--seed", "0", "--json", str(tmp_path / "fit.json"), "--images", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    figures = json.loads((out / "figures.json").read_text())
    assert figures["answer"][0]["sharpness"] < 0.6 < figures["estimate"]["sharpness"]
    assert figures["answer"][0]["mean_mse"] < figures["estimate"]["mean_mse"]
    assert json.loads((tmp_path / "fit.json").read_text())["images"]["directory"] == str(out)


def test_fit_images_into_an_unwritable_place_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "fit", "--steps", "10", "--images", str(blocker / "sub")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 2
    assert "--images" in result.stderr


def test_batch_gradient_energy_matches_the_single_image_measure():
    from engine.maths.sharpness import gradient_energies

    images = decode("cars", np.array([[-3.0], [0.0], [2.0]]))
    np.testing.assert_allclose(gradient_energies(images), [gradient_energy(i) for i in images], rtol=1e-9)
