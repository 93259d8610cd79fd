"""The fit in the background: one FitWorker on one QThread, steered by FitRunner from the GUI thread.

The worker starts the engine's fit service in a child process (engine/fit_service.py says why a
process) and relays: the GUI's commands go to it through a lock-guarded outbox and a pipe; its
events come back through another pipe, read by a small reader thread into a lock-guarded inbox
(so neither side can block the other on a full pipe), and leave the worker as queued signals,
newest snapshot only, so a slow frame never makes the GUI draw stale ones. The worker never
touches a widget.
"""

from __future__ import annotations

import multiprocessing
import threading

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from engine.fit_service import serve
from engine.mixture import Mixture
from engine.settings import FitSettings

POLL_MS = 2  # how often the worker looks for events from the fit process
SHUTDOWN_WAIT_MS = 10000  # the worker waits for the fit process to finish its current tick
PROCESS_EXIT_S = 3.0  # after this the fit process is terminated rather than waited for


class FitWorker(QObject):
    """Lives in the fit thread; owns the fit process and its two pipes."""

    snapshotReady = Signal(object)
    pixelReady = Signal(object)  # the pixel-space answer (H, W, 3), or None for a loss without one
    failed = Signal(str)
    processEnded = Signal()  # the fit process died (killed, out of memory): the runner starts another

    def __init__(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, decoder: str = "cars",
                 pace: dict | None = None) -> None:
        super().__init__()
        self._initial = (np.array(samples), mixture, settings, decoder, pace)
        self._lock = threading.Lock()
        self._outbox: list[tuple] = []
        self._inbox: dict[str, object] = {}  # newest "snapshot" and "pixel", filled by the reader thread
        self._errors: list[str] = []
        self._reader: threading.Thread | None = None
        self._shutdown = False
        self._ended = False  # the fit process went away without being asked to
        self._timer: QTimer | None = None
        self._process = None
        self._commands = None
        self._events = None

    # -- called from the GUI thread (thread-safe) -------------------------------------------------
    def post(self, message: tuple) -> None:
        """Queue a command for the fit process (see engine/fit_service.py for the commands)."""
        with self._lock:
            if message[0] in ("data", "settings", "rate", "decoder"):
                # only the newest of these matters: drop a queued older one
                self._outbox = [m for m in self._outbox if m[0] != message[0]]
            self._outbox.append(message)

    def request_shutdown(self) -> None:
        with self._lock:
            self._shutdown = True

    # -- the worker thread --------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Runs in the fit thread once it starts: launch the fit process, then poll."""
        samples, mixture, settings, decoder, pace = self._initial
        context = multiprocessing.get_context("spawn")  # a fork would copy the GUI's threads and Qt state
        command_out, command_in = context.Pipe(duplex=False)
        event_out, event_in = context.Pipe(duplex=False)
        self._process = context.Process(
            target=serve, args=(command_out, event_in, samples, mixture, settings, decoder, pace),
            name="blurlab-fit", daemon=True,
        )
        try:
            self._process.start()
        except Exception as exc:  # report, never leave the thread hanging
            self.failed.emit(f"The fit could not start: {exc}")
            self._process = None
        command_out.close()
        event_in.close()
        self._commands, self._events = command_in, event_out
        if self._process is not None:
            self._reader = threading.Thread(target=self._read_events, name="blurlab-fit-events", daemon=True)
            self._reader.start()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(POLL_MS)

    def _read_events(self) -> None:
        """The reader thread: keep the event pipe drained, so the fit process never waits on it."""
        while True:
            try:
                kind, payload = self._events.recv()
            except (EOFError, OSError):
                with self._lock:
                    self._ended = not self._shutdown
                return
            with self._lock:
                if kind == "error":
                    self._errors.append(payload)
                else:
                    self._inbox[kind] = payload

    def _tick(self) -> None:
        with self._lock:
            shutdown, outbox, self._outbox = self._shutdown, self._outbox, []
            inbox, self._inbox = self._inbox, {}
            errors, self._errors = self._errors, []
            ended, self._ended = self._ended, False
        if shutdown:
            self._stop()
            return
        if self._process is None:
            return
        try:
            for message in outbox:
                self._commands.send(message)
        except (BrokenPipeError, OSError):
            ended = True
        for message in errors:
            self.failed.emit(message)
        if ended:
            self._process = None
            self.processEnded.emit()
            return
        if "pixel" in inbox:
            self.pixelReady.emit(inbox["pixel"])
        if "snapshot" in inbox:
            self.snapshotReady.emit(inbox["snapshot"])

    def _stop(self) -> None:
        """Stop the fit process and this thread's loop, from this thread (timers belong to it)."""
        self._timer.stop()
        if self._process is not None:
            try:
                self._commands.send(("stop",))
            except (BrokenPipeError, OSError):
                pass
            self._process.join(PROCESS_EXIT_S)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(PROCESS_EXIT_S)
        if self._reader is not None:
            self._reader.join(PROCESS_EXIT_S)  # the process has gone: its pipe ends, and so does the reader
        for pipe in (self._commands, self._events):
            if pipe is not None:
                pipe.close()
        QThread.currentThread().quit()

    @property
    def process_alive(self) -> bool:
        return self._process is not None and self._process.is_alive()


class FitRunner(QObject):
    """Owns the fit thread and its worker, from the GUI thread. Forwards state to the worker."""

    snapshotReady = Signal(object)
    pixelReady = Signal(object)
    failed = Signal(str)
    runningChanged = Signal(bool)
    processEnded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self.worker: FitWorker | None = None
        self.running = False

    def start(self, samples: np.ndarray, mixture: Mixture, settings: FitSettings, steps_per_second: float,
              decoder: str = "cars", pace: dict | None = None) -> None:
        """Start the fit thread and process. `pace` overrides the service's timing (tests use it)."""
        self._thread = QThread()
        self._thread.setObjectName("fit")
        self.worker = FitWorker(samples, mixture, settings, decoder, pace)
        self.worker.post(("rate", steps_per_second))
        self.worker.moveToThread(self._thread)
        self.worker.snapshotReady.connect(self._on_worker_snapshot)
        self.worker.pixelReady.connect(self._on_worker_pixel)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.processEnded.connect(self._on_worker_process_ended)
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

    @Slot()
    def _on_worker_process_ended(self) -> None:
        self.set_running(False)
        self.processEnded.emit()

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.set_running(False)
        self.failed.emit(message)

    def _post(self, message: tuple) -> None:
        if self.worker:
            self.worker.post(message)

    def set_running(self, running: bool) -> None:
        self.running = running
        self._post(("run", running))
        self.runningChanged.emit(running)

    def step(self) -> None:
        self._post(("step", 1))

    def reset(self) -> None:
        self._post(("reset",))

    def set_data(self, samples: np.ndarray, mixture: Mixture) -> None:
        self._post(("data", np.array(samples), mixture))

    def set_settings(self, settings: FitSettings) -> None:
        self._post(("settings", settings))

    def set_steps_per_second(self, rate: float) -> None:
        self._post(("rate", rate))

    def set_decoder(self, name: str) -> None:
        self._post(("decoder", name))

    def shutdown(self) -> None:
        """Stop the process and the thread and wait for both; safe to call twice."""
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
        self.worker.processEnded.disconnect(self._on_worker_process_ended)
        self._thread = None
        self.worker = None
