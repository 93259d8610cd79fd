"""The image decoders and the sharpness measures: valid pictures for any point, shapes that read as
the right car or ball position, and the image-space claim of the app — the pixel mean of a
bimodal set is blurrier than its modes while a decoded in-between point stays sharp."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from engine.decoders import DECODER_NAMES, IMAGE_SHAPE, axis_names, decode, decoder_dims
from engine.model.scene import bundled_scene
from engine.maths.sharpness import (
    blur_crete,
    blur_crete_batch,
    gradient_energy,
    nearest_mse,
    relative_sharpness,
    sharpness,
)

ROOT = Path(__file__).resolve().parents[2]
H, W = IMAGE_SHAPE
LUMA = np.array([0.2126, 0.7152, 0.0722])


def one(name, *coords):
    return decode(name, np.array([coords], dtype=float))[0]


def mse(a, b):
    return float(np.mean((np.asarray(a, float) - np.asarray(b, float)) ** 2))


def box_blur(image, size):
    return ndimage.uniform_filter(image, size=(size, size, 1), mode="reflect")


def car_mask(img):
    """Pixels of the car itself: far from the background, read from the image's left column, which
    the car keeps clear of. Glass and the soft ground shadow are too faint to count; the body is not."""
    return np.abs(img - img[:, :1]).max(axis=2) > 0.4


def ground_row(img):
    """The ground line: the darkest row of the background column."""
    return int(np.argmin(img[:, 0] @ LUMA))


def silhouette(img):
    """(height above the ground, length, clearance under the body between the wheels) in pixels."""
    mask, ground = car_mask(img), ground_row(img)
    rows = np.flatnonzero(mask[:ground].any(axis=1))
    cols = np.flatnonzero(mask[:ground].any(axis=0))
    middle = np.flatnonzero(mask[:ground, W // 2])
    return ground - rows[0], cols[-1] - cols[0] + 1, ground - middle[-1] - 1


def body_colour(img):
    """Mean colour of the strongly saturated pixels: the car's paint."""
    saturation = img.max(axis=2) - img.min(axis=2)
    return img[saturation > 0.5].mean(axis=0)


def dark_centroid(img):
    """(row, column) centroid of the dark pixels: the ball."""
    rows, cols = np.nonzero(img @ LUMA < 0.35)
    return rows.mean(), cols.mean()


# -- the contract of decode ---------------------------------------------------------
@pytest.mark.parametrize("name", DECODER_NAMES)
@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize("n", [0, 1, 7, 40])
def test_images_have_the_documented_shape_type_and_range(name, dim, n):
    points = np.random.default_rng(n).normal(0.0, 2.5, (n, dim))
    images = decode(name, points)
    assert images.shape == (n, H, W, 3) and IMAGE_SHAPE == (64, 96)
    assert images.dtype == np.float32 and images.flags.c_contiguous
    assert np.all(np.isfinite(images)) and np.all((images >= 0.0) & (images <= 1.0))


@pytest.mark.parametrize("name", DECODER_NAMES)
@pytest.mark.parametrize("dim", [1, 2])
def test_any_point_gives_a_valid_image_far_nan_and_inf_clamp(name, dim):
    specials = [1e300, -1e300, np.inf, -np.inf, np.nan, 1e6, -1e6]
    points = np.array([[s] * dim for s in specials])
    with np.errstate(all="raise"):  # no overflow or invalid operation hidden inside
        images = decode(name, points)
    assert np.all(np.isfinite(images)) and images.min() >= 0.0 and images.max() <= 1.0
    far = decode(name, np.array([[100.0] * dim, [-100.0] * dim, [0.0] * dim]))
    np.testing.assert_array_equal(images[2], far[0])  # +inf clamps like any far point
    np.testing.assert_array_equal(images[3], far[1])
    np.testing.assert_array_equal(images[0], far[0])
    np.testing.assert_array_equal(images[4], far[2])  # NaN decodes as the centre of the range


@pytest.mark.parametrize("name", DECODER_NAMES)
def test_the_same_point_gives_the_same_image_alone_or_in_any_batch(name):
    points = np.random.default_rng(1).normal(0.0, 2.5, (70, 2))  # more than one rendering chunk
    batch = decode(name, points)
    again = decode(name, points[::-1])[::-1]
    np.testing.assert_array_equal(batch, again)
    for i in (0, 33, 69):
        np.testing.assert_allclose(decode(name, points[i:i + 1])[0], batch[i], atol=1e-6)
    assert mse(batch[0], batch[1]) > 1e-4  # different points, different pictures


@pytest.mark.parametrize("name", DECODER_NAMES)
def test_bad_arguments_are_refused_with_a_message_naming_them(name):
    with pytest.raises(ValueError, match="faces"):
        decode("faces", np.zeros((1, 1)))
    with pytest.raises(ValueError, match="faces"):
        axis_names("faces", 1)
    with pytest.raises(ValueError, match=name):
        decode(name, np.zeros((2, decoder_dims(name) + 1)))
    with pytest.raises(ValueError, match=name):
        decode(name, np.zeros(4))


@pytest.mark.parametrize("name", DECODER_NAMES)
def test_axis_names_name_each_axis(name):
    one_d, two_d = axis_names(name, 1), axis_names(name, 2)
    assert len(one_d) == 1 and len(two_d) == 2 and two_d[0] == one_d[0]
    assert all(isinstance(s, str) and 0 < len(s) <= 40 for s in two_d) and two_d[0] != two_d[1]


def test_cars_axis_names_say_what_the_axes_mean():
    style, colour = axis_names("cars", 2)
    assert "sedan" in style and "SUV" in style and "red" in colour and "blue" in colour


@pytest.mark.parametrize("name", DECODER_NAMES)
@pytest.mark.parametrize("axis", [0, 1])
def test_images_change_continuously_small_steps_little_big_steps_a_lot(name, axis):
    sweep = np.zeros((1001, 2))
    sweep[:, axis] = np.linspace(-5.0, 5.0, 1001)  # steps of 0.01, across the whole range and past the clamps
    if axis == 1:
        sweep[:, 0] = 0.5
    images = decode(name, sweep)
    steps = np.mean((images[1:] - images[:-1]) ** 2, axis=(1, 2, 3))
    assert steps.max() < 1e-4, f"a jump at {sweep[np.argmax(steps) + 1, axis]:.2f}"
    for x in ((-3.5, -2.0, 0.0, 1.0) if axis == 0 else (-1.8, -0.5, 0.0, 0.9)):  # inside every decoder's range
        point = np.array([0.5, 0.5])
        point[axis] = x
        near, far = point.copy(), point.copy()
        near[axis] += 0.01
        far[axis] += 1.0
        a, b, c = decode(name, np.array([point, near, far]))
        assert mse(a, c) > 1e-3 and mse(a, c) > 50 * mse(a, b)


# -- cars ---------------------------------------------------------------------------
def test_the_sedan_and_the_suv_are_clearly_different_cars():
    sedan, suv = one("cars", -2.0), one("cars", 2.0)
    assert mse(sedan, suv) > 0.01
    sedan_height, sedan_length, sedan_clearance = silhouette(sedan)
    suv_height, suv_length, suv_clearance = silhouette(suv)
    assert suv_height >= sedan_height + 8  # tall boxy body and high roof
    assert sedan_length / sedan_height > 1.4 * suv_length / suv_height  # long low sedan
    assert suv_clearance >= sedan_clearance + 3  # an SUV stands high off the ground


def test_the_body_grows_taller_step_by_step_from_coupe_to_suv():
    heights = [silhouette(one("cars", x))[0] for x in (-3.5, -2.0, -1.0, 0.0, 1.0, 2.0)]
    assert all(a < b for a, b in zip(heights, heights[1:])), heights


def test_every_car_stands_on_the_ground_inside_the_frame():
    for x in np.linspace(-4.5, 4.5, 10):
        img = one("cars", x)
        mask = car_mask(img)
        assert not mask[0].any() and not mask[:, 0].any() and not mask[:, -1].any()
        dark = img @ LUMA < 0.3  # the tyres reach down to the ground line
        assert dark[ground_row(img) - 1].any()


def test_one_d_cars_are_red_and_two_d_colour_runs_from_red_to_blue():
    red_1d = body_colour(one("cars", 0.0))
    red, blue = body_colour(one("cars", 0.0, -2.0)), body_colour(one("cars", 0.0, 2.0))
    assert red_1d[0] > 3 * red_1d[2] and red[0] > 3 * red[2]
    assert blue[2] > 3 * blue[0]
    blueness = [(c[2] - c[0]) for c in (body_colour(one("cars", 1.0, y)) for y in np.linspace(-2, 2, 9))]
    assert all(a < b for a, b in zip(blueness, blueness[1:]))


def test_the_colour_midpoint_is_vivid_but_the_pixel_average_of_red_and_blue_is_dull():
    red, blue = one("cars", -2.0, -2.0), one("cars", -2.0, 2.0)
    vivid = body_colour(one("cars", -2.0, 0.0))
    mask = car_mask(red) & (red.max(axis=2) - red.min(axis=2) > 0.5)
    dull = ((red + blue) / 2)[mask].mean(axis=0)
    assert vivid.max() > 0.9 * body_colour(red).max()
    assert dull.max() < 0.7 * vivid.max()


# -- ball ---------------------------------------------------------------------------
def test_the_ball_moves_right_with_x_in_one_d():
    cols = [dark_centroid(one("ball", x))[1] for x in np.linspace(-4, 4, 17)]
    assert all(a < b for a, b in zip(cols, cols[1:]))
    assert cols[3] < W / 3 and cols[-4] > 2 * W / 3  # x = ±2.5 near the left and right
    assert dark_centroid(one("ball", 20.0))[1] == pytest.approx(cols[-1])  # clamped beyond 4


def test_the_ball_moves_up_with_y_and_right_with_x_in_two_d():
    rows = [dark_centroid(one("ball", 0.0, y))[0] for y in np.linspace(-4, 4, 17)]
    assert all(a > b for a, b in zip(rows, rows[1:]))  # row 0 is the top
    cols = [dark_centroid(one("ball", x, 1.0))[1] for x in np.linspace(-4, 4, 17)]
    assert all(a < b for a, b in zip(cols, cols[1:]))
    for x, y in [(-4, -4), (4, 4), (-4, 4), (4, -4)]:
        rows_, cols_ = np.nonzero(one("ball", x, y) @ LUMA < 0.35)
        assert rows_.min() > 1 and cols_.min() > 1 and cols_.max() < W - 2  # the whole ball in frame


# -- the sharpness measures ------------------------------------------------------------
def crete_reference(image):
    """Crete et al. (2007) written anew from the paper, with scipy's filter as the 1×9 average."""
    lum = image @ LUMA
    blur = []
    for axis in (0, 1):
        re_blurred = ndimage.uniform_filter1d(lum, 9, axis=axis, mode="reflect")
        d_f = np.abs(np.diff(lum, axis=axis))
        d_b = np.abs(np.diff(re_blurred, axis=axis))
        s_f, s_v = d_f.sum(), np.maximum(0.0, d_f - d_b).sum()
        blur.append((s_f - s_v) / s_f)
    return max(blur)


def test_blur_crete_matches_the_paper_and_the_batch_matches_single_images():
    rng = np.random.default_rng(3)
    images = np.concatenate([decode("cars", rng.normal(0, 2, (3, 2))), decode("ball", rng.normal(0, 2, (2, 2))),
                             rng.random((1, H, W, 3)).astype(np.float32)])
    batch = blur_crete_batch(images)
    assert batch.shape == (len(images),)
    for img, b in zip(images, batch):
        assert blur_crete(img) == pytest.approx(crete_reference(img.astype(float)), abs=1e-9)
        assert b == pytest.approx(blur_crete(img), abs=1e-12)
        assert blur_crete(img @ LUMA) == pytest.approx(b, abs=1e-9)  # grey images are luminance already
        assert sharpness(img) == pytest.approx(1.0 - b)
    assert blur_crete(np.full((H, W, 3), 0.5)) == 1.0  # nothing left to blur: maximally blurry, no NaN


@pytest.mark.parametrize("name", DECODER_NAMES)
def test_blurring_an_image_raises_its_blur_and_lowers_its_gradient_energy(name):
    for point in np.random.default_rng(4).normal(0, 2, (4, 2)):
        img = one(name, *point)
        blurs = [blur_crete(img)] + [blur_crete(box_blur(img, k)) for k in (3, 5, 9)]
        energy = [gradient_energy(img)] + [gradient_energy(box_blur(img, k)) for k in (3, 5, 9)]
        assert all(a < b for a, b in zip(blurs, blurs[1:])), blurs
        assert all(a > b for a, b in zip(energy, energy[1:])), energy
        assert blurs[0] < 0.3  # a decoded image is crisp: a one-pixel edge everywhere


def test_gradient_energy_of_a_step_edge():
    step = np.zeros((10, 21))
    step[:, 11:] = 1.0  # one unit jump in each of the 10 rows, over 10 × 20 horizontal differences
    assert gradient_energy(step) == pytest.approx(10 / (10 * 20))
    assert gradient_energy(np.stack([step] * 3, axis=-1)) == pytest.approx(10 / (10 * 20))


def test_nearest_mse_finds_the_closest_image():
    rng = np.random.default_rng(5)
    data = rng.random((10, 4, 5, 3))
    image = data[6] + 0.01
    brute = min(mse(image, d) for d in data)
    assert nearest_mse(image, data) == pytest.approx(brute)
    assert nearest_mse(image, data, chunk=3) == pytest.approx(brute)
    assert nearest_mse(image, data) == pytest.approx(1e-4)
    with pytest.raises(ValueError, match="shape"):
        nearest_mse(image, data[:, :3])


def test_relative_sharpness_is_one_for_the_modes_themselves():
    modes = decode("cars", np.array([[-2.0], [2.0]]))
    assert relative_sharpness(modes[0], modes[:1]) == pytest.approx(1.0)
    mean_of_modes = (sharpness(modes[0]) + sharpness(modes[1])) / 2
    assert relative_sharpness(modes[1], modes) == pytest.approx(sharpness(modes[1]) / mean_of_modes)


def test_the_sharpness_modules_need_only_numpy():
    code = ("import sys\nimport engine.decoders, engine.maths.sharpness\n"
            "print(','.join(sorted(m for m in ('scipy', 'torch', 'PySide6', 'pyqtgraph') if m in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# -- the claim the image pane makes ------------------------------------------------------
@pytest.fixture(scope="module")
def sedan_or_suv():
    """Modes, the latent midpoint and the decoded data of the default scene."""
    points = bundled_scene("sedan_or_suv").draw()[:200]
    return decode("cars", np.array([[-2.0], [2.0]])), one("cars", 0.0), decode("cars", points)


def test_the_l2_optimum_in_pixel_space_is_blurrier_than_every_mode(sedan_or_suv):
    """The per-pixel mean of the decoded data (what L2 converges to in image space) is clearly
    blurrier than either mode image; the margin is half the measured one (0.31 against 0.21)."""
    modes, _, data = sedan_or_suv
    mean_image = data.mean(axis=0)
    assert blur_crete(mean_image) > blur_crete_batch(modes).max() + 0.05
    assert relative_sharpness(mean_image, modes) < 0.93


def test_the_decoded_midpoint_is_as_sharp_as_the_modes(sedan_or_suv):
    """Latent interpolation gives sharp in-between cars: every step of the strip is as crisp as a mode."""
    modes, midpoint, _ = sedan_or_suv
    assert relative_sharpness(midpoint, modes) == pytest.approx(1.0, abs=0.03)
    strip = decode("cars", np.linspace(-2, 2, 9)[:, None])
    assert all(r == pytest.approx(1.0, abs=0.05) for r in (relative_sharpness(img, modes) for img in strip))


def test_a_pixel_cross_fade_is_a_ghost_that_loses_contrast_not_edge_width(sedan_or_suv):
    """The average of a sedan and an SUV image is a double exposure: each edge stays one pixel wide
    but carries half the contrast. Gradient energy sees that; Crete's metric, which is normalised
    by the image's own contrast, scores the ghost almost as sharp as the modes — it measures edge
    width, so in the mean of many samples it sees the spread within each mode, not the ghosting."""
    modes, midpoint, _ = sedan_or_suv
    ghost = modes.mean(axis=0)
    energy_modes = min(gradient_energy(m) for m in modes)
    assert gradient_energy(ghost) < 0.7 * energy_modes
    assert gradient_energy(midpoint) > 0.9 * energy_modes
    assert blur_crete(ghost) < blur_crete_batch(modes).max() + 0.03


def test_a_narrow_unimodal_set_averages_to_a_sharp_single_car():
    """The control case. The bundled unimodal scene has a standard deviation of 0.55 along the
    style axis, which moves the roof line by about 1.8 px and the rear window by 2.5 px, about as
    much as a mode of the default scene: its mean blurs by Crete's measure as much (relative
    sharpness 0.81). What makes it the control is that the mean is one car, close to the data,
    where the bimodal mean is a ghost far from every sample; and the blur is the spread: the same
    samples drawn four times closer to their mean give a mean image as sharp as the mode."""
    unimodal = bundled_scene("unimodal")
    centre = unimodal.mixture.components[0].mean
    points = unimodal.draw()[:200]
    mode_image = decode("cars", centre[None])
    images = decode("cars", points)
    bimodal = decode("cars", bundled_scene("sedan_or_suv").draw()[:200])
    assert nearest_mse(images.mean(axis=0), images) < 0.3 * nearest_mse(bimodal.mean(axis=0), bimodal)
    assert relative_sharpness(images.mean(axis=0), mode_image) > 0.75
    narrow = decode("cars", centre + 0.25 * (points - centre)).mean(axis=0)
    assert relative_sharpness(narrow, mode_image) > 0.95
    assert nearest_mse(narrow, images) < nearest_mse(images.mean(axis=0), images)


@pytest.mark.parametrize("name", ["cars", "ball"])
def test_a_point_decodes_the_same_alone_and_in_any_batch(name):
    points = np.array([[-2.0], [2.0], [-3.5], [0.3]])
    together = decode(name, points)
    for i, p in enumerate(points):
        np.testing.assert_array_equal(decode(name, p[None]), together[i : i + 1])


def test_cars_draw_eight_axes_and_axes_left_out_are_at_their_first_kind():
    names = axis_names("cars", 8)
    assert len(set(names)) == 8 and "wheels" in names[2] and "facing" in names[5]
    rng = np.random.default_rng(4)
    for dim in (2, 5):  # (a 1-D car is a fixed red, a touch apart from the 2-D red at -2)
        pts = rng.normal(size=(40, dim)) * 2
        padded = np.hstack([pts, np.full((40, 8 - dim), -2.0)])
        assert np.array_equal(decode("cars", pts), decode("cars", padded))
    with pytest.raises(ValueError, match="ball"):
        decode("ball", np.zeros((1, 3)))


def test_each_extra_car_axis_changes_the_picture_and_facing_mirrors_it():
    base = decode("cars", np.full((1, 8), -2.0))[0]
    for axis in range(2, 8):
        other = np.full((1, 8), -2.0)
        other[0, axis] = 2.0
        changed = np.abs(decode("cars", other)[0] - base).max(axis=-1) > 0.2
        assert changed.sum() >= 40, axis  # a part of the car a viewer sees at a glance
    facing = np.full((1, 8), -2.0)
    facing[0, 5] = 2.0
    assert np.array_equal(decode("cars", facing)[0], base[:, ::-1])
