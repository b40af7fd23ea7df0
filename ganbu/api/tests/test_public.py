"""Public notices and the objection desk through the REST API: no login for the public, 429 when throttled."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ganbu.selection import services
from ganbu.selection.choices import NoticeKind, ObjectionStatus
from ganbu.selection.models import Objection, SubmissionThrottle
from ganbu.selection.tests.notices import (
    DAY,
    current_notice,
    make_notice,
    make_record,
    submit,
    today,
    withdrawn_notice,
)

pytestmark = pytest.mark.django_db

CONTENT = "赵甲同志在原单位工作期间有违规收受礼金的问题，请组织查核。"


def _public_post(path: str, data: Any, addr: str = "192.0.2.20") -> Any:
    """POST JSON with no credentials at all, from client address ``addr``."""
    return Client().post(
        f"/api/v1{path}", json.dumps(data), content_type="application/json", REMOTE_ADDR=addr
    )


def _public_get(path: str, params: dict[str, Any] | None = None) -> Any:
    """GET with no credentials at all."""
    return Client().get(f"/api/v1{path}", params or {})


@pytest.fixture
def notice(tree, officer) -> Any:
    """A 任前公示 of the finance bureau, current today."""
    return current_notice(tree.finance, officer, title="赵甲同志任前公示")


def test_public_list_has_only_current_notices_newest_first_and_is_paginated(tree, officer, notice):
    record = make_record(tree.town, officer, step="preannouncement")
    pre = make_notice(record, officer, kind=NoticeKind.PREANNOUNCEMENT, title="城关镇考察预告")
    current_notice(tree.finance, officer, title="已过期", start=today() - 20 * DAY, end=today() - DAY)
    withdrawn_notice(tree.finance, officer)
    body = _public_get("/public/notices").json()
    assert body["count"] == 2
    assert [n["id"] for n in body["items"]] == [pre.pk, notice.pk]
    assert body["items"][0] == {
        "id": pre.pk,
        "kind": "preannouncement",
        "kind_label": "考察预告",
        "title": "城关镇考察预告",
        "unit_name": "城关镇",
        "start_date": pre.start_date.isoformat(),
        "end_date": pre.end_date.isoformat(),
    }
    page = _public_get("/public/notices", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [n["id"] for n in page["items"]] == [notice.pk]


def test_public_notice_has_the_text_and_the_team_and_expired_ones_are_404(tree, officer, notice):
    record = make_record(tree.finance, officer, step="preannouncement")
    pre = make_notice(
        record, officer, kind=NoticeKind.PREANNOUNCEMENT, title="考察预告", team=["张组长", "李组员"]
    )
    body = _public_get(f"/public/notices/{pre.pk}").json()
    assert body["team"] == ["张组长", "李组员"] and "拟任县财政局副局长" in body["body"]
    assert body["contact"].endswith("0000-1234567") and body["published_on"] == today().isoformat()
    assert _public_get(f"/public/notices/{notice.pk}").json()["team"] == []
    expired = current_notice(
        tree.finance, officer, title="已过期", start=today() - 20 * DAY, end=today() - DAY
    )
    for pk in (expired.pk, withdrawn_notice(tree.finance, officer).pk, 999999):
        assert _public_get(f"/public/notices/{pk}").status_code == 404
        assert _public_post(f"/public/notices/{pk}/objections", {"content": CONTENT}).status_code == 404
    assert not Objection.objects.exists()


def test_submit_returns_the_code_once_and_stores_what_was_sent(notice):
    r = _public_post(
        f"/public/notices/{notice.pk}/objections",
        {"kind": "feedback", "about": "赵甲", "content": CONTENT, "name": "钱群众", "contact": "13900000000"},
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {"tracking_code", "status", "status_label"} and body["status"] == "open"
    objection = Objection.objects.get()
    assert objection.tracking_code == body["tracking_code"]
    assert (objection.kind, objection.about, objection.content) == ("feedback", "赵甲", CONTENT)
    assert (objection.name, objection.contact) == ("钱群众", "13900000000")
    assert "sessionid" not in r.cookies


def test_anonymous_submit_blanks_name_and_contact(notice):
    r = _public_post(
        f"/public/notices/{notice.pk}/objections",
        {"content": CONTENT, "name": "孙匿名", "contact": "13811112222", "anonymous": True},
    )
    assert r.status_code == 201
    objection = Objection.objects.get()
    assert objection.kind == "objection" and objection.name == "" and objection.contact == ""


def test_bad_input_is_422_in_chinese_and_writes_nothing(notice):
    url = f"/public/notices/{notice.pk}/objections"
    short = _public_post(url, {"content": "不行"})
    assert short.status_code == 422 and "请具体写明反映的内容" in short.json()["errors"]["content"][0]
    assert _public_post(url, {}).json()["errors"]["content"] == ["此项为必填项。"]
    assert "kind" in _public_post(url, {"content": CONTENT, "kind": "praise"}).json()["errors"]
    assert "ip" in _public_post(url, {"content": CONTENT, "ip": "1.2.3.4"}).json()["errors"]
    assert "name" in _public_post(url, {"content": CONTENT, "name": "名" * 51}).json()["errors"]
    assert not Objection.objects.exists() and not SubmissionThrottle.objects.exists()


def test_sixth_submission_from_one_address_is_429_another_address_is_201(notice):
    url = f"/public/notices/{notice.pk}/objections"
    for _ in range(services.THROTTLE_MAX):
        assert _public_post(url, {"content": CONTENT}, addr="198.51.100.30").status_code == 201
    refused = _public_post(url, {"content": CONTENT}, addr="198.51.100.30")
    assert refused.status_code == 429 and refused.json()["detail"] == services.MSG_THROTTLED
    assert refused["Retry-After"] == "3600"
    assert _public_post(url, {"content": CONTENT}, addr="198.51.100.31").status_code == 201
    assert Objection.objects.count() == services.THROTTLE_MAX + 1


def test_tracking_shows_status_then_resolution_never_content_or_sender(officer, notice):
    code = submit(notice, name="钱群众").tracking_code
    before = _public_get(f"/public/track/{code.lower()}")
    assert before.status_code == 200
    assert before.json() == {
        "notice_title": "赵甲同志任前公示",
        "kind": "objection",
        "kind_label": "反映问题",
        "received_on": today().isoformat(),
        "status": "open",
        "status_label": "待处理",
        "resolution": "",
        "resolved_on": None,
    }
    services.objection_resolve(
        actor=officer, objection=Objection.objects.get(), resolution="经查不属实，不影响任职。"
    )
    after = _public_get(f"/public/track/{code.replace('-', '')}").json()
    assert after["status"] == "resolved" and after["resolution"] == "经查不属实，不影响任职。"
    assert after["resolved_on"] == today().isoformat()
    assert "钱群众" not in json.dumps(after, ensure_ascii=False) and "礼金" not in json.dumps(
        after, ensure_ascii=False
    )
    assert _public_get("/public/track/AAAA-BBBB-CCCC").status_code == 404
    assert _public_get(f"/public/track/{'A' * 31}").status_code == 422


def test_staff_list_detail_and_resolve(api_as, officer, notice):
    first = submit(notice, name="钱群众", contact="13900000000")
    second = submit(notice, content="第二件反映的具体内容。", source="192.0.2.2")
    Objection.objects.filter(pk=first.pk).update(status=ObjectionStatus.RESOLVED, resolution="已查清。")
    api = api_as(officer)
    listed = api.get("/objections").json()
    assert listed["count"] == 2 and [o["id"] for o in listed["items"]] == [second.pk, first.pk]
    assert [o["id"] for o in api.get("/objections", {"status": "open"}).json()["items"]] == [second.pk]
    assert [o["id"] for o in api.get("/objections", {"status": "resolved"}).json()["items"]] == [first.pk]
    assert api.get("/objections", {"status": "nonsense"}).status_code == 422

    detail = api.get(f"/objections/{first.pk}").json()
    assert detail["record_id"] == notice.record_id and detail["notice_title"] == "赵甲同志任前公示"
    assert detail["name"] == "钱群众" and detail["unit_name"] == "县财政局"
    assert "tracking_code" not in detail

    thin = api.post(f"/objections/{second.pk}/resolve", {"resolution": "不实"})
    assert thin.status_code == 422 and "resolution" in thin.json()["errors"]
    done = api.post(f"/objections/{second.pk}/resolve", {"resolution": "经查，反映的问题不属实。"})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "resolved" and done.json()["resolved_by"] == officer.display_name
    again = api.post(f"/objections/{second.pk}/resolve", {"resolution": "再次办结的说明文字。"})
    assert again.status_code == 422 and "该反映已经办结" in again.json()["detail"]


def test_staff_operations_need_a_login_and_the_scope(api_as, make_user, tree, notice):
    objection = submit(notice)
    assert _public_get("/objections").status_code == 401
    assert _public_get(f"/objections/{objection.pk}").status_code == 401
    assert (
        _public_post(f"/objections/{objection.pk}/resolve", {"resolution": "未登录办结说明。"}).status_code
        == 401
    )
    for user in (
        make_user("unit_officer", scope_unit=tree.finance),
        make_user("supervisor"),
        make_user("org_officer", scope_unit=tree.town),
    ):
        api = api_as(user)
        assert api.get("/objections").json()["count"] == 0
        assert api.get(f"/objections/{objection.pk}").status_code == 404
        assert (
            api.post(f"/objections/{objection.pk}/resolve", {"resolution": "越权办结的说明。"}).status_code
            == 404
        )
    leader = api_as(make_user("org_leader"))
    assert leader.get(f"/objections/{objection.pk}").status_code == 200
    refused = leader.post(f"/objections/{objection.pk}/resolve", {"resolution": "领导直接办结的说明。"})
    assert refused.status_code == 422 and refused.json()["detail"] == services.MSG_NO_MANAGE
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN


def test_openapi_marks_exactly_the_public_operations_as_public():
    schema = Client().get("/api/v1/openapi.json").json()
    ops = {
        (method, path): op
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/v1/public/", "/api/v1/objections"))
        for method, op in ops.items()
    }
    public = {
        ("get", "/api/v1/public/notices"),
        ("get", "/api/v1/public/notices/{notice_id}"),
        ("post", "/api/v1/public/notices/{notice_id}/objections"),
        ("get", "/api/v1/public/track/{code}"),
        ("post", "/api/v1/public/petitions"),
        ("get", "/api/v1/public/petitions/track/{code}"),
    }
    staff = {
        ("get", "/api/v1/objections"),
        ("get", "/api/v1/objections/{objection_id}"),
        ("post", "/api/v1/objections/{objection_id}/resolve"),
    }
    assert set(ops) == public | staff
    for key, op in ops.items():
        assert bool(op.get("security")) == (key not in public), key
        assert any("\u4e00" <= c <= "\u9fff" for c in op["summary"]), key
    assert "429" in ops[("post", "/api/v1/public/notices/{notice_id}/objections")]["responses"]
