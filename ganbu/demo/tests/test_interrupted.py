"""A demo load killed half-way (issue 11, item 8): found on the next run, cleared and loaded again when the
database holds only demo data, otherwise the command says exactly how to start clean."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ganbu.accounts.models import User
from ganbu.core.audit import audit_verify
from ganbu.core.models import AuditEvent
from ganbu.demo import services
from ganbu.demo.models import DemoLoad
from ganbu.registry.models import Cadre
from ganbu.voting.models import Ballot

pytestmark = pytest.mark.django_db(transaction=True)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="clearing in place is SQLite's: PostgreSQL keeps its audit table"
)

SCALE = "0.1"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it."""


@pytest.fixture(autouse=True)
def _clear_content_type_cache():
    yield
    ContentType.objects.clear_cache()  # flush recreates the content types with new ids


@pytest.fixture
def half_loaded(monkeypatch):
    """The registry committed, the workflows killed after their first steps."""
    original = services.demo_workflows_load

    def killed(*, seed, progress=None, **kwargs):
        def step(n, steps, label):
            if n >= 2:
                raise Killed

        original(seed=seed, progress=step, **kwargs)

    monkeypatch.setattr(services, "demo_workflows_load", killed)
    with pytest.raises(Killed):
        call_command("demo", "--scale", SCALE, stdout=io.StringIO())
    monkeypatch.undo()
    assert Cadre.objects.exists() and DemoLoad.objects.get().finished_at is None


def run(*args):
    out = io.StringIO()
    call_command("demo", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


@on_sqlite
def test_make_run_finds_the_half_loaded_demo_and_loads_it_again_cleanly(half_loaded):
    cadres_before = Cadre.objects.count()
    out = run("--if-empty")
    assert "上次载入示例数据" in out and "没有完成" in out and "示例县已载入" in out
    load = DemoLoad.objects.get()
    assert load.finished_at is not None
    assert Ballot.objects.exists()  # the workflows ran to the end this time
    assert Cadre.objects.count() >= cadres_before
    loaded = AuditEvent.objects.get(event_type="demo.loaded")
    assert "清除示例数据后重新载入" in loaded.reason
    assert not AuditEvent.objects.filter(seq__lt=loaded.seq).exclude(event_type="user.created").exists()
    assert audit_verify().ok
    # And once complete, make run leaves it alone.
    assert "不再载入示例数据" in run("--if-empty")


def test_without_a_flag_the_command_says_how_to_start_clean(half_loaded):
    expected = r"ganbu demo --reset" if connection.vendor == "sqlite" else "dropdb"
    with pytest.raises(CommandError, match=expected):
        run()
    assert DemoLoad.objects.get().finished_at is None


def test_with_other_accounts_nothing_is_cleared_and_the_way_is_said(half_loaded):
    User.objects.create_user(username="zhangsan", password="pass-word-123")
    cadres = Cadre.objects.count()
    for args in ((), ("--if-empty",), ("--reset",)):
        with pytest.raises(CommandError) as err:
            run(*args)
        assert "zhangsan" in str(err.value) and "ganbu backup" in str(err.value)
    assert Cadre.objects.count() == cadres


def test_on_postgresql_the_command_says_to_recreate_the_database(half_loaded, monkeypatch):
    from ganbu.demo.management.commands import demo as command
    from ganbu.demo.selectors import demo_state

    monkeypatch.setattr(
        command, "demo_state", lambda: demo_state().__class__(**{**demo_state().__dict__, "sqlite": False})
    )
    with pytest.raises(CommandError, match="dropdb"):
        run("--if-empty")


@on_sqlite
def test_reset_reloads_a_complete_demo_and_refuses_a_database_not_only_demo():
    run()
    first = Cadre.objects.count()
    out = run("--reset")
    assert "正在清除示例数据" in out and "示例县已载入" in out
    assert Cadre.objects.count() == first and DemoLoad.objects.get().finished_at is not None
    assert audit_verify().ok
    User.objects.create_user(username="lisi", password="pass-word-123")
    with pytest.raises(CommandError, match="lisi"):
        run("--reset")
