"""FitControl: the lock-guarded mailbox through which another thread steers a running fit."""

from __future__ import annotations

import threading

import numpy as np

from engine.mixture import Mixture
from engine.settings import FitSettings


class FitControl:
    """A lock-guarded mailbox through which another thread steers a running fit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: tuple[np.ndarray, Mixture] | None = None
        self._settings: FitSettings | None = None
        self._reset = False
        self._stop = threading.Event()

    def set_data(self, samples: np.ndarray, mixture: Mixture) -> None:
        with self._lock:
            self._data = (np.array(samples, dtype=float), mixture)

    def set_settings(self, settings: FitSettings) -> None:
        with self._lock:
            self._settings = settings

    def reset(self) -> None:
        with self._lock:
            self._reset = True

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def pending(self) -> bool:
        with self._lock:
            return self._data is not None or self._settings is not None or self._reset

    def apply(self, fit) -> bool:
        """Hand every pending command to the fit, oldest kind first; True if anything changed."""
        with self._lock:
            data, settings, reset = self._data, self._settings, self._reset
            self._data, self._settings, self._reset = None, None, False
        if data is not None:
            fit.set_data(*data)
        if settings is not None and settings != fit.settings:
            fit.set_settings(settings)
        if reset:
            fit.reset()
        return data is not None or settings is not None or reset
