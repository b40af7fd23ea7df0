"""The staff objection desk (群众反映): list (open first, filters, query count), detail, resolve, scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.selection.choices import ObjectionStatus
from ganbu.selection.models import Objection
from ganbu.selection.tests.notices import bulk_objections, current_notice, submit

pytestmark = pytest.mark.django_db

LIST = "/objections/"


@pytest.fixture
def finance_objection(tree, officer) -> Objection:
    """An open, named objection on a current 任前公示 of the finance bureau."""
    notice = current_notice(tree.finance, officer, title="赵甲同志任前公示")
    return submit(notice, about="赵甲", name="钱群众", contact="13900000000")


def test_list_shows_open_first_and_filters_by_status(client, tree, officer, finance_objection):
    notice = finance_objection.notice
    resolved = submit(notice, content="第二件反映：已经查清的问题。", source="192.0.2.2")
    Objection.objects.filter(pk=resolved.pk).update(
        status=ObjectionStatus.RESOLVED, resolution="经查不属实。"
    )
    newest_open = submit(notice, content="第三件反映：最新收到的问题。", source="192.0.2.3")
    Objection.objects.filter(pk=resolved.pk).update(received_at=newest_open.received_at)
    client.force_login(officer)
    assert reverse("web:objection-list") == LIST

    everything = client.get(LIST)
    assert everything.status_code == 200
    assert [o.pk for o in everything.context["page"]] == [newest_open.pk, finance_objection.pk, resolved.pk]
    html = everything.content.decode()
    assert f'href="/selection/{notice.record_id}/"' in html and "县财政局" in html and "钱群众" in html
    assert [o.pk for o in client.get(LIST, {"status": "open"}).context["page"]] == [
        newest_open.pk,
        finance_objection.pk,
    ]
    assert [o.pk for o in client.get(LIST, {"status": "resolved"}).context["page"]] == [resolved.pk]
    assert client.get(LIST, {"status": "nonsense"}).context["status"] == "all"


def test_list_runs_the_same_number_of_queries_for_few_and_many_objections(client, tree, officer):
    client.force_login(officer)

    def count() -> tuple[int, object]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        return len(ctx.captured_queries), response

    first = current_notice(tree.finance, officer, title="公示甲")
    bulk_objections(first, 2)
    small, _ = count()
    for unit, title in ((tree.town, "公示乙"), (tree.forestry, "公示丙"), (tree.station, "公示丁")):
        notice = current_notice(unit, officer, title=title)
        bulk_objections(notice, 20)
        bulk_objections(notice, 5, status=ObjectionStatus.RESOLVED, resolution="已查清。")
    large, response = count()
    assert small == large
    assert response.context["page"].paginator.count == 77


def test_detail_shows_the_objection_its_notice_and_a_link_to_its_record(client, officer, finance_objection):
    client.force_login(officer)
    response = client.get(reverse("web:objection-detail", args=[finance_objection.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "违规收受礼金" in html and "钱群众" in html and "13900000000" in html
    assert "赵甲同志任前公示" in html and "任前公示" in html
    assert f'href="/selection/{finance_objection.notice.record_id}/"' in html
    assert reverse("web:objection-resolve", args=[finance_objection.pk]) in html
    # the tracking code is the sender's key: the desk does not show it
    assert finance_objection.tracking_code not in html


def test_anonymous_objection_shows_as_anonymous(client, tree, officer):
    notice = current_notice(tree.finance, officer)
    objection = submit(notice, anonymous=True, name="孙匿名", contact="13811112222")
    client.force_login(officer)
    html = client.get(reverse("web:objection-detail", args=[objection.pk])).content.decode()
    assert "匿名（未留姓名和联系方式）" in html and "孙匿名" not in html


def test_resolve_refuses_a_thin_answer_then_resolves_once(client, officer, finance_objection):
    client.force_login(officer)
    url = reverse("web:objection-resolve", args=[finance_objection.pk])
    thin = client.post(url, {"resolution": "不实"})
    assert thin.status_code == 400 and "请写明查核情况和结论" in thin.content.decode()
    empty = client.post(url, {"resolution": ""})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    finance_objection.refresh_from_db()
    assert finance_objection.status == ObjectionStatus.OPEN
    assert not AuditEvent.objects.filter(event_type="selection.objection_resolved").exists()

    done = client.post(url, {"resolution": "经查，反映的问题不属实，不影响任职。"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "web:objection-detail", args=[finance_objection.pk]
    )
    finance_objection.refresh_from_db()
    assert finance_objection.status == ObjectionStatus.RESOLVED
    assert finance_objection.resolved_by == officer and finance_objection.resolution.startswith("经查")
    assert AuditEvent.objects.filter(event_type="selection.objection_resolved").count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "经查，反映的问题不属实" in page and "已办结" in page and f'action="{url}"' not in page

    again = client.post(url, {"resolution": "再次办结的说明文字。"})
    assert again.status_code == 400 and "该反映已经办结" in again.content.decode()
    finance_objection.refresh_from_db()
    assert finance_objection.resolution.startswith("经查")


@pytest.mark.parametrize(
    ("role", "scope"),
    [("unit_officer", "finance"), ("supervisor", None), ("committee_member", None), ("org_officer", "town")],
)
def test_roles_without_the_desk_or_outside_the_scope_get_404(
    client, tree, make_user, finance_objection, role, scope
):
    user = make_user(role, scope_unit=getattr(tree, scope) if scope else None)
    client.force_login(user)
    detail = reverse("web:objection-detail", args=[finance_objection.pk])
    resolve = reverse("web:objection-resolve", args=[finance_objection.pk])
    if role == "org_officer":
        assert client.get(LIST).status_code == 200
        assert "违规收受礼金" not in client.get(LIST).content.decode()
    else:
        assert client.get(LIST).status_code == 404
        assert "群众反映" not in client.get(reverse("web:dashboard")).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(resolve, {"resolution": "越权办结的说明文字。"}).status_code == 404
    finance_objection.refresh_from_db()
    assert finance_objection.status == ObjectionStatus.OPEN


def test_the_leader_reads_but_does_not_resolve(client, make_user, finance_objection):
    leader = make_user("org_leader")
    client.force_login(leader)
    assert client.get(LIST).status_code == 200
    html = client.get(reverse("web:objection-detail", args=[finance_objection.pk])).content.decode()
    assert (
        "违规收受礼金" in html and reverse("web:objection-resolve", args=[finance_objection.pk]) not in html
    )
    response = client.post(
        reverse("web:objection-resolve", args=[finance_objection.pk]), {"resolution": "领导直接办结的说明。"}
    )
    assert response.status_code == 404
    finance_objection.refresh_from_db()
    assert finance_objection.status == ObjectionStatus.OPEN


def test_the_desk_needs_a_login_and_the_menu_shows_it_to_officers(client, officer, finance_objection):
    assert client.get(LIST).status_code == 302
    assert client.get(reverse("web:objection-detail", args=[finance_objection.pk])).status_code == 302
    client.force_login(officer)
    assert f'href="{LIST}">群众反映</a>' in client.get(reverse("web:dashboard")).content.decode()
