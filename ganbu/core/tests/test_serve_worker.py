"""``ganbu serve`` runs the background worker next to gunicorn: started, restarted when it dies, stopped."""

from __future__ import annotations

import subprocess
import sys
import time

from ganbu.core.management.commands import serve


def _wait(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_the_worker_is_restarted_when_it_dies_and_stopped_with_the_server(monkeypatch):
    monkeypatch.setattr(serve, "WORKER_RESTART_SECONDS", 0.1)
    spawned = []

    def spawn(self):
        self.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        spawned.append(self.process)

    monkeypatch.setattr(serve.WorkerProcess, "_spawn", spawn)
    background = serve.WorkerProcess()
    background.start()
    try:
        assert len(spawned) == 1
        spawned[0].kill()
        assert _wait(lambda: len(spawned) == 2), "the worker was not restarted"
        assert spawned[1].poll() is None
    finally:
        background.stop()
    assert spawned[1].poll() is not None
    time.sleep(1.5)
    assert len(spawned) == 2  # not restarted once stopping


def test_the_real_worker_command_is_what_serve_starts(monkeypatch):
    started = []

    class FakePopen:
        def __init__(self, args, **kwargs):
            started.append((args, kwargs))

        def poll(self):
            return None

    monkeypatch.setattr(serve.subprocess, "Popen", FakePopen)
    background = serve.WorkerProcess()
    background._spawn()
    ((args, kwargs),) = started
    assert args[1:4] == ["-m", "ganbu.cli", "worker"] and "--exit-with-parent" in args
    assert kwargs["start_new_session"] is True
