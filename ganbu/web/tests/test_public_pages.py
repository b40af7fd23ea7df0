"""Public notice pages (no login): current notices only, the objection form, tracking, the rate limit.

Also what the pages keep about a visitor (nothing in the session or cookies; an anonymous sender's
name and contact nowhere in the database) and that no page refers to anything outside the intranet.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.selection import services
from ganbu.selection.choices import NoticeKind, ObjectionStatus
from ganbu.selection.models import Objection, PublicNotice, SubmissionThrottle
from ganbu.selection.tests.notices import (
    DAY,
    current_notice,
    make_notice,
    make_record,
    today,
    withdrawn_notice,
)

pytestmark = pytest.mark.django_db

GONE = "该公告不存在或已不在公示期"
EXTERNAL = re.compile(r"""https?://|(?:src|href|action)\s*=\s*["']?\s*//""", re.I)
CODE = re.compile(r'<code id="tracking-code">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</code>')


def _form(**overrides: object) -> dict[str, object]:
    """A valid objection form as the browser posts it."""
    data: dict[str, object] = {
        "kind": "objection",
        "about": "赵甲",
        "content": "赵甲同志在原单位工作期间有违规收受礼金的问题，请组织查核。",
        "name": "钱群众",
        "contact": "13900000000",
    }
    data.update(overrides)
    return data


def _send(client: Client, notice: PublicNotice, addr: str = "192.0.2.10", **overrides: object) -> object:
    """POST the objection form of ``notice`` from client address ``addr``."""
    url = reverse("web:public-objection", args=[notice.pk])
    return client.post(url, _form(**overrides), REMOTE_ADDR=addr)


def _code_of(response: object) -> str:
    """The tracking code printed on the confirmation page."""
    match = CODE.search(response.content.decode())
    assert match, "no tracking code on the page"
    return match.group(1)


@pytest.fixture
def notice(tree, officer) -> PublicNotice:
    """A 任前公示 of the finance bureau, current today."""
    return current_notice(tree.finance, officer, title="赵甲同志任前公示")


def test_list_shows_only_current_notices_of_both_kinds_newest_first(client, tree, officer):
    older = current_notice(tree.finance, officer, title="较早的任前公示", start=today() - 3 * DAY)
    record = make_record(tree.town, officer, step="preannouncement")
    newer = make_notice(record, officer, kind=NoticeKind.PREANNOUNCEMENT, title="城关镇考察预告")
    current_notice(tree.finance, officer, title="已过期的公示", start=today() - 20 * DAY, end=today() - DAY)
    current_notice(tree.finance, officer, title="尚未开始的公示", start=today() + DAY)
    withdrawn_notice(tree.finance, officer, title="已终止的公示")

    response = client.get(reverse("web:public-notice-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [newer.pk, older.pk]
    assert html.index("城关镇考察预告") < html.index("较早的任前公示")
    assert "考察预告" in html and "任前公示" in html
    for hidden in ("已过期的公示", "尚未开始的公示", "已终止的公示"):
        assert hidden not in html


def test_list_is_paginated_in_the_database_with_a_fixed_query_count(client, tree, officer):
    def count() -> tuple[int, object]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("web:public-notice-list"))
        return len(ctx.captured_queries), response

    for i in range(3):
        current_notice(tree.finance, officer, title=f"公示{i}")
    small, _ = count()
    for i in range(3, 60):
        current_notice(tree.finance, officer, title=f"公示{i}")
    large, response = count()
    assert small == large
    page = response.context["page"]
    assert page.paginator.count == 60 and len(page.object_list) == 50 and page.has_next()
    assert len(client.get(reverse("web:public-notice-list"), {"page": 2}).context["page"].object_list) == 10


def test_notice_page_shows_text_dates_contact_and_the_team_of_a_preannouncement(
    client, tree, officer, notice
):
    html = client.get(reverse("web:public-notice-detail", args=[notice.pk])).content.decode()
    assert "赵甲同志任前公示" in html and "拟任县财政局副局长" in html
    assert notice.start_date.strftime("%Y年") in html and "0000-1234567" in html
    assert "考察组成员" not in html
    record = make_record(tree.finance, officer, step="preannouncement")
    pre = make_notice(
        record, officer, kind=NoticeKind.PREANNOUNCEMENT, title="考察预告", team=["张组长", "李组员"]
    )
    html = client.get(reverse("web:public-notice-detail", args=[pre.pk])).content.decode()
    assert "考察组成员" in html and "张组长、李组员" in html
    assert "data-print" in html and "window.print()" not in html  # a print button without inline script (CSP)


def test_expired_future_withdrawn_and_missing_notices_are_a_friendly_404_and_take_nothing(
    client, tree, officer
):
    expired = current_notice(tree.finance, officer, title="过期", start=today() - 20 * DAY, end=today() - DAY)
    future = current_notice(tree.finance, officer, title="未开始", start=today() + DAY)
    withdrawn = withdrawn_notice(tree.finance, officer)
    for pk in (expired.pk, future.pk, withdrawn.pk, 999999):
        for name in ("web:public-notice-detail", "web:public-objection"):
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 404 and GONE in response.content.decode()
        response = client.post(reverse("web:public-objection", args=[pk]), _form())
        assert response.status_code == 404 and GONE in response.content.decode()
    assert not Objection.objects.exists() and not SubmissionThrottle.objects.exists()


def test_named_submission_stores_exactly_what_was_sent_and_shows_the_code_once(client, notice):
    form_page = client.get(reverse("web:public-objection", args=[notice.pk]))
    assert form_page.status_code == 200 and "我们保存哪些信息" in form_page.content.decode()
    assert "没有任何能识别匿名反映人身份的信息" in form_page.content.decode()

    response = _send(client, notice)
    assert response.status_code == 200
    code = _code_of(response)
    assert "只在本页显示这一次" in response.content.decode()
    objection = Objection.objects.get()
    stored = model_to_dict(objection)
    assert set(stored) == {
        "id",
        "notice",
        "kind",
        "tracking_code",
        "about",
        "content",
        "name",
        "contact",
        "status",
        "resolution",
        "resolved_by",
        "resolved_at",
    }
    assert stored | {"id": 0} == {
        "id": 0,
        "notice": notice.pk,
        "kind": "objection",
        "tracking_code": code,
        "about": "赵甲",
        "content": "赵甲同志在原单位工作期间有违规收受礼金的问题，请组织查核。",
        "name": "钱群众",
        "contact": "13900000000",
        "status": ObjectionStatus.OPEN,
        "resolution": "",
        "resolved_by": None,
        "resolved_at": None,
    }
    assert objection.received_at is not None
    # the code is shown once: the notice and form pages do not show it again
    for name in ("web:public-notice-detail", "web:public-objection"):
        assert code not in client.get(reverse(name, args=[notice.pk])).content.decode()


def test_anonymous_submission_keeps_no_name_or_contact_anywhere(client, notice):
    response = _send(client, notice, anonymous="on", name="孙匿名", contact="13811112222")
    assert response.status_code == 200 and "匿名反映" in response.content.decode()
    _code_of(response)
    objection = Objection.objects.get()
    assert objection.name == "" and objection.contact == ""
    assert objection.about == "赵甲" and objection.content.startswith("赵甲同志")
    event = AuditEvent.objects.get(event_type="selection.objection_received")
    assert event.after["anonymous"] is True
    dumped = " ".join(
        str(row) for row in AuditEvent.objects.values_list("before", "after", "reason", "target_repr")
    )
    assert "孙匿名" not in dumped and "13811112222" not in dumped
    assert (
        "192.0.2.10" not in dumped and not SubmissionThrottle.objects.filter(key__contains="192.0.2").exists()
    )


def test_bad_input_rerenders_with_chinese_errors_and_writes_nothing(client, notice):
    empty = _send(client, notice, content="")
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    short = _send(client, notice, content="不行")
    assert short.status_code == 400 and "请具体写明反映的内容" in short.content.decode()
    bad_kind = _send(client, notice, kind="praise")
    assert bad_kind.status_code == 400 and "选择一个有效的选项" in bad_kind.content.decode()
    too_long = _send(client, notice, name="名" * 51)
    assert too_long.status_code == 400 and "不超过 50 字符" in too_long.content.decode()
    # what the sender typed is kept on the page so nothing has to be typed again
    assert "13900000000" in short.content.decode()
    assert not Objection.objects.exists() and not SubmissionThrottle.objects.exists()
    assert not AuditEvent.objects.filter(event_type="selection.objection_received").exists()


def test_tracking_shows_the_status_then_the_resolution_but_never_the_content(client, notice, officer):
    code = _code_of(_send(client, notice))
    track = reverse("web:public-track")
    assert client.get(track).status_code == 200
    # typed in lower case without dashes, the code still matches
    before = client.post(track, {"code": code.replace("-", "").lower()})
    html = before.content.decode()
    assert before.status_code == 200 and "待处理" in html and "赵甲同志任前公示" in html
    assert "违规收受礼金" not in html and "钱群众" not in html and "13900000000" not in html

    services.objection_resolve(
        actor=officer, objection=Objection.objects.get(), resolution="经查，反映的问题不属实，不影响任职。"
    )
    after = client.post(track, {"code": code})
    html = after.content.decode()
    assert "已办结" in html and "经查，反映的问题不属实，不影响任职。" in html
    assert "违规收受礼金" not in html

    unknown = client.post(track, {"code": "AAAA-BBBB-CCCC"})
    assert unknown.status_code == 404 and "没有找到该查询码" in unknown.content.decode()
    assert client.post(track, {"code": ""}).status_code == 400


def test_the_code_never_reaches_the_session_or_a_cookie(client, notice):
    response = _send(client, notice)
    code = _code_of(response)
    assert "no-store" in response["Cache-Control"]
    client.post(reverse("web:public-track"), {"code": code})
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    assert "sessionid" not in cookies and "messages" not in cookies
    for value in cookies.values():
        assert code not in value and code.replace("-", "") not in value
    assert not Session.objects.exists()
    for name in ("web:public-notice-list", "web:public-track"):
        assert code not in client.get(reverse(name)).content.decode()


def test_sixth_submission_within_an_hour_from_one_address_is_refused_another_address_is_not(client, notice):
    for _ in range(services.THROTTLE_MAX):
        assert _send(client, notice, addr="198.51.100.7").status_code == 200
    refused = _send(client, notice, addr="198.51.100.7")
    assert refused.status_code == 429 and services.MSG_THROTTLED in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    assert "赵甲同志在原单位工作期间" in refused.content.decode()  # the text is kept to send later
    # a forged X-Forwarded-For does not escape the limit: only REMOTE_ADDR counts
    spoofed = client.post(
        reverse("web:public-objection", args=[notice.pk]),
        _form(),
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert spoofed.status_code == 429
    assert _send(client, notice, addr="198.51.100.8").status_code == 200
    assert Objection.objects.count() == services.THROTTLE_MAX + 1


def test_throttle_rows_hold_a_keyed_hash_and_a_time_and_nothing_that_joins_an_objection(client, notice):
    _send(client, notice, addr="198.51.100.7")
    assert {f.name for f in SubmissionThrottle._meta.get_fields()} == {"id", "key", "at"}
    row = SubmissionThrottle.objects.get()
    objection = Objection.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", row.key) and "198.51.100.7" not in row.key
    assert row.key == services.throttle_key("198.51.100.7", row.at)
    # Only the clock hour is kept, and the key is bound to it.
    assert (row.at.minute, row.at.second, row.at.microsecond) == (0, 0, 0)
    assert row.key != services.throttle_key("198.51.100.7", row.at - dt.timedelta(hours=1))
    assert objection.tracking_code not in row.key
    assert not any(f.related_model is SubmissionThrottle for f in Objection._meta.get_fields())


def test_forms_are_protected_against_cross_site_posts(tree, officer, notice):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("web:public-objection", args=[notice.pk])
    assert browser.post(url, _form()).status_code == 403
    assert browser.post(reverse("web:public-track"), {"code": "AAAA-BBBB-CCCC"}).status_code == 403
    browser.get(url)
    token = browser.cookies["csrftoken"].value
    assert browser.post(url, {**_form(), "csrfmiddlewaretoken": token}).status_code == 200
    assert Objection.objects.count() == 1


def test_no_public_page_refers_to_anything_outside_the_intranet(client, tree, officer, notice):
    record = make_record(tree.finance, officer, step="preannouncement")
    pre = make_notice(record, officer, kind=NoticeKind.PREANNOUNCEMENT, title="考察预告")
    done = _send(client, notice)
    pages = [
        client.get(reverse("web:public-notice-list")),
        client.get(reverse("web:public-notice-detail", args=[notice.pk])),
        client.get(reverse("web:public-notice-detail", args=[pre.pk])),
        client.get(reverse("web:public-objection", args=[notice.pk])),
        done,
        _send(client, notice, content=""),
        client.get(reverse("web:public-track")),
        client.post(reverse("web:public-track"), {"code": _code_of(done)}),
        client.get(reverse("web:public-notice-detail", args=[999999])),
    ]
    for response in pages:
        html = response.content.decode()
        assert not EXTERNAL.search(html), EXTERNAL.search(html)
        assert '<meta name="viewport"' in html


def test_login_page_links_to_the_public_notices(client):
    html = client.get(reverse("web:login")).content.decode()
    assert f'href="{reverse("web:public-notice-list")}"' in html and "公示公告" in html


def test_a_notice_published_by_the_procedure_is_on_the_public_pages_and_takes_objections(client, scene):
    from ganbu.selection.tests.fixtures import drive

    record = drive(scene, "public_notice", notice=(today(), today() + 14 * DAY))
    published = PublicNotice.objects.get(record=record, kind=NoticeKind.PUBLIC_NOTICE)
    listed = client.get(reverse("web:public-notice-list"))
    assert [n.pk for n in listed.context["page"]] == [published.pk]
    # the 考察预告 of the same record ran in 2024 and is long over
    assert "干部考察预告" not in listed.content.decode()
    response = _send(client, published, anonymous="on")
    assert response.status_code == 200 and published.objections.get().name == ""
    services.selection_withdraw(actor=scene.officer, record=record, reason="人选另有安排", on=today())
    assert client.get(reverse("web:public-notice-detail", args=[published.pk])).status_code == 404
