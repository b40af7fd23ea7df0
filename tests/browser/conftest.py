"""Browser tests: Playwright's sync API driving the system's Chromium against pytest-django's live server.

Chromium is the distribution's ``/usr/bin/chromium`` (no downloaded browser). When it (or the
``playwright`` package) is missing the browser tests are skipped with a message saying so, unless
``GANBU_REQUIRE_BROWSER=1`` is set (CI), in which case they fail: a CI run must not pass silently
without its browser test.

Every page a test opens is watched for Content Security Policy violations (an inline script,
an inline event handler, an injected ``<style>``, a blocked resource): a test whose pages broke
the policy fails at teardown with the violations listed, so the policy and the pages stay in step.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox inside containers; no GPU, and nothing that would phone home (updates, sync, etc.).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail when the environment demands the browser tests run."""
    if os.environ.get("GANBU_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason} GANBU_REQUIRE_BROWSER=1 is set, so browser tests may not be skipped.", pytrace=False
        )
    pytest.skip(f"{reason} Browser tests skipped (set GANBU_REQUIRE_BROWSER=1 to make this an error).")


@pytest.fixture
def chromium_executable() -> str:
    """The path of the system Chromium, after checking it and Playwright are installed."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("The playwright package is not installed.")
    return str(CHROMIUM)


@pytest.fixture
def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repository root (screenshots), created if missing."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class RecordedPage:
    """A Playwright page plus every URL it requested, to prove nothing left the machine."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requested: list[str] = []
        page.on("request", lambda request: self.requested.append(request.url))

    def external_requests(self) -> list[str]:
        """Requested URLs whose host is not this machine (data: and blob: URLs have no host)."""
        return [
            url
            for url in self.requested
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def chromium(chromium_executable: str, live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The system Chromium, launched for one test (no downloaded browser); closed after it.

    Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls
    from it; the test's own database set-up and checks are synchronous, so allow them.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Runs in every page before its own scripts (Playwright injects it past the CSP) and reports each
# ``securitypolicyviolation`` event through a binding; the console message Chromium also prints is
# collected as a second witness.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__ganbuCspViolation(
    e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.documentURI
    + (e.lineNumber ? ":" + e.lineNumber : "") + (e.sample ? " (" + e.sample + ")" : "")
  );
}, true);
"""


@pytest.fixture
def browser_context_factory(chromium: Any) -> Iterator[Any]:
    """``browser_context_factory()`` → a RecordedPage in a new, separate context (its own cookies).

    For tests with two people at once, such as an officer and a member of the public. After the
    test, any Content Security Policy violation on any of its pages fails it.
    """
    contexts: list[Any] = []
    violations: list[str] = []

    def _violation(text: str) -> None:
        violations.append(text)

    def _console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    def _make() -> RecordedPage:
        context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        context.set_default_timeout(15_000)
        context.expose_function("__ganbuCspViolation", _violation)
        context.add_init_script(script=CSP_LISTENER)
        context.on("console", _console)
        contexts.append(context)
        return RecordedPage(context.new_page())

    yield _make
    for context in contexts:
        context.close()
    if violations:
        pytest.fail("Content Security Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def browser_page(browser_context_factory: Any) -> RecordedPage:
    """A fresh Chromium page (1366×900, zh-CN) that records its requests; closed after the test."""
    page: RecordedPage = browser_context_factory()
    return page


@pytest.fixture(scope="session", autouse=True)
def _release_live_server_connections(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Close the live server's leftover PostgreSQL sessions before the test database is dropped.

    The live server answers Chromium from request threads that each open their own connection; a
    thread whose request Chromium abandoned (navigation away mid-request) can still hold one when
    pytest-django drops the test database, which then fails with "is being accessed by other
    users". Runs after the live server stopped (this fixture is set up before it, so torn down after).
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def background_worker(live_server: Any) -> Iterator[None]:
    """The background worker (``ganbu worker``) as a thread on the live server's database.

    Excel imports are queued by the upload and run by the worker, as under ``ganbu serve``.
    """
    import threading

    from ganbu.jobs import worker

    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,), kwargs={"poll": 0.2}, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(30)
