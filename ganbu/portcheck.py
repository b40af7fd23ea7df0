"""Is the address ``make run`` is about to serve on free? Said in Chinese, before anything else runs.

Why a script of the standard library only: ``make run`` asks it first, before creating the virtual
environment, migrating and loading the demo county (minutes on a fresh machine), so that a busy
port is reported at once instead of by gunicorn after all that, in English. Run it as
``python3 ganbu/portcheck.py --host 127.0.0.1 --port 8000`` or ``ganbu portcheck``; exit status 0
when the port is free, 1 when it is taken or cannot be used, 2 for a malformed port.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys

MSG_BUSY = (
    "端口 {port} 已被占用：{host}:{port} 上已有程序在运行（可能是另一个 make run）。\n"
    "请换一个端口，例如：make run PORT={next}；或先停止占用该端口的程序。"
)
MSG_DENIED = (
    "没有权限使用端口 {port}（1024 以下的端口需要管理员权限）。请换一个端口，例如：make run PORT=8000。"
)
MSG_HOST = "无法使用地址 {host}：{reason}。请检查 HOST，例如：make run HOST=127.0.0.1。"
MSG_PORT = "端口须是 1 到 65535 之间的整数，收到的是「{port}」。"


def check(host: str, port: int) -> str:
    """An empty string when ``host:port`` can be listened on, else the Chinese reason it cannot.

    Binds the way gunicorn does (``SO_REUSEADDR``), so a port left in TIME_WAIT by a server that
    has just stopped counts as free, and one another program listens on counts as taken.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return MSG_HOST.format(host=host, reason=exc.strerror)
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return MSG_BUSY.format(host=host, port=port, next=port + 1 if port < 65535 else 8001)
            if exc.errno == errno.EACCES:
                return MSG_DENIED.format(port=port)
            return MSG_HOST.format(host=host, reason=exc.strerror or str(exc))
    return ""


def main(argv: list[str] | None = None) -> int:
    """Check ``--host``/``--port``; print the reason on stderr and return 1 when they cannot be used."""
    parser = argparse.ArgumentParser(prog="ganbu portcheck", description="检查服务端口是否可用。")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    port = str(args.port).strip()
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        print(MSG_PORT.format(port=args.port), file=sys.stderr)
        return 2
    problem = check(args.host, int(port))
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
