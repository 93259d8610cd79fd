"""FitControl: the commands waiting for a fit, applied between its steps.

Only the newest data and the newest settings matter (a drag sends new data many times a second, and
each change costs the pixel-space fit a batch of decoded images), so a newer one replaces one still
waiting. One thread owns it, with the fit: the fit service in the fit process, or a test.
"""

from __future__ import annotations

import numpy as np

from engine.model.mixture import Mixture
from engine.model.settings import FitSettings


class FitControl:
    """Commands waiting for a fit: the newest data, the newest settings, a new span, a reset."""

    def __init__(self) -> None:
        self._data: tuple[np.ndarray, Mixture] | None = None
        self._settings: FitSettings | None = None
        self._reset = False
        self._span: tuple | None | bool = False  # False: no new span waiting

    def set_data(self, samples: np.ndarray, mixture: Mixture) -> None:
        self._data = (np.array(samples, dtype=float), mixture)

    def set_settings(self, settings: FitSettings) -> None:
        self._settings = settings

    def set_span(self, span: tuple | None) -> None:
        """The units of a new scene's points (engine.model.units), applied before its data."""
        self._span = span

    def reset(self) -> None:
        self._reset = True

    def pending(self) -> bool:
        return self._data is not None or self._settings is not None or self._reset or self._span is not False

    def apply(self, fit) -> bool:
        """Hand every waiting command to the fit (data, then settings, then a reset); True if any was."""
        data, settings, reset, span = self._data, self._settings, self._reset, self._span
        self._data, self._settings, self._reset, self._span = None, None, False, False
        if span is not False:
            fit.set_span(span)
        if data is not None:
            fit.set_data(*data)
        if settings is not None and settings != fit.settings:
            fit.set_settings(settings)
        if reset:
            fit.reset()
        return data is not None or settings is not None or reset or span is not False
