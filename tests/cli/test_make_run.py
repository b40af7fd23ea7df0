"""``make run`` on a busy port says so in Chinese at once, before installing, migrating or loading."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ganbu.portcheck import check
from ganbu.portcheck import main as portcheck

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another program (this test) is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def free_port() -> int:
    """A port nobody listens on (the kernel's choice, released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_busy_port_is_refused_in_chinese_with_the_way_out(busy_port, capsys):
    assert portcheck(["--host", "127.0.0.1", "--port", str(busy_port)]) == 1
    err = capsys.readouterr().err
    assert f"端口 {busy_port} 已被占用" in err
    assert f"make run PORT={busy_port + 1}" in err


def test_a_free_port_passes_quietly(capsys):
    assert portcheck(["--host", "127.0.0.1", "--port", str(free_port())]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("port", ["abc", "0", "70000", "-1"])
def test_a_malformed_port_is_named(port, capsys):
    assert portcheck(["--host", "127.0.0.1", "--port", port]) == 2
    assert f"「{port}」" in capsys.readouterr().err


def test_an_unknown_host_is_named():
    assert "无法使用地址 no-such-host.invalid" in check("no-such-host.invalid", 8000)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_a_busy_port_stops_before_migrating(busy_port, tmp_path):
    """Before this check ``make run`` migrated and loaded the demo for minutes, then gunicorn failed."""
    env = {**os.environ, "GANBU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.pop("MAKEFLAGS", None)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={busy_port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate()
        pytest.fail(f"make run kept going on a busy port:\n{output[-2000:]}")
    assert process.returncode != 0
    assert f"端口 {busy_port} 已被占用" in output
    assert "ganbu migrate" not in output and "ganbu demo" not in output
    assert not (tmp_path / "ganbu.sqlite3").exists()
