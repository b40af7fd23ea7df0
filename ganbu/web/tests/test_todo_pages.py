"""The to-do list on the home page and its own page, the notifications page, and the navbar badge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.todo import services
from ganbu.todo.models import Notification
from ganbu.todo.selectors import Kind
from ganbu.todo.tests import builders as b

from .test_people_support import count_queries, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedure_todos_only")]
D = dt.date
ON = D(2024, 9, 9)  # a Monday


@pytest.fixture
def today(monkeypatch):
    """The pages' "today" is 2024-09-09 (dates given to ``localdate`` are still converted)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        """Today is ``ON``; a given datetime is converted as usual."""
        return ON if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return ON


def populate(officer, tree, n: int) -> None:
    """``n`` items of each procedure group in 县财政局."""
    for _ in range(n):
        rec = b.record(tree.finance, officer)
        b.objection(b.notice(rec, officer, end=D(2024, 9, 11)))
        b.opinion(rec, sent_on=D(2024, 9, 2))
        b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 9, 30))
        b.appointed(tree.finance, officer, issued_on=D(2024, 8, 1))


def group_counts(response) -> dict[str, int]:
    """The count badge of each to-do group shown on a page."""
    html = response.content.decode()
    return {
        kind: int(count)
        for kind, count in re.findall(r'data-todo="(\w+)">.*?data-count="(\d+)"', html, flags=re.S)
    }


def test_the_dashboard_lists_the_groups_with_counts_and_links(client, officer, tree, today):
    populate(officer, tree, 2)
    overdue = b.appointed(tree.finance, officer, issued_on=D(2024, 7, 1))
    client.force_login(officer)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert group_counts(response) == {
        Kind.NOTICE_ENDING: 2,
        Kind.OBJECTION_OPEN: 2,
        Kind.PROBATION_ENDING: 2,
        Kind.OPINION_OPEN: 2,
        Kind.FEEDBACK_DUE: 3,
    }
    text = text_of(response)
    assert "待办事项 11" in text and "公示即将期满 2" in text and "任后反响待报告 3" in text
    assert "暂无：本年度达到离岗退养年龄、本年度到龄退休" in text
    html = response.content.decode()
    assert f'href="/selection/{overdue.pk}/"' in html and "逾期" in text
    assert re.search(r'href="/objections/\d+/"', html)  # an objection links to its own page
    assert f'href="{reverse("web:todo-list")}"' in html


def test_the_dashboard_shows_five_items_and_links_to_the_rest(client, officer, tree, today):
    note = b.notice(b.record(tree.finance, officer), officer, end=D(2024, 9, 30))
    for _ in range(7):
        b.objection(note)
    client.force_login(officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    block = html.split('data-todo="objection_open"')[1].split("</ul>")[0]
    assert block.count("data-key=") == 5 and "查看全部 7 项" in block
    page = client.get(reverse("web:todo-list"))
    assert page.status_code == 200
    rest = page.content.decode().split('data-todo="objection_open"')[1].split("</ul>")[0]
    assert rest.count("data-key=") == 7


def test_a_unit_officer_of_another_subtree_sees_none_of_it(client, officer, tree, make_user, today):
    populate(officer, tree, 1)
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    response = client.get(reverse("web:dashboard"))
    assert group_counts(response) == {}
    assert "暂无待办事项" in text_of(response) and "/selection/" not in response.content.decode()


def test_a_cadre_and_the_auditor_get_no_to_do_card(client, officer, tree, make_user, today):
    populate(officer, tree, 1)
    own = b.leader(tree.finance, birth=D(1969, 10, 1))
    for user in (make_user("cadre", cadre=own), make_user("auditor")):
        client.force_login(user)
        response = client.get(reverse("web:dashboard"))
        assert "todo-card" not in response.content.decode(), user.role


def test_the_dashboard_and_the_to_do_page_run_a_fixed_number_of_queries(client, officer, tree, today):
    populate(officer, tree, 3)
    client.force_login(officer)
    small, _ = count_queries(client, reverse("web:dashboard"))
    small_page, _ = count_queries(client, reverse("web:todo-list"))
    populate(officer, tree, 27)
    large, response = count_queries(client, reverse("web:dashboard"))
    large_page, page = count_queries(client, reverse("web:todo-list"))
    assert group_counts(response)[Kind.OBJECTION_OPEN] == 30
    assert page.content.decode().count("data-key=") == 150
    assert (small, small_page) == (large, large_page)


# ---------------------------------------------------------------- notifications


@pytest.fixture
def notified(officer, tree, make_user):
    """Three reminders of the officer's, one of a supervisor's."""
    supervisor = make_user("supervisor")
    rec = b.record(tree.finance, officer)
    b.objection(b.notice(rec, officer, end=D(2024, 9, 11)))
    b.opinion(rec, addressee=supervisor, sent_on=D(2024, 9, 2))
    b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 9, 30))
    services.reminders_send(on=ON, email=False)
    return supervisor


def test_the_navbar_shows_the_unread_count(client, officer, notified):
    client.force_login(officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert 'data-unread="4"' in html  # notice, objection, opinion, probation
    services.notifications_read_all(actor=officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "data-unread" not in html and f'href="{reverse("web:notification-list")}"' in html


def test_the_badge_costs_one_query_per_page(client, officer, tree):
    client.force_login(officer)
    url = reverse("web:unit-list")
    without, _ = count_queries(client, url)
    for i in range(5):
        Notification.objects.create(user=officer, kind="x", key=f"k:{i}", title="提醒", text="内容")
    with_some, response = count_queries(client, url)
    assert 'data-unread="5"' in response.content.decode()
    assert with_some == without


def test_the_notification_list_shows_only_ones_own(client, officer, notified):
    client.force_login(officer)
    response = client.get(reverse("web:notification-list"))
    assert response.status_code == 200
    rows = re.findall(r'data-notification="(\d+)"', response.content.decode())
    assert sorted(map(int, rows)) == sorted(
        Notification.objects.filter(user=officer).values_list("pk", flat=True)
    )
    assert "待办结的群众反映" in text_of(response)


def test_mark_read_then_go_to_the_page(client, officer, notified):
    client.force_login(officer)
    row = Notification.objects.filter(user=officer, kind=Kind.OBJECTION_OPEN).get()
    url = reverse("web:notification-read", args=[row.pk])
    response = client.post(url, {"next": row.link})
    assert response.status_code == 302 and response["Location"] == row.link
    row.refresh_from_db()
    assert row.read_at is not None
    unread = client.get(reverse("web:notification-list") + "?unread=1").content.decode()
    assert f'data-notification="{row.pk}"' not in unread


def test_mark_read_never_redirects_off_site(client, officer, notified):
    client.force_login(officer)
    row = Notification.objects.filter(user=officer).first()
    url = reverse("web:notification-read", args=[row.pk])
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(url, {"next": target})
        assert response["Location"] == reverse("web:notification-list"), target


def test_another_users_notification_is_a_404_and_get_is_refused(client, officer, notified):
    theirs = Notification.objects.get(user=notified)
    client.force_login(officer)
    assert client.post(reverse("web:notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mine = Notification.objects.filter(user=officer).first()
    assert client.get(reverse("web:notification-read", args=[mine.pk])).status_code == 405


def test_read_all(client, officer, notified):
    client.force_login(officer)
    response = client.post(reverse("web:notification-read-all"), follow=True)
    assert "已将 4 条提醒标为已读" in text_of(response)
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=notified, read_at__isnull=True).exists()


def test_the_notification_list_runs_a_fixed_number_of_queries(client, officer):
    client.force_login(officer)
    for i in range(3):
        Notification.objects.create(user=officer, kind="x", key=f"a:{i}", title="提醒", text="内容", link="/")
    small, _ = count_queries(client, reverse("web:notification-list"))
    for i in range(60):
        Notification.objects.create(user=officer, kind="x", key=f"b:{i}", title="提醒", text="内容", link="/")
    large, response = count_queries(client, reverse("web:notification-list"))
    assert response.content.decode().count("data-notification=") == 50
    assert small == large


def test_a_passed_age_threshold_is_marked_reached_not_late(client, officer, tree, today):
    b.leader(tree.finance, birth=D(1969, 3, 1), name="到龄甲", current_post_text="县财政局副局长")
    client.force_login(officer)
    block = client.get(reverse("web:dashboard")).content.decode().split('data-todo="early_exit"')[1]
    block = block.split("</ul>")[0]
    assert "已到龄</span>" in block and ">逾期<" not in block
    assert "到龄甲（县财政局副局长）已于2024年3月1日年满 55 周岁" in block


def test_notifications_list_the_newest_run_first_in_to_do_order(client, officer, tree):
    rec = b.record(tree.finance, officer)
    b.objection(b.notice(rec, officer, end=D(2024, 9, 30)))
    services.reminders_send(on=ON, email=False)
    b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 9, 20))
    b.opinion(rec, sent_on=D(2024, 9, 2))
    services.reminders_send(on=ON, email=False)
    client.force_login(officer)
    html = client.get(reverse("web:notification-list")).content.decode()
    titles = re.findall(r'<td class="text-nowrap">([^<]+)</td>', html)
    assert titles == ["试用期30天内届满", "待答复的征求意见", "待办结的群众反映"]
