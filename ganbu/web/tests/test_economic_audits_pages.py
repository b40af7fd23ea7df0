"""The economic-audit pages and API: the list and the triggers in a fixed number of queries, an
audit registered from a trigger and taken through its steps on the detail page (a refusal
re-renders with the regulation and writes nothing), the API's steps and refusals, and who sees what."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.accounts.services import api_token_create
from ganbu.api.tests.conftest import ApiClient
from ganbu.core.models import AuditEvent
from ganbu.economic_audits import selectors, services
from ganbu.economic_audits.choices import Status
from ganbu.economic_audits.models import AuditEngagement
from ganbu.economic_audits.tests import conftest as fx
from ganbu.exits.tests.helpers import leader
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Tenure
from ganbu.registry.tests.factories import PostFactory, UnitFactory
from ganbu.web.tests.test_org_support import count_queries, text_of

pytestmark = pytest.mark.django_db

# The economic-audit app's fixtures (a finance head, his registered audit, the audit bureau user).
posts, supervisor, head, engagement = fx.posts, fx.supervisor, fx.head, fx.engagement
commissioned, reported = fx.commissioned, fx.reported

D = dt.date
TODAY = timezone.localdate()


def heads(officer, tree, n, start):
    """``n`` heads of new county organs, in post since 2015 (due for an in-term audit by now)."""
    made = []
    for i in range(n):
        unit = UnitFactory(name=f"县单位{start + i}", parent=tree.root)
        post = PostFactory(unit=unit, title="局长", kind=PostKind.HEAD, rank=Rank.SECTION)
        made.append(leader(officer, post, D(1975, 1, 1 + i), name=f"局长{start + i}"))
    return made


def test_the_list_and_the_triggers_run_a_fixed_number_of_queries(client, officer, tree, supervisor):
    client.force_login(supervisor)
    counts = {"list": [], "triggers": [], "todo": []}
    for n, start in ((1, 10), (4, 20)):
        for cadre in heads(officer, tree, n, start):
            tenure = Tenure.objects.get(cadre=cadre)
            made = services.engagement_create(
                actor=officer,
                cadre=cadre,
                post=tenure.post,
                tenure=tenure,
                trigger="in_term",
                term_start=tenure.start_date,
                term_end=D(2025, 3, 31),
                trigger_note="任中审计",
            )
            commissioned(officer, made)
        heads(officer, tree, n, start + 50)  # due, without an audit
        for name, url in (
            ("list", reverse("web:economic-audit-list")),
            ("triggers", reverse("web:economic-audit-triggers") + "?all=1"),
        ):
            count, response = count_queries(client, url)
            assert response.status_code == 200
            counts[name].append(count)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            selectors.todo_audits_to_commission(supervisor, TODAY, 10)
            selectors.todo_audits_overdue(supervisor, TODAY, 10)
        counts["todo"].append(len(ctx.captured_queries))
    assert counts["list"][0] == counts["list"][1]
    assert counts["triggers"][0] == counts["triggers"][1]
    assert counts["todo"][0] == counts["todo"][1]


def test_in_term_due_list_follows_the_county_interval(officer, tree, supervisor, head, posts):
    # 钱局长 took office 2015-03-01: with the default 60 months he is due from 2020-03-01.
    assert selectors.to_commission(user=supervisor, on=D(2020, 2, 29)) == []
    [due] = selectors.to_commission(user=supervisor, on=D(2020, 3, 1))
    assert due.trigger == "in_term" and due.due_on == D(2020, 3, 1) and "60个月" in due.reasons[0]
    engagement = services.engagement_create(
        actor=officer,
        cadre=head,
        post=posts.head,
        trigger="in_term",
        term_start=D(2015, 3, 1),
        term_end=D(2020, 2, 29),
        trigger_note="任中审计",
    )
    # Registered only: still to commission; once under way, no longer.
    assert selectors.to_commission(user=supervisor, on=D(2020, 3, 1))[0].engagement == engagement
    commissioned(officer, engagement, on=D(2020, 3, 2))
    assert selectors.to_commission(user=supervisor, on=D(2020, 3, 10)) == []
    reported(officer, engagement, served=D(2020, 3, 3), started=D(2020, 3, 6), reported_on=D(2020, 5, 20))
    # Next due 60 months after the report.
    assert selectors.to_commission(user=supervisor, on=D(2025, 5, 19)) == []
    [again] = selectors.to_commission(user=supervisor, on=D(2025, 5, 20))
    assert "上次审计完成于2020年5月20日" in again.reasons[0]


def test_a_retiring_head_is_a_departure_trigger(officer, tree, supervisor, posts):
    old = leader(officer, posts.head, D(1965, 1, 10), name="退休局长")
    [trigger] = selectors.to_commission(user=supervisor, on=D(2025, 1, 5))
    assert trigger.tenure.cadre == old and trigger.trigger == "retirement"
    assert "达到法定退休年龄" in " ".join(trigger.reasons)


def test_registered_from_a_trigger_and_taken_through_the_detail_page(client, officer, head, posts):
    client.force_login(officer)
    tenure = Tenure.objects.get(cadre=head)
    page = client.get(reverse("web:economic-audit-triggers"))
    assert "钱局长" in text_of(page) and f"tenure={tenure.pk}" in page.content.decode()
    url = reverse("web:economic-audit-create") + f"?tenure={tenure.pk}&trigger=in_term"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "tenure": tenure.pk,
            "trigger": "in_term",
            "term_start": "2015-03-01",
            "term_end": "2025-03-31",
            "trigger_note": "任中审计",
            "presiding_since": "",
        },
    )
    engagement = AuditEngagement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "web:economic-audit-detail", args=[engagement.pk]
    )
    detail = reverse("web:economic-audit-detail", args=[engagement.pk])
    letter = reverse("web:filled-document", args=["audit_commission", engagement.pk, "docx"])
    assert "委托审计" in text_of(client.get(detail))
    assert letter not in client.get(detail).content.decode()  # no commission letter before the commission
    ok = client.post(
        detail,
        {
            "action": "commission",
            "commission-commissioned_by": "organization",
            "commission-audit_body": "县审计局",
            "commission-commissioned_on": "2025-04-01",
            "commission-report_due_on": "2025-06-30",
        },
    )
    assert ok.status_code == 302
    assert letter in client.get(detail).content.decode()
    assert client.get(letter).status_code == 200
    client.post(detail, {"action": "notice", "notice-served_on": "2025-04-08"})
    events = AuditEvent.objects.count()
    refused = client.post(detail, {"action": "start", "start-started_on": "2025-04-10"})
    text = text_of(refused)
    assert refused.status_code == 200 and "不足三日" in text and "第五条、第八条" in text
    assert "AUD-03" not in text  # users see the regulation and article, never the rule ID
    assert AuditEvent.objects.count() == events
    engagement.refresh_from_db()
    assert engagement.status == Status.COMMISSIONED
    assert client.post(detail, {"action": "start", "start-started_on": "2025-04-11"}).status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Status.IN_PROGRESS and engagement.proceeding.ended_on is None


def test_odd_parameters_and_bad_posts_never_fail(client, officer, engagement):
    client.force_login(officer)
    for params in ({"status": "x", "year": "abc"}, {"trigger": "bogus", "q": "钱"}, {"page": "-1"}):
        assert client.get(reverse("web:economic-audit-list"), params).status_code == 200
    assert client.get(reverse("web:economic-audit-triggers"), {"page": "zz"}).status_code == 200
    assert client.get(reverse("web:economic-audit-create"), {"tenure": "x"}).status_code == 200
    detail = reverse("web:economic-audit-detail", args=[engagement.pk])
    assert client.post(detail, {"action": "bogus"}).status_code == 404
    bad = client.post(detail, {"action": "commission", "commission-commissioned_on": "2999-01-01"})
    assert bad.status_code == 200


def test_who_sees_the_pages(client, make_user, tree, engagement):
    detail = reverse("web:economic-audit-detail", args=[engagement.pk])
    for role, code in (("org_leader", 200), ("supervisor", 200), ("unit_officer", 404), ("cadre", 404)):
        client.force_login(make_user(role, scope_unit=tree.finance if role == "unit_officer" else None))
        assert client.get(detail).status_code == code, role
    scoped = make_user("org_officer", scope_unit=tree.forestry)
    client.force_login(scoped)
    assert client.get(detail).status_code == 404
    leader_user = make_user("org_leader")
    client.force_login(leader_user)
    assert client.post(detail, {"action": "commission"}).status_code == 404
    assert client.get(reverse("web:economic-audit-create")).status_code == 404


def _api(client, method, path, user, body=None):
    """Call ``/api/v1{path}`` as ``user`` with a fresh API key (``client`` is unused: the API client)."""
    api = ApiClient(api_token_create(actor=None, user=user, name="测试")[1])
    return api.get(path) if method == "get" else api.post(path, body or {})


def test_the_api_takes_an_audit_through_its_steps_and_refuses_with_the_rule(client, officer, head, posts):
    tenure = Tenure.objects.get(cadre=head)
    created = _api(
        client,
        "post",
        "/economic-audits",
        officer,
        {
            "tenure_id": tenure.pk,
            "trigger": "transfer",
            "term_start": "2015-03-01",
            "term_end": "2025-03-31",
            "trigger_note": "拟调任",
        },
    )
    assert created.status_code == 201, created.content
    eid = created.json()["id"]
    assert created.json()["status"] == "to_commission" and created.json()["regulation"] == "2019"
    ok = _api(
        client,
        "post",
        f"/economic-audits/{eid}/commission",
        officer,
        {"commissioned_on": "2025-04-01", "commissioned_by": "organization", "report_due_on": "2025-06-30"},
    )
    assert ok.status_code == 200 and ok.json()["proceeding_id"]
    _api(client, "post", f"/economic-audits/{eid}/notice", officer, {"served_on": "2025-04-08"})
    late = _api(client, "post", f"/economic-audits/{eid}/start", officer, {"started_on": "2025-04-10"})
    assert late.status_code == 422 and "AUD-03" in json.dumps(late.json(), ensure_ascii=False)
    listed = _api(client, "get", "/economic-audits?status=pending", officer)
    assert listed.status_code == 200 and listed.json()["items"][0]["id"] == eid
    triggers = _api(client, "get", "/economic-audits/triggers?pending_only=false", officer)
    assert triggers.status_code == 200


def test_the_api_hides_audits_from_roles_without_supervision(client, make_user, tree, engagement):
    unit = make_user("unit_officer", scope_unit=tree.finance)
    assert _api(client, "get", f"/economic-audits/{engagement.pk}", unit).status_code == 404
    assert _api(client, "get", "/economic-audits", unit).status_code == 404


def test_a_read_only_caller_is_refused_for_its_role_on_every_step(client, make_user, engagement):
    leader_user = make_user("org_leader")
    body = {"item_id": 1, "done_on": "2025-05-01", "result": "完成"}
    refused = _api(client, "post", f"/economic-audits/{engagement.pk}/follow-ups/done", leader_user, body)
    assert refused.status_code == 422 and "只有组织部干部科" in refused.json()["detail"]
