"""谈话 pages: the list with filters and fixed queries, each kind's form (errors re-render, nothing
written), the 函询 answer and a planned talk held on the detail page, and who gets 404."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ganbu.registry.models import RewardSanction
from ganbu.registry.tests.factories import CadreFactory
from ganbu.talks import services
from ganbu.talks.choices import TalkKind, TalkStatus
from ganbu.talks.models import Talk

D = dt.date


def _talk(actor, cadre, **kw):
    values = {"kind": TalkKind.REMINDER, "held_on": D(2025, 3, 4), "talkers": "王某", "issue": "提醒事项"}
    values.update(kw)
    return services.talk_record(actor=actor, cadre=cadre, **values)


def test_list_filters_and_fixed_queries(client, supervisor, tree, cadre):
    client.force_login(supervisor)
    _talk(supervisor, cadre, held_on=D(2024, 5, 1))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/talks/").status_code == 200
    town = CadreFactory(unit=tree.town, name="镇长甲")
    for n in range(5):
        _talk(supervisor, town, kind=TalkKind.SECRETARY, held_on=D(2025, 1, 1 + n))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/talks/").content.decode()
    assert len(many) == len(few)
    assert "镇长甲" in page and "纪委书记谈话" in page
    filtered = client.get("/talks/", {"kind": TalkKind.REMINDER, "year": "2024"}).content.decode()
    assert "周谈话" in filtered and "镇长甲" not in filtered
    by_unit = client.get("/talks/", {"unit": tree.town.pk}).content.decode()
    assert "镇长甲" in by_unit and "周谈话" not in by_unit
    assert client.get("/talks/", {"kind": "x", "year": "abc", "unit": "-1"}).status_code == 200


def test_roles_without_supervision_get_404(client, unit_officer, make_user, cadre, supervisor):
    talk = _talk(supervisor, cadre)
    leader = make_user("org_leader")
    for user in (unit_officer, make_user("committee_member"), make_user("cadre")):
        client.force_login(user)
        assert client.get("/talks/").status_code == 404
        assert client.get(f"/talks/{talk.pk}/").status_code == 404
        assert client.get("/talks/new/reminder_talk/").status_code == 404
    client.force_login(leader)
    assert client.get(f"/talks/{talk.pk}/").status_code == 200
    assert client.get("/talks/new/reminder_talk/").status_code == 404
    assert client.post(f"/talks/{talk.pk}/", {"action": "hold"}).status_code == 404


def test_reminder_form_records_and_errors_rerender(client, supervisor, cadre):
    client.force_login(supervisor)
    assert client.get("/talks/new/nope/").status_code == 404
    bad = client.post(
        "/talks/new/reminder_talk/",
        {
            "cadre": cadre.pk,
            "held_on": "2099-01-01",
            "talkers": "王某",
            "talker_body": "discipline",
            "issue": "甲",
        },
    )
    assert bad.status_code == 200 and "晚于今天" in bad.content.decode()
    assert not Talk.objects.exists()
    ok = client.post(
        "/talks/new/reminder_talk/",
        {
            "cadre": cadre.pk,
            "held_on": "2025-03-04",
            "talkers": "王某",
            "talker_body": "discipline",
            "issue": "甲",
        },
    )
    talk = Talk.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/talks/{talk.pk}/"
    assert "提醒谈话" in client.get(ok["Location"]).content.decode()


def test_admonishment_form_shows_the_period(client, officer, cadre):
    client.force_login(officer)
    form = client.get(f"/talks/new/admonishment/?cadre={cadre.pk}").content.decode()
    assert "现为6个月" in form and "周谈话" in form
    response = client.post(
        "/talks/new/admonishment/",
        {
            "cadre": cadre.pk,
            "decided_on": "2025-01-10",
            "talkers": "李部长",
            "talker_body": "organization",
            "issue": "违反工作纪律",
        },
    )
    talk = Talk.objects.get()
    assert response.status_code == 302
    page = client.get(f"/talks/{talk.pk}/").content.decode()
    assert "2025-01-10 至 2025-07-09（6个月）" in page
    # Rule IDs only in the details toggle, not in the words shown.
    assert "DISC-08" not in page.split("<details")[0]
    assert RewardSanction.objects.filter(pk=talk.sanction_id).exists()


def test_inquiry_answered_on_the_detail_page(client, supervisor, cadre):
    client.force_login(supervisor)
    talk = _talk(supervisor, cadre, kind=TalkKind.INQUIRY, answer_due_on=D(2025, 3, 25))
    page = client.get(f"/talks/{talk.pk}/").content.decode()
    assert "登记书面回复" in page and "已逾期" in page
    bad = client.post(
        f"/talks/{talk.pk}/",
        {"action": "answer", "answer-answered_on": "2025-03-01", "answer-answer": "说明"},
    )
    assert bad.status_code == 200 and "不能早于函件发出日期" in bad.content.decode()
    ok = client.post(
        f"/talks/{talk.pk}/",
        {"action": "answer", "answer-answered_on": "2025-03-20", "answer-answer": "说明"},
    )
    assert ok.status_code == 302
    talk.refresh_from_db()
    assert talk.status == TalkStatus.ANSWERED and talk.answer == "说明"
    assert client.post(f"/talks/{talk.pk}/", {"action": "other"}).status_code == 404


def test_planned_talk_held_on_the_detail_page(client, supervisor, cadre):
    client.force_login(supervisor)
    today = timezone.localdate()
    talk = _talk(supervisor, cadre, held_on=today + dt.timedelta(days=2), planned=True)
    assert "登记谈话情况" in client.get(f"/talks/{talk.pk}/").content.decode()
    ok = client.post(
        f"/talks/{talk.pk}/",
        {"action": "hold", "hold-held_on": today.isoformat(), "hold-follow_up": "按期整改"},
    )
    assert ok.status_code == 302
    talk.refresh_from_db()
    assert talk.status == TalkStatus.HELD and talk.follow_up == "按期整改"


def test_integrity_form_keeps_the_record_link(client, supervisor, cadre):
    client.force_login(supervisor)
    page = client.get(f"/talks/new/integrity_talk/?cadre={cadre.pk}&record=999999").content.decode()
    assert page.count('name="record"') == 1
    response = client.post(
        "/talks/new/integrity_talk/",
        {
            "cadre": cadre.pk,
            "held_on": "2025-03-04",
            "talkers": "王某",
            "talker_body": "joint",
            "issue": "任前廉政谈话",
            "record": "999999",
        },
    )
    assert response.status_code == 200 and "选拔任用纪实不存在" in response.content.decode()
    assert not Talk.objects.exists()


def test_a_held_talk_links_its_record_as_a_document_and_a_planned_one_does_not(client, supervisor, cadre):
    client.force_login(supervisor)
    held = _talk(supervisor, cadre)
    word = f"/filled/talk_record/{held.pk}.docx"
    assert word in client.get(f"/talks/{held.pk}/").content.decode()
    assert client.get(word).status_code == 200
    planned = _talk(supervisor, cadre, held_on=timezone.localdate() + dt.timedelta(days=2), planned=True)
    assert "/filled/talk_record/" not in client.get(f"/talks/{planned.pk}/").content.decode()
