"""Data migrations of the registry, run on rows made with the historical models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

D = dt.date
BEFORE = [("registry", "0001_initial")]
AFTER = [("registry", "0003_sanction_periods_computed")]


@pytest.fixture
def migrator(transactional_db: Any) -> Iterator[MigrationExecutor]:
    """An executor at ``BEFORE``; the database is migrated back to the latest state afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_0003_computes_blank_sanction_ends_and_keeps_typed_ones_as_overrides(migrator) -> None:
    """Issue 10, item 6: a 2015 记过 left without an end blocked promotion forever."""
    apps = migrator.loader.project_state(BEFORE).apps
    unit = apps.get_model("registry", "Unit").objects.create(name="县财政局", kind="county_organ")
    cadre = apps.get_model("registry", "Cadre").objects.create(
        name="王林", gender="M", birth_date=D(1980, 5, 17), native_place="示例县", unit=unit
    )
    rows = apps.get_model("registry", "RewardSanction").objects

    def add(name: str, decided: dt.date, until: dt.date | None, kind: str = "sanction") -> int:
        row = rows.create(
            cadre=cadre,
            kind=kind,
            name=name,
            decided_on=decided,
            approving_body="县纪委",
            effective_until=until,
        )
        return int(row.pk)

    blank = add("记过处分", D(2015, 6, 10), None)
    typed_same = add("警告", D(2024, 3, 15), D(2024, 9, 14))
    typed_other = add("警告", D(2024, 3, 15), D(2024, 9, 15))
    admonished = add("诫勉谈话", D(2024, 3, 15), None)
    expelled = add("开除党籍", D(2020, 1, 1), None)
    reward = add("嘉奖", D(2024, 3, 15), None, kind="reward")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    after = executor.loader.project_state(AFTER).apps.get_model("registry", "RewardSanction").objects

    def state(pk: int) -> tuple[str, dt.date | None, str]:
        row = after.get(pk=pk)
        return row.sanction_type, row.effective_until, row.period_override_reason

    assert state(blank) == ("demerit", D(2016, 6, 9), "")
    assert state(typed_same) == ("warning", D(2024, 9, 14), "")
    assert state(typed_other) == (
        "warning",
        D(2024, 9, 15),
        "本系统按处分种类计算影响期之前录入的截止日期，予以保留（依规计算：至2024年9月14日）。",
    )
    # Only the decision can say when an admonishment ends; the blank stays for an officer to fill.
    assert state(admonished) == ("admonishment", None, "")
    assert state(expelled) == ("party_expulsion", None, "")
    assert state(reward) == ("", None, "")
