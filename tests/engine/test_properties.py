"""Many properties: scenes of 3 to 8 dimensions, fitted and checked against independent references
(numpy, scipy, scikit-image), the properties' scene and its inverse, and the pixel answers per K."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from scipy import ndimage, optimize, stats
from scipy.special import logsumexp

from engine.commands.fit_report import fit_command
from engine.decoders import decode
from engine.fit.fit import Fit, run
from engine.maths.sharpness import blur_crete, blur_crete_batch
from engine.model import properties as P
from engine.model.mixture import Component, Mixture
from engine.model.scene import SceneError, bundled_scene, dumps, loads
from engine.model.settings import FitSettings
from engine.model.theory import optimum_median


def _props(k: int) -> tuple[P.Property, ...]:
    """K properties with kinds moved, weighted and widened unevenly, so nothing holds by symmetry."""
    out = []
    for i, p in enumerate(P.CAR_PROPERTIES[:k]):
        out.append(p.moved(0, position=-2.0 + 0.1 * i, weight=1.0 + 0.3 * i, spread=0.4 + 0.03 * i)
                    .moved(1, position=1.5 + 0.2 * i, spread=0.6))
    return tuple(out)


def _fit(props, loss: str, steps: int, samples: int = 1500):
    scene = P.properties_scene(props, samples=samples)
    data = scene.draw()
    fit = Fit(data, scene.mixture, FitSettings(loss=loss, seed=0))
    for _ in run(fit, steps=steps):
        pass
    return data, fit.estimate


@pytest.mark.parametrize("k", [3, 5, 8])
def test_l2_ends_at_the_sample_mean_in_many_dimensions(k):
    data, estimate = _fit(_props(k), "l2", 1500)
    assert estimate.mean == pytest.approx(np.mean(data, axis=0), abs=0.02)


@pytest.mark.parametrize("k", [3, 6, 8])
def test_l1_ends_at_the_geometric_median_in_many_dimensions(k):
    data, estimate = _fit(_props(k), "l1", 2000)
    # The reference: scipy's minimiser of the mean distance, from the coordinate median.
    def mean_distance(y):
        return np.linalg.norm(data - y, axis=1).mean()

    def gradient(y):
        off = y - data
        return (off / np.linalg.norm(off, axis=1, keepdims=True)).mean(axis=0)

    ref = optimize.minimize(mean_distance, np.median(data, axis=0), jac=gradient, method="BFGS",
                            options={"gtol": 1e-10, "maxiter": 10_000}).x
    theory = np.array(optimum_median(samples=data).mean)
    assert mean_distance(theory) <= mean_distance(ref) + 1e-7
    assert theory == pytest.approx(ref, abs=0.02)
    assert estimate.mean == pytest.approx(theory, abs=0.05)


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["mixture_nll", "min_of_k"])
def test_with_six_properties_the_mixture_and_min_of_k_land_on_the_kinds_of_car(loss):
    """64 kinds, each step a batch of the samples: nearly every kind gets its own component or guess."""
    props = P.default_properties(6)
    data, estimate = _fit(props, loss, 2000, samples=4000)
    places = estimate.means if loss == "mixture_nll" else estimate.points
    kinds = P.product_mixture(props).means
    distance = np.linalg.norm(kinds[:, None] - places[None], axis=-1)  # (kinds, places)
    assert np.mean(distance.min(axis=1) < 1.0) >= 0.9  # the kinds at ±2 are 4 apart
    assert np.mean(distance.min(axis=0) < 1.0) >= 0.9


def test_the_density_at_any_point_is_the_product_of_the_properties_one_d_densities():
    props = _props(6)
    mixture = P.product_mixture(props)
    rng = np.random.default_rng(3)
    points = np.vstack([mixture.mean(), P.answer(props), rng.normal(size=(5, 6)) * 2])

    def one_d_log_fraction(p: P.Property, x: float) -> float:  # scipy's densities and a grid-refined peak
        w = np.array(p.weights) / sum(p.weights)

        def log_pdf(t):
            t = np.atleast_1d(t)[:, None]
            return logsumexp(stats.norm.logpdf(t, np.array(p.positions), np.array(p.spreads)), b=w, axis=1)
        grid = np.linspace(-6, 6, 20001)
        start = grid[np.argmax(log_pdf(grid))]
        top = -optimize.minimize_scalar(lambda t: -log_pdf(t)[0], bracket=(start - 0.01, start, start + 0.01)).fun
        return log_pdf(x)[0] - top

    for point in points:
        expected = sum(one_d_log_fraction(p, point[i]) for i, p in enumerate(props))
        assert mixture.log_density_fraction(point[None])[0] == pytest.approx(expected, abs=1e-7)
        assert P.log_density_fraction(props, point) == pytest.approx(expected, abs=1e-7)


def test_the_density_at_the_answer_falls_by_the_product_rule_with_every_property():
    by_k = P.density_at_answer_by_k()
    one = P.CAR_PROPERTIES[0].marginal()
    per = one.log_density_fraction(np.zeros((1, 1)))[0] / np.log(10)
    assert by_k == pytest.approx(per * np.arange(1, 9), rel=1e-12)
    assert 10 ** by_k[0] == pytest.approx(6.7e-4, rel=0.01)  # 0.07% with one property, as the issue measured
    eight = P.product_mixture(P.CAR_PROPERTIES)
    assert eight.log_density_fraction(np.zeros((1, 8)))[0] / np.log(10) == pytest.approx(by_k[-1], abs=1e-9)


def test_a_density_of_one_millionth_of_a_millionth_of_the_peak_is_exact():
    gauss = Mixture((Component(1.0, [0.0], [[1.0]]),))
    x = np.sqrt(2 * 12 * np.log(10))  # exp(-x^2 / 2) = 1e-12
    assert gauss.density_fraction(np.array([[x]]))[0] == pytest.approx(1e-12, rel=1e-9)
    far = gauss.log_density_fraction(np.array([[60.0]]))[0]  # 1e-782: below float range, exact in logs
    assert far == pytest.approx(-1800.0, rel=1e-12)
    wide = P.product_mixture(P.CAR_PROPERTIES)
    assert np.isfinite(wide.log_density_fraction(np.full((1, 8), 40.0))[0])


def test_peak_and_modes_of_an_eight_property_scene():
    mixture = P.product_mixture(_props(8))
    assert len(mixture.modes()) == 256
    expected = sum(np.log(p.marginal().peak_density()) for p in _props(8))
    assert mixture.log_peak_density() == pytest.approx(expected, abs=1e-9)
    corner = mixture.means[0] + 0.1
    assert mixture.nearest_mode_distance(corner[None])[0] == pytest.approx(
        np.linalg.norm(mixture.modes() - corner, axis=1).min())


def test_the_scene_of_properties_reads_back_to_them_also_through_its_file():
    props = _props(5)
    scene = P.properties_scene(props)
    assert scene.dim == 5 and len(scene.mixture.components) == 32 and scene.decoder == "cars"
    back = P.scene_properties(loads(dumps(scene)))
    for a, b in zip(props, back):
        assert a.name == b.name and a.kinds == b.kinds
        assert np.allclose(a.positions, b.positions) and np.allclose(a.spreads, b.spreads)
        assert np.allclose(np.array(a.weights) / sum(a.weights), b.weights)
    dragged = P.properties_scene(P.scene_properties(scene)[:2] + (back[2].moved(1, position=0.5),) + back[3:])
    assert set(dragged.mixture.means[:, 2]) == {props[2].positions[0], 0.5}


def test_a_scene_that_is_not_a_product_of_properties_is_refused():
    with pytest.raises(SceneError, match="components"):
        P.scene_properties(bundled_scene("three_modes"))
    scene = P.properties_scene(_props(2))
    bent = scene.with_(mixture=scene.mixture.with_component(0, scene.mixture.components[0].moved(mean=[0.0, 0.0])))
    with pytest.raises(SceneError, match="not the product"):
        P.scene_properties(bent)


def test_the_bundled_scene_has_six_properties_and_labels_naming_the_cars():
    scene = bundled_scene("many_properties")
    assert scene.dim == P.DEFAULT_PROPERTIES == 6 and scene.decoder == "cars"
    assert len(P.scene_properties(scene)) == 6
    assert scene.mixture.labels[0] == "red sedan, small wheels, no roof box, day, facing right"
    assert len(set(scene.mixture.labels)) == 64


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d.update(dim=9), "dim: must be 1 to 8, got 9"),
    (lambda d: d["components"][3]["cov"][2].__setitem__(2, -0.25), "components[3].cov: not positive definite"),
    (lambda d: d.update(components=d["components"] * 5), "components: at most 256, got 320"),
])
def test_bad_input_gets_one_line_naming_the_key_and_exit_2(tmp_path, capsys, change, words):
    data = json.loads(dumps(bundled_scene("many_properties")))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    assert fit_command(str(path), None, 10, None, None, None, None) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and words in err


def test_the_eight_property_corners_are_sharp_and_all_different():
    corners = np.array(list(itertools.product((-2.0, 2.0), repeat=8)))
    images = decode("cars", corners)
    flat = images.reshape(256, -1).astype(np.float64)
    gram = flat @ flat.T
    d2 = (np.diag(gram)[:, None] + np.diag(gram)[None] - 2 * gram) / flat.shape[1]
    np.fill_diagonal(d2, np.inf)
    assert d2.min() > 1e-4  # no two kinds of car draw the same picture
    blur = blur_crete_batch(images)
    softened = blur_crete_batch(ndimage.uniform_filter(images, size=(1, 3, 3, 1)))
    assert np.all(softened - blur > 0.08)  # a 3-pixel blur shows on every corner: its edges are crisp
    assert blur.max() < blur_crete(P.pixel_answer(P.CAR_PROPERTIES[:1]))  # each sharper than any pixel answer


def test_the_pixel_answer_is_the_average_of_the_decoded_samples():
    props = _props(3)
    pts = P.draw(props, 300, seed=1)
    assert P.pixel_answer(props, pts) == pytest.approx(decode("cars", pts).mean(axis=0), abs=1e-5)


@pytest.fixture(scope="module")
def strip():
    """The pixel answers for K = 1 … 8 and their figures, made once."""
    answers = P.pixel_answers()
    return answers, P.answer_figures(answers=answers)


def test_the_pixel_answer_blurs_further_with_every_property(strip):
    from skimage.measure import blur_effect

    answers, figures = strip
    ours = np.array([f.edge_blur for f in figures])
    assert ours == pytest.approx([blur_crete(a) for a in answers])
    theirs = np.array([blur_effect(a, channel_axis=-1) for a in answers])
    for blur in (ours, theirs):
        # Colour (K = 2) turns red and blue to purple at the same brightness and the same edges: a loss of
        # contrast, not of edges, so no edge-width measure sees it; every other property moves edges.
        assert abs(blur[1] - blur[0]) < 0.002
        assert np.all(np.diff(blur[1:]) > 0.003)
        assert blur[-1] > blur[0] + 0.08


def test_each_pixel_answer_is_less_like_the_cars_it_averages_than_the_one_before(strip):
    """Colour included: by scikit-image's SSIM, weighted by how common each car is, at every K."""
    from skimage.metrics import structural_similarity

    answers, figures = strip
    assert [f.k for f in figures] == list(range(1, 9))
    unlike = []
    for k, answer in enumerate(answers, 1):
        mix = P.product_mixture(P.CAR_PROPERTIES[:k])
        cars = decode("cars", mix.means)
        ssim = [structural_similarity(answer, car, channel_axis=-1, data_range=1.0) for car in cars]
        unlike.append(1.0 - float(mix.weights @ ssim))
        nearest = np.sqrt(((cars.astype(np.float64) - answer) ** 2).mean(axis=(1, 2, 3)).min())
        assert figures[k - 1].nearest_car == pytest.approx(nearest, rel=1e-6)
    assert [f.unlike_cars for f in figures] == pytest.approx(unlike, abs=1e-5)  # it works in float32
    assert np.all(np.diff(unlike) > 0.008)  # the purple car of K = 2 too
    assert unlike[-1] > 2 * unlike[0]
    assert min(f.nearest_car for f in figures) > 0.1  # no answer is any real car


def test_ssim_of_an_image_to_itself_is_one_and_matches_scikit_image_on_noise():
    from skimage.metrics import structural_similarity

    from engine.maths.sharpness import ssim_many

    rng = np.random.default_rng(3)
    image = rng.random((20, 30, 3))
    others = np.clip(image + rng.normal(0.0, 0.2, (4, 20, 30, 3)), 0.0, 1.0)
    expected = [structural_similarity(image, o, channel_axis=-1, data_range=1.0) for o in others]
    assert ssim_many(image, others) == pytest.approx(expected, abs=1e-12)
    assert ssim_many(image, image[None]) == pytest.approx([1.0])


def test_the_pixel_answer_cache_matches_a_fresh_answer_after_drags_and_reweighting():
    props = _props(4)
    cache = P.PixelAnswerCache(per_corner=2)
    first = cache.answer(props)
    assert first == pytest.approx(P.PixelAnswerCache(per_corner=2).answer(props), abs=1e-6)
    dragged = props[:1] + (props[1].moved(0, position=-1.0), props[2].moved(1, weight=5.0)) + props[3:]
    assert cache.answer(dragged) == pytest.approx(P.PixelAnswerCache(per_corner=2).answer(dragged), abs=1e-6)
    mix = P.product_mixture(props)
    one = P.PixelAnswerCache().answer(props)
    assert one == pytest.approx(np.tensordot(mix.weights, decode("cars", mix.means), axes=1), abs=1e-5)


def test_a_decoder_that_draws_two_axes_refuses_a_scene_of_three():
    data = P.properties_scene(_props(3)).to_dict() | {"decoder": "ball"}
    with pytest.raises(SceneError, match="decoder: 'ball' draws at most 2 dimensions, the scene has 3"):
        loads(json.dumps(data))
