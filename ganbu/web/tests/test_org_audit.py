"""The audit-trail page: who may see it, filters, labels and diffs, chain verification, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ganbu.core.models import AuditEvent
from ganbu.core.selectors import AuditFilter, audit_event_list
from ganbu.core.tests.tampering import bypass_guards
from ganbu.registry import services
from ganbu.registry.tests.factories import CadreFactory

from .test_org_support import count_queries, make_post, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_user):
    """The system auditor, who reads the trail and nothing else."""
    return make_user("auditor", display_name="审计员甲")


@pytest.fixture
def history(tree, officer):
    """A few events: a cadre created and edited, a post created."""
    cadre = services.cadre_create(
        actor=officer,
        data={
            "name": "何明",
            "gender": "M",
            "birth_date": dt.date(1982, 3, 4),
            "native_place": "示例县",
            "unit": tree.finance,
        },
        reason="新录用",
    )
    services.cadre_update(actor=officer, cadre=cadre, data={"native_place": "湖南示例"}, reason="核对档案")
    make_post(officer, tree.finance, "副局长")
    return cadre


def test_audit_page_is_404_for_org_officer_and_200_for_auditor(client, officer, auditor, history):
    client.force_login(officer)
    assert client.get(reverse("web:audit-list")).status_code == 404
    assert client.post(reverse("web:audit-verify")).status_code == 404
    client.force_login(auditor)
    response = client.get(reverse("web:audit-list"))
    assert response.status_code == 200
    text = text_of(response)
    assert "新建干部档案" in text and "修改干部档案" in text and "新增职位" in text
    assert "组织部干部" in text and "核对档案" in text


def test_selector_returns_nothing_without_audit_capability(officer, auditor, history):
    assert audit_event_list(user=officer).count() == 0
    assert list(audit_event_list(user=auditor).values_list("seq", flat=True)) == [3, 2, 1]


def test_rows_are_newest_first_with_a_before_after_diff(client, auditor, history):
    client.force_login(auditor)
    html = client.get(reverse("web:audit-list")).content.decode()
    rows = html[html.index('class="table table-sm align-middle mb-0 audit-table"') :]
    assert rows.index(">新增职位<") < rows.index(">修改干部档案<") < rows.index(">新建干部档案<")
    # The edit shows 籍贯 before and after; the creation only its new values.
    assert '<td class="diff-before">示例县</td>' in html and '<td class="diff-after">湖南示例</td>' in html
    assert "修改前后（1 项）" in html and "新建内容" in html
    # Coded values read as their Chinese labels (the post's kind), field names as verbose names.
    assert '<td class="diff-after">领导副职</td>' in html and '<td class="text-nowrap">职位类别</td>' in html


def test_filters_by_type_actor_dates_and_cadre(client, tree, officer, auditor, history, make_user):
    other_officer = make_user("org_officer", display_name="另一位干部")
    other = services.cadre_create(
        actor=other_officer,
        data={
            "name": "贺亮",
            "gender": "M",
            "birth_date": dt.date(1985, 1, 1),
            "native_place": "示例县",
            "unit": tree.town,
        },
    )
    client.force_login(auditor)
    url = reverse("web:audit-list")

    def seqs(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [r.event.seq for r in response.context["rows"]]

    assert seqs({}) == [4, 3, 2, 1]
    assert seqs({"event_type": "cadre.created"}) == [4, 1]
    assert seqs({"actor": "另一位"}) == [4]
    assert seqs({"actor": other_officer.username}) == [4]
    assert seqs({"cadre_id": history.pk}) == [2, 1]
    assert seqs({"cadre_id": other.pk, "event_type": "cadre.created"}) == [4]
    today = timezone.localdate()
    assert seqs({"date_from": today.isoformat(), "date_to": today.isoformat()}) == [4, 3, 2, 1]
    assert seqs({"date_to": (today - dt.timedelta(days=1)).isoformat()}) == []
    assert seqs({"date_from": (today + dt.timedelta(days=1)).isoformat()}) == []
    # A malformed filter is reported and ignored, never a server error.
    response = client.get(url, {"cadre_id": "abc", "date_from": "2024-05-02", "date_to": "2024-05-01"})
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in text_of(response)


def test_verify_reports_ok_then_the_broken_seq_after_tampering(client, auditor, history):
    client.force_login(auditor)
    response = client.post(reverse("web:audit-verify"), follow=True)
    text = text_of(response)
    assert "审计链完整：已逐条校验 3 条事件" in text and "链头序号 3" in text

    table = AuditEvent._meta.db_table
    bypass_guards()  # the database's append-only trigger, as a database administrator would
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = %s WHERE seq = %s", ["篡改后的事由", 2])
    response = client.post(reverse("web:audit-verify"), follow=True)
    text = text_of(response)
    assert "审计链校验未通过（断点：第 2 号事件）" in text
    assert "第 2 号事件的内容与其哈希不符：该事件已被改动。" in text


def test_verify_reports_a_deleted_row(client, auditor, history):
    client.force_login(auditor)
    bypass_guards()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [3])
    text = text_of(client.post(reverse("web:audit-verify"), follow=True))
    assert "审计链校验未通过" in text and "最后的事件被删除" in text


def test_audit_list_query_count_is_fixed(client, tree, officer, auditor, settings):
    settings.GANBU_PAGE_SIZE = 10
    cadre = CadreFactory(unit=tree.finance)
    services.cadre_update(actor=officer, cadre=cadre, data={"health": "良好"})
    make_post(officer, tree.finance, "职位")
    client.force_login(auditor)
    # The same kinds of events (so the same kinds of rows to name: one query per kind), few or many.
    small, _ = count_queries(client, reverse("web:audit-list"))
    by_cadre = reverse("web:audit-list") + f"?cadre_id={cadre.pk}&actor=组织部"
    filtered_small, _ = count_queries(client, by_cadre)
    for i in range(30):
        services.cadre_update(actor=officer, cadre=cadre, data={"specialty": f"专长{i}"})
        make_post(officer, tree.finance, f"职位{i}")
    large, response = count_queries(client, reverse("web:audit-list"))
    assert small == large
    assert len(response.context["rows"]) == 10
    assert "1 / 7" in text_of(response)
    filtered_large, _ = count_queries(client, by_cadre)
    assert filtered_small == filtered_large


def test_filter_dataclass_defaults_mean_everything(auditor, history):
    assert audit_event_list(user=auditor, filters=AuditFilter()).count() == 3
