"""The fit process's whole life: say hello, build the fit service, then read commands and send events
until told to stop or until the window goes away.

This module stays light (no torch at import): the window names `serve` as the process's target.
One receive path (`commands.recv`) and one send path (`send`): a message that is not a well-formed
command is answered with a Problem, and the process goes on.
"""

from __future__ import annotations

import os
import traceback

from engine.fit.protocol import VERSION, Hello, Problem, ProtocolError, Start, check_command

TORCH_THREADS = 1  # tiny tensors gain nothing from more threads, and extra threads collapse on a busy core
# The fit steps flat out while the window and the display server draw in bursts: below them in priority,
# the fit gives way when they need a core and still has all the time between.
NICENESS = 10


def serve(commands, events, start: Start) -> None:
    """Run a fit service on the two pipe ends (commands in, events out) until Stop or a closed pipe."""

    def send(event) -> None:
        events.send(event)

    try:
        send(Hello(VERSION))
        if not isinstance(start, Start) or start.version != VERSION:
            version = getattr(start, "version", None)
            send(Problem(f"The window speaks protocol version {version}, the fit process version {VERSION}: "
                         "BlurLab was updated while it ran. Restart BlurLab."))
            return
        import torch

        from engine.fit.service import FitService

        torch.set_num_threads(TORCH_THREADS)
        try:
            service = FitService(start.samples, start.mixture, start.settings, start.decoder, span=start.span,
                                 pacing=start.pacing)
        except Exception as exc:
            send(Problem(f"The fit could not start: {exc}"))
            return
        if hasattr(os, "nice"):  # after start-up, which a busy machine would otherwise slow; not on Windows
            os.nice(NICENESS)
        while True:
            if commands.poll(service.wait_time()):
                while commands.poll():
                    try:
                        if not service.handle(_receive(commands)):
                            return
                    except ProtocolError as exc:
                        send(Problem(f"The fit process refused a message: {exc}"))
            for event in service.tick():
                send(event)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the window is gone


def _receive(commands):
    """The next command off the pipe; one that cannot even be unpickled is a ProtocolError too."""
    try:
        message = commands.recv()
    except (EOFError, OSError):
        raise
    except Exception as exc:  # a class this side does not know, a truncated pickle
        traceback.print_exc()
        raise ProtocolError(f"a message could not be read ({type(exc).__name__}: {exc})") from None
    return check_command(message)
