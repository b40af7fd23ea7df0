"""A year outside the official tables counts working days only once the administrator declares it complete."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.selection import services as selection
from ganbu.selection.models import Decision, PublicNotice
from ganbu.selection.tests.fixtures import drive

D = dt.date

# The 2027 Spring Festival as an administrator might enter it (illustrative, not the State Council's
# published arrangement): 5–12 February off, Sunday 31 January and Saturday 20 February worked.
SPRING_FESTIVAL_2027 = [D(2027, 2, 5), *(D(2027, 2, d) for d in range(8, 13))]
ADJUSTED_2027 = [D(2027, 1, 31), D(2027, 2, 20)]


@pytest.fixture
def admin(make_user):
    """The system administrator, who keeps the working-day calendar."""
    return make_user("admin", display_name="系统管理员")


def _notice(scene, end: dt.date) -> PublicNotice:
    """Publish the 任前公示 of a record decided on Tue 2 Feb 2027, from Wed 3 Feb to ``end``."""
    return selection.public_notice_publish(
        actor=scene.officer,
        record=scene.record,
        title="任前公示",
        body="赵甲拟任副局长",
        start_date=D(2027, 2, 3),
        end_date=end,
        contact="",
    )


def test_a_single_2027_entry_does_not_make_the_spring_festival_count(scene, admin):
    from ganbu.policy import services

    record = drive(scene, "committee_vote")
    Decision.objects.filter(record=record).update(committee_decided_on=D(2027, 2, 2))
    services.calendar_day_set(actor=admin, day=D(2027, 1, 1), kind="holiday", note="2027年元旦")
    # Before the fix the one entry made 2027 "covered": 3–10 Feb counted 6 working days and passed.
    with pytest.raises(ServiceError) as err:
        _notice(scene, D(2027, 2, 10))
    text = " ".join(err.value.messages)
    assert "工作日历尚未包含 2027 年的节假日安排" in text
    assert not PublicNotice.objects.filter(kind="public_notice").exists()

    for day in SPRING_FESTIVAL_2027:
        services.calendar_day_set(actor=admin, day=day, kind="holiday", note="2027年春节")
    for day in ADJUSTED_2027:
        services.calendar_day_set(actor=admin, day=day, kind="workday", note="2027年春节调休")
    # Entered but not yet declared complete: still refused.
    with pytest.raises(ServiceError, match="尚未包含 2027 年"):
        _notice(scene, D(2027, 2, 10))

    services.calendar_year_complete(actor=admin, year=2027, note="国办发明电〔2026〕X号")
    with pytest.raises(ServiceError) as err:
        _notice(scene, D(2027, 2, 10))  # 3, 4 Feb only: the festival is not counted
    assert "仅 2 个工作日" in " ".join(err.value.messages)
    notice = _notice(scene, D(2027, 2, 17))  # 3, 4, 15, 16, 17 Feb
    assert notice.end_date == D(2027, 2, 17)


def test_declaring_a_year_complete_is_recorded_and_can_be_withdrawn(admin, officer):
    from ganbu.policy import selectors, services
    from ganbu.policy.models import CalendarYear
    from ganbu.rules.workdays import CalendarNotCovered

    with pytest.raises(ServiceError, match="无权修改"):
        services.calendar_year_complete(actor=officer, year=2027, note="x")
    with pytest.raises(ServiceError) as err:
        services.calendar_year_complete(actor=admin, year=2027, note="国办通知")
    assert "尚未录入" in " ".join(err.value.messages)  # nothing entered for 2027 yet
    with pytest.raises(ServiceError) as err:
        services.calendar_year_complete(actor=admin, year=2025, note="国办通知")
    assert "系统已内置" in " ".join(err.value.messages)
    services.calendar_day_set(actor=admin, day=D(2027, 1, 1), kind="holiday", note="元旦")
    with pytest.raises(ServiceError) as err:
        services.calendar_year_complete(actor=admin, year=2027, note=" ")
    assert "note" in err.value.message_dict
    assert not CalendarYear.objects.exists()

    row = services.calendar_year_complete(actor=admin, year=2027, note="国办通知")
    assert (row.year, row.declared_by, row.note) == (2027, admin, "国办通知")
    assert selectors.work_calendar().is_workday(D(2027, 1, 4))
    event = AuditEvent.objects.get(event_type="policy.calendar_year_completed")
    assert event.actor_id == admin.pk and event.reason == "国办通知"
    with pytest.raises(ServiceError, match="已确认"):
        services.calendar_year_complete(actor=admin, year=2027, note="国办通知")

    services.calendar_year_reopen(actor=admin, year=2027, reason="发现漏录调休上班日")
    assert AuditEvent.objects.filter(event_type="policy.calendar_year_reopened").count() == 1
    with pytest.raises(CalendarNotCovered):
        selectors.work_calendar().is_workday(D(2027, 1, 4))
    with pytest.raises(ServiceError, match="尚未确认"):
        services.calendar_year_reopen(actor=admin, year=2027, reason="x")


def test_the_calendar_page_shows_each_year_and_declares_it(admin, officer, client):
    from ganbu.policy import services
    from ganbu.policy.models import CalendarYear

    services.calendar_day_set(actor=admin, day=D(2027, 1, 1), kind="holiday", note="2027年元旦")
    client.force_login(admin)
    page = client.get("/policy/").content.decode()
    assert "2027 年" in page and "放假 1 天，调休上班 0 天" in page and "尚未确认，暂不生效" in page
    bad = client.post("/policy/", {"form": "calendar_year", "year-year": "2027", "year-note": ""})
    assert bad.status_code == 400 and "2027 年：" in bad.content.decode()
    assert not CalendarYear.objects.exists()
    ok = client.post("/policy/", {"form": "calendar_year", "year-year": "2027", "year-note": "国办通知"})
    assert ok.status_code == 302 and CalendarYear.objects.filter(year=2027).exists()
    page = client.get("/policy/").content.decode()
    assert "已确认录入完整" in page and "国办通知" in page
    client.post("/policy/", {"form": "calendar_year_reopen", "year": "2027", "reason": "漏录调休"})
    assert not CalendarYear.objects.exists()
    # Staff may read the page but not declare.
    client.force_login(officer)
    assert "确认该年已录入完整" not in client.get("/policy/").content.decode()
    refused = client.post("/policy/", {"form": "calendar_year", "year-year": "2027", "year-note": "x"})
    assert refused.status_code in (403, 404) and not CalendarYear.objects.exists()
