"""The narrated tour: the argument of the app in chapters of steps, each a scene, a loss, a speed and a
caption, and what the panes should show for it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TourStep:
    """One step of a tour: its scene, loss and speed, the caption to read out, and what the panes should show."""

    title: str
    caption: str  # what the speaker can read out, in plain words, about what is on screen
    scene: str  # a bundled scene id
    loss: str
    speed: float = 1.0  # multiple of the loss's pace (math.inf: as fast as it goes)
    autorun: bool = True
    fresh: bool = True  # start the fit from step 0; False carries on from the step before
    # What the panes should show for this step, by key (each pane reads the keys it knows, e.g. a view
    # to bring to the front or an overlay to turn on); a step that names none leaves them as they are.
    view: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Tour:
    """A chapter of the tour: an id, a title for the Tour menu, and its steps."""

    id: str
    title: str
    steps: tuple[TourStep, ...]


TOUR: tuple[TourStep, ...] = (
    TourStep(
        "L2 is a Gaussian likelihood",
        "Squared error is what you get from a bell curve of fixed width: minimising it is fitting "
        "that orange bell to the blue data by likelihood. Its centre is the model's prediction.",
        "sedan_or_suv", "l2", autorun=False,
    ),
    TourStep(
        "The best L2 guess is the mean",
        "Run it: the bell slides to the average of all the cars. Here the cars are sedans or SUVs, "
        "two bumps, so the average lands in the empty valley between them.",
        "sedan_or_suv", "l2",
    ),
    TourStep(
        "Nobody looks like the mean",
        "Look at the density where the prediction sits: a fraction of a percent of the peak. "
        "In pixels, the L2 answer is every car overlaid: a ghost, blurry where they disagree.",
        "sedan_or_suv", "l2", speed=4.0, fresh=False,
    ),
    TourStep(
        "Blur is the average, not the in-between",
        "The strip on the right walks from sedan to SUV: every car on the way is sharp. "
        "Only averaging pixels makes ghosts, and averaging is what L2 asks for.",
        "sedan_or_suv", "l2", speed=4.0, fresh=False,
    ),
    TourStep(
        "More sedans: the mean moves, the blur stays",
        "With seven sedans in ten, the mean drifts towards the sedans but still sits where "
        "hardly any car is.",
        "unequal_weights", "l2",
    ),
    TourStep(
        "L1 lands on the median",
        "Absolute error ends at the median. With more sedans it snaps onto the sedan mode: "
        "sharp, but the SUVs are never predicted.",
        "unequal_weights", "l1", speed=4.0,
    ),
    TourStep(
        "A mixture keeps every mode",
        "Let the model predict several bells and train it by likelihood: one settles on each mode. "
        "Its samples are sharp sedans and sharp SUVs.",
        "sedan_or_suv", "mixture_nll",
    ),
    TourStep(
        "Mode seeking picks one",
        "Reverse KL punishes putting mass where there is no data, so the bell commits to a single "
        "kind of car and stays sharp, ignoring the others.",
        "three_modes", "reverse_kl",
    ),
    TourStep(
        "An adversary wants sharp samples",
        "A critic learns to tell generated cars from real ones. A blurry average is easy to catch, "
        "so the generator's samples move onto the modes.",
        "sedan_or_suv", "adversarial", speed=2.0,
    ),
    TourStep(
        "In two dimensions, a purple half-SUV",
        "Body style and colour: four kinds of car at the corners. The L2 mean sits in the middle, "
        "a car nobody makes, and its pixels are four cars overlaid.",
        "style_and_colour", "l2",
    ),
    TourStep(
        "Predicting the next frame",
        "The ball may bounce left or roll right. Trained with L2, a video model draws a faint ball "
        "in both places at once: this is the blur of video prediction.",
        "ball_next_frame", "l2",
    ),
    TourStep(
        "The control: one mode, no blur",
        "With only one kind of car the mean is the mode, and the L2 prediction is sharp. The blur "
        "comes from averaging over several answers, not from squared error itself.",
        "unimodal", "l2",
    ),
)


# Real measurements (resources/data): the same argument on data the audience knows.
REAL_DATA: tuple[TourStep, ...] = (
    TourStep(
        "Real data: Old Faithful",
        "272 eruptions of the Old Faithful geyser: short ones near 2 minutes, long ones near 4.3. "
        "Trained with L2, the prediction slides to their mean, 3.5 minutes, where few eruptions are.",
        "old_faithful", "l2",
    ),
    TourStep(
        "An eruption that never happens",
        "Add the wait before the next eruption: two clouds, and an empty gap between them. The L2 "
        "answer lands in the gap: a short-long eruption after a middling wait, which the geyser never does.",
        "old_faithful_2d", "l2",
    ),
    TourStep(
        "A mixture finds both kinds",
        "Fitted by likelihood, a mixture puts one bell on each cloud: both kinds of eruption, each sharp.",
        "old_faithful_2d", "mixture_nll",
    ),
    TourStep(
        "The average penguin",
        "Flipper lengths of 342 penguins: Adélie and Chinstrap near 190 mm, Gentoo near 216. The mean "
        "flipper, 201 mm, sits in the dip between the species: the average penguin is rarer than either kind.",
        "penguin_flippers", "l2",
    ),
    TourStep(
        "Your own data",
        "Import a file of your own (File, Import data, or drop it on the window) or paint points with the "
        "brush (B): wherever the data has two modes, L2 lands between them.",
        "penguin_flippers", "l1", speed=4.0,
    ),
)

# The why, drawn: the loss landscape, the tug of war, the decoding dial and mode coverage. Each step sets
# every key of the why's view, so going back and forth shows each step as it was meant.
_CLEAR = {"landscape": False, "pulls": False, "answer": "mean", "temperature": 1.0}
WHY: tuple[TourStep, ...] = (
    TourStep(
        "The bowl's bottom is between the modes",
        "Under the data: the L2 loss of every prediction you could make, averaged over the cars. It is a "
        "bowl; its bottom, the star, is the mean, in the empty valley. The fit rolls down to it.",
        "sedan_or_suv", "l2", view={**_CLEAR, "landscape": True},
    ),
    TourStep(
        "L1's floor is almost flat",
        "Absolute error's landscape is nearly level across the valley: with as many sedans as SUVs, any "
        "point between them is about as good, so the median can sit anywhere in there.",
        "sedan_or_suv", "l1", speed=4.0, view={**_CLEAR, "landscape": True},
    ),
    TourStep(
        "Everybody pulls",
        "Each arrow is one car's pull on the prediction. Under L2 the far cars pull hardest; the prediction "
        "stops where all the pulls cancel, trying to satisfy everybody.",
        "sedan_or_suv", "l2", speed=0.5, view={**_CLEAR, "landscape": True, "pulls": True},
    ),
    TourStep(
        "Under L1 every car pulls as hard",
        "With absolute error every arrow has the same length: one car, one vote. The prediction stops where "
        "the votes split in half, the median, here on the sedans.",
        "unequal_weights", "l1", speed=2.0, view={**_CLEAR, "pulls": True},
    ),
    TourStep(
        "Reverse KL: a well for every mode",
        "Reverse KL's landscape, with the bell's width at its best for each centre, has a well on each mode. "
        "The bell falls into one and stays: sharp, and a mode collapse.",
        "three_modes", "reverse_kl", view={**_CLEAR, "landscape": True},
    ),
    TourStep(
        "Turning the dial from mean to mode",
        "The mixture knows both kinds of car, but asked for one answer it gives its mean, L2's in-between "
        "car. Press [ to cool the annealed mean, the mean of p^(1/T): it slides to the sedans.",
        "unequal_weights", "mixture_nll", view={**_CLEAR, "answer": "annealed", "temperature": 1.0},
    ),
    TourStep(
        "T = 0.38, as colourisation does it",
        "Zhang and colleagues colour photographs with the annealed mean at T = 0.38: nearly as vivid as the "
        "mode, steadier than a sample. Here it is a sharp sedan.",
        "unequal_weights", "mixture_nll", fresh=False, view={**_CLEAR, "answer": "annealed", "temperature": 0.38},
    ),
    TourStep(
        "A GAN that covers every mode",
        "The readouts count the modes a model covers. This generator covers both, the sedans and the rarer "
        "SUVs, each at its own share: no mode collapse.",
        "unequal_weights", "adversarial", speed=2.0, view={**_CLEAR, "answer": "sample"},
    ),
)


def _digits(title: str, caption: str, task: str, loss: str, fresh: bool = True, run: bool = True,
            shown: int | None = None, **view: Any) -> TourStep:
    """A step on the real-digits stage: its network's task and loss, the input shown large (`shown`), from
    step 0 (`fresh`) and training (`run`) until the loss's pictures are ready (`digits_ready`: the steps of
    engine.digits.READY_STEPS, then it pauses); the data-space fit waits (on the default scene), so the
    network has the processor."""
    view = {"stage": "real_digits", "digits_task": task, "digits_loss": loss, "digits_fresh": fresh,
            "digits_run": run, "digits_ready": True, **view}
    if shown is not None:
        view["digits_input"] = shown
    return TourStep(title, caption, "sedan_or_suv", "l2", autorun=False, fresh=False, view=view)


SEVEN = 7  # the label the chapter draws: two clear ways of writing (with and without the bar)
SEVEN_OR_NINE = 2  # an ambiguous top of bottom_half (engine.digits.tasks.AMBIGUOUS): a 7 or a 9, whose
# bottoms (a slanting stroke, a straight stem) look unlike each other, so their average shows both

DIGITS_TOUR: tuple[TourStep, ...] = (
    _digits("Real handwriting, as points",
            "Each dot is a real 7, placed by a linear map of its 784 pixels; the squares are its ways of "
            "writing, each shown by a typical 7. The cross is L2's exact answer, the pixel average: on the "
            "centre of mass.",
            "digit_from_label", "l2", run=False, shown=SEVEN),
    _digits("L2 drifts to the centre",
            "Run: the network starts as one real 7 and squared error pulls it to the cross. As its marker "
            "reaches the centre of mass, its picture becomes a ghost: every 7 anyone wrote, overlaid.",
            "digit_from_label", "l2", fresh=False, shown=SEVEN),
    _digits("Near the data, and still no one's 7",
            "Measured in all 784 pixels (under the pictures), the mean is about as near its nearest real 7 "
            "as real 7s are to each other. It is not far from the data: it is a ghost, the nearest 7 is sharp.",
            "digit_from_label", "l2", fresh=False, shown=SEVEN),
    _digits("Between two ways of writing",
            "Bottom right: fading one typical 7 into the other makes ghosts. The real 7s found along the "
            "way are all sharp: in-between handwriting exists, averaged pixels do not.",
            "digit_from_label", "l2", fresh=False, shown=SEVEN),
    _digits("Several guesses stay sharp",
            "Min-of-K: four guesses, only the closest pays. No guess is pulled to the centre of all the 7s: "
            "each answers for the 7s nearest it, so the four markers spread out over the dots.",
            "digit_from_label", "min_of_k", shown=SEVEN),
    _digits("Is it a 7 or a 9?",
            "Now fill in the bottom half from a top that could begin a 7 or a 9. The plane shows two clusters, "
            "and L2's answer lands between them: the 7's slant and the 9's stem at once, the blur of inpainting.",
            "bottom_half", "l2", shown=SEVEN_OR_NINE),
    _digits("A GAN stays sharp",
            "A conditional GAN: a critic tells drawn digits from written ones. This one draws by bending "
            "typical real digits, so its samples are whole, sharp strokes (G: a GAN painting pixels from scratch).",
            "digit_from_label", "adversarial", shown=SEVEN),
    _digits("The context encoder's fix",
            "Squared error plus a critic, as in context encoders and pix2pix: the critic pushes the blurry "
            "bottom towards one of the two sharp answers.",
            "bottom_half", "l2_adversarial", shown=SEVEN_OR_NINE),
)


def _properties(title: str, caption: str, count: int, loss: str = "l2", speed: float = 4.0) -> TourStep:
    """A step on the many-properties stage: `count` properties fitted with `loss`; the data-space fit waits
    (on the default scene), so the stage's fit has the processor."""
    view = {"stage": "many_properties", "properties": count, "loss": loss, "run": True}
    return TourStep(title, caption, "sedan_or_suv", "l2", speed=speed, autorun=False, fresh=False, view=view)


PROPERTIES_TOUR: tuple[TourStep, ...] = (
    _properties("One property: a ghost of two cars",
                "A car has a body style, sedan or SUV. L2's answer in pixels is the average of the two: a ghost, "
                "at a density of 0.07 % of the peak.",
                1),
    _properties("Two properties: four kinds",
                "Add a colour, red or blue: four kinds of car at the corners, and L2's answer blends all four. The "
                "density at the answer falls by the same factor again.",
                2),
    _properties("Six properties: 64 kinds",
                "Wheels, a roof box, day or night, facing left or right: 64 kinds of car. L2 averages them into one "
                "picture, at a density that no car has: 1e-17 % of the peak. The strip: blurrier with each property.",
                6),
    _properties("What stays sharp",
                "Min-of-K with one guess per kind of car: only the closest guess pays, so each guess settles on a "
                "kind, and every guess decodes to a sharp car. The mixture's components do the same.",
                6, loss="min_of_k"),
)


# The chapters, in the order a talk takes them.
TOURS: tuple[Tour, ...] = (
    Tour("argument", "Why L2 is blurry", TOUR),
    Tour("why", "The why, drawn", WHY),
    Tour("digits", "Real digits", DIGITS_TOUR),
    Tour("real_data", "Real data: L2 lands where none of them are", REAL_DATA),
    Tour("properties", "Many properties", PROPERTIES_TOUR),
)


def tour_by_id(tour_id: str) -> Tour:
    for tour in TOURS:
        if tour.id == tour_id:
            return tour
    raise KeyError(f"unknown tour {tour_id!r}; choose one of {', '.join(t.id for t in TOURS)}")


def step_after(tours: tuple[Tour, ...], chapter: int, step: int) -> tuple[int, int] | None:
    """The (chapter, step) after `step` of `chapter`: the next step, or the next chapter's first; None
    after the last step of the last chapter. A chapter without steps is passed over."""
    if step + 1 < len(tours[chapter].steps):
        return chapter, step + 1
    for later in range(chapter + 1, len(tours)):
        if tours[later].steps:
            return later, 0
    return None


def step_before(tours: tuple[Tour, ...], chapter: int, step: int) -> tuple[int, int] | None:
    """The (chapter, step) before `step` of `chapter`: the step before, or the previous chapter's last;
    None at the first step of the first chapter."""
    if step > 0:
        return chapter, step - 1
    for earlier in range(chapter - 1, -1, -1):
        if tours[earlier].steps:
            return earlier, len(tours[earlier].steps) - 1
    return None


def check_tour(steps: tuple[TourStep, ...], scene_ids: list[str], loss_ids: tuple[str, ...]) -> None:
    """Raise ValueError if a step names a scene or loss that does not exist, or a bad speed."""
    for i, step in enumerate(steps):
        if step.scene not in scene_ids:
            raise ValueError(f"tour step {i + 1}: unknown scene {step.scene!r}")
        if step.loss not in loss_ids:
            raise ValueError(f"tour step {i + 1}: unknown loss {step.loss!r}")
        if not (step.speed > 0 or math.isinf(step.speed)):
            raise ValueError(f"tour step {i + 1}: speed must be positive")
