"""The policy endpoints: everyone signed in reads, only the administrator records a version."""

from __future__ import annotations

KEY = "evaluation.incompetent_threshold"


def test_api_lists_values_in_force_on_a_day(officer, api_as):
    listed = api_as(officer).get("/policy", {"on": "2026-01-01"})
    assert listed.status_code == 200
    row = next(r for r in listed.json() if r["key"] == KEY)
    assert row["value"] == "3/10" and row["effective_from"] is None and "EVAL-10" in row["citation"]


def test_api_set_is_for_the_administrator_only(officer, make_user, api_as):
    body = {"value": "1/3", "effective_from": "2026-01-01", "note": "县委文件"}
    refused = api_as(officer).post(f"/policy/{KEY}", body)
    assert refused.status_code == 422 and "无权修改" in refused.json()["detail"]
    admin = make_user("admin")
    made = api_as(admin).post(f"/policy/{KEY}", {**body, "value": "0.3333"})
    assert made.status_code == 201 and made.json()["value"] == "3333/10000"
    later = api_as(officer).get("/policy", {"on": "2026-01-02"}).json()
    assert next(r for r in later if r["key"] == KEY)["value"] == "3333/10000"
    bad = api_as(admin).post(f"/policy/{KEY}", {**body, "effective_from": "2026-02-01", "value": "x"})
    assert bad.status_code == 422 and "格式不正确" in str(bad.json())


def test_api_calendar_entries(officer, make_user, api_as):
    admin = make_user("admin")
    assert (
        api_as(officer).put("/policy/calendar/2027-01-01", {"kind": "holiday", "note": "元旦"}).status_code
        == 422
    )
    made = api_as(admin).put("/policy/calendar/2027-01-01", {"kind": "holiday", "note": "元旦"})
    assert made.status_code == 200 and made.json()["kind"] == "holiday"
    assert api_as(officer).get("/policy/calendar").json() == [
        {"day": "2027-01-01", "kind": "holiday", "note": "元旦"}
    ]
    assert api_as(admin).delete("/policy/calendar/2027-01-01").status_code == 204
    assert api_as(admin).delete("/policy/calendar/2027-01-01").status_code == 422


def test_api_declares_a_year_complete(officer, make_user, api_as):
    admin = make_user("admin")
    api_as(admin).put("/policy/calendar/2027-01-01", {"kind": "holiday", "note": "元旦"})
    listed = api_as(officer).get("/policy/calendar-years").json()
    assert [(y["year"], y["holidays"], y["complete"]) for y in listed] == [(2027, 1, False)]
    refused = api_as(officer).put("/policy/calendar-years/2027", {"note": "国办通知"})
    assert refused.status_code == 422 and "无权" in str(refused.json())
    blank = api_as(admin).put("/policy/calendar-years/2027", {"note": ""})
    assert blank.status_code == 422
    made = api_as(admin).put("/policy/calendar-years/2027", {"note": "国办通知"})
    assert made.status_code == 200 and made.json()["complete"] is True and made.json()["note"] == "国办通知"
    assert api_as(admin).post("/policy/calendar-years/2027/reopen", {"reason": "漏录"}).status_code == 204
    assert api_as(officer).get("/policy/calendar-years").json()[0]["complete"] is False
