"""The pictures thread (gui.support.background): jobs run beside the window's thread, the newest of each
kind replaces one still waiting, results come back on the window's thread in order, and a failing job
or a closed owner breaks nothing."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from gui.support.background import Background


def _owner(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_jobs_run_beside_the_window_thread_and_come_back_on_it(qtbot):
    background = Background(_owner(qtbot))
    seen = {}
    background.submit("fit", threading.current_thread,
                      lambda worker: seen.update(work=worker, then=threading.current_thread()))
    qtbot.waitUntil(lambda: "then" in seen, timeout=5000)
    assert seen["work"] is not threading.main_thread()
    assert seen["then"] is threading.main_thread()
    qtbot.waitUntil(lambda: not background.busy(), timeout=5000)


def test_a_waiting_job_is_replaced_by_the_newest_of_its_kind(qtbot):
    background = Background(_owner(qtbot))
    release = threading.Event()
    shown = []
    background.submit("data", lambda: release.wait(5) and "data", shown.append)  # holds the thread
    for frame in range(1, 6):  # a running fit's frames, faster than they can be drawn
        background.submit("fit", lambda frame=frame: frame, shown.append)
    release.set()
    background.drain()
    assert shown == ["data", 5]  # the frames in between were never drawn
    assert not background.busy()


def test_drain_shows_every_result_now_and_each_once(qtbot):
    background = Background(_owner(qtbot))
    shown = []
    background.submit("data", lambda: "strip", shown.append)
    background.submit("fit", lambda: "answer", shown.append)
    background.drain()  # as an export does: no event loop in between
    assert shown == ["strip", "answer"]
    qtbot.wait(50)  # the thread's own notices arrive later and show nothing twice
    assert shown == ["strip", "answer"]


def test_a_failing_job_leaves_the_next_one_running(qtbot, capsys):
    background = Background(_owner(qtbot))
    shown = []
    background.submit("data", lambda: 1 / 0, shown.append)
    background.submit("fit", lambda: "answer", shown.append)
    background.drain()
    assert shown == ["answer"]
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_nothing_is_shown_once_the_owner_is_gone(qtbot):
    owner = QWidget()
    background = Background(owner)
    release = threading.Event()
    shown = []
    background.submit("fit", lambda: release.wait(5) and "late", shown.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=5000)
    release.set()
    background.drain()
    assert shown == []


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_a_job_that_ends_as_the_app_does_ends_quietly(qtbot, monkeypatch):
    """At exit Qt's objects go while a job may still run: its result has nowhere to go, and the thread
    ends without a traceback (it printed "Signal source has been deleted" on about one exit in seven)."""
    import shiboken6

    from gui.support import background as module

    monkeypatch.setattr(module, "_relay", None)  # a relay of this test's own, to delete
    background = Background(_owner(qtbot))
    errors = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    release = threading.Event()
    background.submit("fit", lambda: release.wait(5) and "late", lambda _: None)
    shiboken6.delete(module._relay)
    release.set()
    qtbot.waitUntil(lambda: not background.busy(), timeout=5000)
    assert errors == []
