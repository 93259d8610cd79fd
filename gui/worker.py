"""The fit in a background thread: one FitWorker on one QThread, steered by FitRunner.

The worker steps the engine's `run` generator a chunk per timer tick (so the thread's event
loop keeps turning) and emits the newest snapshot at most ~60 times a second. The GUI talks to
it only through the engine's lock-guarded FitControl and a few thread-safe flags.
"""

from __future__ import annotations

import math
import threading
import time
import traceback

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from engine.control import FitControl
from engine.settings import FitSettings
from engine.mixture import Mixture

EMIT_INTERVAL = 1 / 60
CHUNK_SECONDS = 0.010  # longest stretch of stepping before the worker looks at its event loop again
IDLE_POLL_MS = 15
PIXEL_INTERVAL = 1 / 30  # seconds between steps of the pixel-space fit
SHUTDOWN_WAIT_MS = 5000  # longer than torch's first import, which the worker may be in the middle of
TORCH_THREADS = 1  # tiny tensors gain nothing from more, and extra threads starve the GUI


class FitWorker(QObject):
    """Lives in the fit thread. Never touches a widget."""

    snapshotReady = Signal(object)
    pixelReady = Signal(object)  # the pixel-space answer (H, W, 3), or None for a loss without one
    failed = Signal(str)

    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str = "cars") -> None:
        super().__init__()
        self.control = FitControl()
        self._initial = (np.array(samples), mixture, settings)
        self._decoder = decoder
        self._next_decoder = decoder
        self._pixel = None
        self._pixel_key = None
        self._pixel_dirty = False
        self._pixel_last = 0.0
        self._lock = threading.Lock()
        self._running = False
        self._single_steps = 0
        self._steps_per_second = math.inf
        self._shutdown = False
        self._timer: QTimer | None = None
        self._fit = None
        self._stream = None
        self._budget = 0.0
        self._last_tick = 0.0
        self._last_emit = 0.0
        self._unsent = None

    # -- called from the GUI thread (thread-safe) -------------------------------------------
    def set_running(self, running: bool) -> None:
        with self._lock:
            self._running = running

    def request_step(self, n: int = 1) -> None:
        with self._lock:
            self._single_steps += n

    def set_steps_per_second(self, rate: float) -> None:
        with self._lock:
            self._steps_per_second = rate

    def set_decoder(self, name: str) -> None:
        with self._lock:
            self._next_decoder = name

    def request_shutdown(self) -> None:
        with self._lock:
            self._shutdown = True
        self.control.stop()

    # -- the worker thread ------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Runs in the fit thread once it starts: build the fit (torch loads here) and tick."""
        try:
            import torch

            torch.set_num_threads(TORCH_THREADS)
            from engine.fit import Fit

            samples, mixture, settings = self._initial
            self._fit = Fit(samples, mixture, settings)
            self._stream = self._steps()
            self._sync_pixel_fit()
            self._emit(self._fit.snapshot())
        except Exception as exc:  # report, never leave the thread hanging
            self.failed.emit(f"The fit could not start: {exc}")
        self._timer = QTimer()
        self._timer.setSingleShot(False)
        self._timer.timeout.connect(self._tick)
        self._timer.start(0)
        self._last_tick = time.perf_counter()

    def _steps(self):
        """Snapshots, one per step; a fresh generator after a divergence or an error."""
        from engine.fit import run

        while True:
            yield from run(self._fit, self.control)
            if self.control.stopped:
                return
            # Otherwise the fit diverged and its last snapshot said so; a later Run starts a new stream.

    def _tick(self) -> None:
        with self._lock:
            shutdown, running, single, rate = self._shutdown, self._running, self._single_steps, self._steps_per_second
            self._single_steps = 0
        if shutdown:
            self._timer.stop()
            QThread.currentThread().quit()
            return
        now = time.perf_counter()
        elapsed, self._last_tick = now - self._last_tick, now
        if self._fit is None:
            self._timer.setInterval(IDLE_POLL_MS)
            return
        try:
            if self.control.pending():
                self.control.apply(self._fit)
                self._sync_pixel_fit()
                self._unsent = self._fit.snapshot()
            if single:
                self._advance(single, deadline=now + 0.5)
                self._step_pixel_fit(force=True)
            if running:
                self._budget = min(self._budget + elapsed * rate, max(rate * 0.1, 1.0))
                want = math.inf if math.isinf(rate) else int(self._budget)
                if want >= 1:
                    # stop stepping when the next frame is due, so frames leave on time
                    deadline = min(now + CHUNK_SECONDS, self._last_emit + EMIT_INTERVAL)
                    done = self._advance(want, deadline=deadline)
                    self._budget = 0.0 if math.isinf(rate) else self._budget - done
                self._step_pixel_fit()
            self._timer.setInterval(self._interval_ms(running, rate))
            due = time.perf_counter() - self._last_emit >= EMIT_INTERVAL - 0.001
            if self._unsent is not None and (not running or due):
                self._emit(self._unsent)
        except Exception as exc:
            self.set_running(False)
            self._stream = self._steps()  # the old generator died with the exception
            self.failed.emit(f"The fit stopped with an error: {exc}")
            traceback.print_exc()

    @staticmethod
    def _interval_ms(running: bool, rate: float) -> int:
        if not running:
            return IDLE_POLL_MS
        if math.isinf(rate):
            return 0
        return int(min(max(1000.0 / rate, 1.0), 16.0))

    def _advance(self, n: float, deadline: float) -> int:
        """Take up to n steps, at least one, stopping at the deadline; returns how many were taken."""
        done = 0
        while done < n:
            snap = next(self._stream, None)
            if snap is None:  # shutting down
                break
            self._unsent = snap
            if snap.diverged:
                self.set_running(False)
                break
            done += 1
            if time.perf_counter() >= deadline:
                break
        return done

    # -- the pixel-space fit, alongside the main one ------------------------------------------------
    def _sync_pixel_fit(self) -> None:
        """Follow the main fit: new data images after a data change, a fresh grey image after a reset
        or a new loss, none for a loss without a pixel-space fit."""
        from engine.pixel_fit import PIXEL_LOSSES, PixelFit, data_images_for

        fit = self._fit
        with self._lock:
            decoder = self._next_decoder
        if decoder != self._decoder:
            self._decoder, self._pixel, self._pixel_key = decoder, None, None
        key = (fit.data_version, fit.settings.loss, fit.resets)
        if key == self._pixel_key:
            return
        old, self._pixel_key = self._pixel_key, key
        if fit.settings.loss not in PIXEL_LOSSES:
            self._pixel = None
        else:
            images = data_images_for(fit.samples, self._decoder)
            if self._pixel is not None and old is not None and old[1:] == key[1:]:
                self._pixel.set_images(images)  # only the data moved: go on from the current image
            else:
                self._pixel = PixelFit(images, fit.settings.loss)
        self._pixel_dirty = True

    def _step_pixel_fit(self, force: bool = False) -> None:
        """A pixel step every other frame while the fit runs, until it settles (a step costs milliseconds,
        a main step a fraction of one)."""
        self._sync_pixel_fit()
        if self._pixel is None or (self._pixel.settled and not force):
            return
        now = time.perf_counter()
        if force or now - self._pixel_last >= PIXEL_INTERVAL:
            self._pixel_last = now
            self._pixel.step()
            self._pixel_dirty = True

    def _emit(self, snap) -> None:
        self._unsent = None
        self._last_emit = time.perf_counter()
        if self._pixel_dirty:
            self._pixel_dirty = False
            self.pixelReady.emit(None if self._pixel is None else self._pixel.result())
        self.snapshotReady.emit(snap)


class FitRunner(QObject):
    """Owns the fit thread and its worker, from the GUI thread. Forwards state to the worker."""

    snapshotReady = Signal(object)
    pixelReady = Signal(object)
    failed = Signal(str)
    runningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self.worker: FitWorker | None = None
        self.running = False

    def start(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, steps_per_second: float,
              decoder: str = "cars") -> None:
        self._thread = QThread()
        self._thread.setObjectName("fit")
        self.worker = FitWorker(samples, mixture, settings, decoder)
        self.worker.set_steps_per_second(steps_per_second)
        self.worker.moveToThread(self._thread)
        self.worker.snapshotReady.connect(self._on_worker_snapshot)
        self.worker.pixelReady.connect(self._on_worker_pixel)
        self.worker.failed.connect(self._on_worker_failed)
        self._thread.started.connect(self.worker.start)
        self._thread.start()

    @property
    def started(self) -> bool:
        return self.worker is not None

    @Slot(object)
    def _on_worker_snapshot(self, snap) -> None:
        if snap.diverged and self.running:
            self.set_running(False)
        self.snapshotReady.emit(snap)

    @Slot(object)
    def _on_worker_pixel(self, image) -> None:
        self.pixelReady.emit(image)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.set_running(False)
        self.failed.emit(message)

    def set_running(self, running: bool) -> None:
        self.running = running
        if self.worker:
            self.worker.set_running(running)
        self.runningChanged.emit(running)

    def step(self) -> None:
        if self.worker:
            self.worker.request_step()

    def reset(self) -> None:
        if self.worker:
            self.worker.control.reset()

    def set_data(self, samples: np.ndarray, mixture: Mixture) -> None:
        if self.worker:
            self.worker.control.set_data(samples, mixture)

    def set_settings(self, settings: FitSettings) -> None:
        if self.worker:
            self.worker.control.set_settings(settings)

    def set_steps_per_second(self, rate: float) -> None:
        if self.worker:
            self.worker.set_steps_per_second(rate)

    def set_decoder(self, name: str) -> None:
        if self.worker:
            self.worker.set_decoder(name)

    def shutdown(self) -> None:
        """Stop the thread and wait for it; safe to call twice."""
        if self._thread is None:
            return
        self.worker.request_shutdown()
        self._thread.requestInterruption()
        # The worker stops its own timer (timers belong to their thread) and then quits the loop.
        if not self._thread.wait(SHUTDOWN_WAIT_MS):
            self._thread.quit()
            self._thread.wait()
        self.worker.snapshotReady.disconnect(self._on_worker_snapshot)
        self.worker.pixelReady.disconnect(self._on_worker_pixel)
        self.worker.failed.disconnect(self._on_worker_failed)
        self._thread = None
        self.worker = None
