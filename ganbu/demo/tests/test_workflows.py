"""The demo's workflows: ballots, selection records, exits and campaigns, as ``make run`` loads them.

The demo is loaded once for the module by ``manage.py demo --if-empty`` (the ``loaded`` fixture of
this package's conftest: committed, like a real run) and the database is flushed afterwards. Each
test runs in a transaction that is rolled back, so the determinism test can empty the database and
load the demo again inside its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.campaigns.models import Application, Campaign
from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.demo.accounts import COMMITTEE_USERNAMES, JUDGE_USERNAMES
from ganbu.demo.generator import REFERENCE_DATE, generate
from ganbu.exits import selectors as exit_selectors
from ganbu.exits import services as exits
from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
from ganbu.petitions.models import Petition
from ganbu.policy.selectors import work_calendar
from ganbu.registry.models import AppointmentDocument, Cadre, ReserveMembership, Tenure, Unit
from ganbu.rules.exits import cadre_retirement_category
from ganbu.rules.retirement import early_exit_date, statutory_retirement_date
from ganbu.selection.choices import NoticeKind, OpinionBody, ProbationStatus
from ganbu.selection.models import Override, SelectionRecord
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, BallotItem, BallotResult, PaperCount

pytestmark = pytest.mark.django_db


def _past() -> dt.date:
    """The last day the demo's history may reach: the earlier of today and the generator's date."""
    return min(timezone.localdate(), REFERENCE_DATE)


def _receipts(ballot: Ballot) -> int:
    """Ballot papers cast: one receipt per paper, however many items it answers.

    A ballot still open holds one sealed sheet per paper instead, its receipt sealed inside.
    """
    return ballot.sheets.values("receipt").distinct().count() + ballot.sealed_sheets.count()


def workflow_digest() -> str:
    """SHA-256 over the workflow rows, without credential codes, receipts, ids or clock times."""
    h = hashlib.sha256()

    def add(*values: Any) -> None:
        h.update(repr(values).encode("utf-8"))

    for b in Ballot.objects.select_related("unit").order_by("id"):
        add(b.kind, b.title, b.status, b.channel, b.unit.name, b.expected_voters, b.present_voters)
        for item in (
            BallotItem.objects.filter(ballot=b).select_related("cadre", "post__unit").order_by("sort_order")
        ):
            add(
                item.label, item.cadre.id_number if item.cadre else None, str(item.post or ""), item.reference
            )
        add(sorted(Counter(b.credentials.values_list("category", "used")).items()))
        # A sheet's content maps item ids to answers; ids differ between loads, sort orders do not.
        order = {str(pk): n for pk, n in BallotItem.objects.filter(ballot=b).values_list("pk", "sort_order")}
        sheets = Counter(
            (s.category, repr(sorted((order.get(str(k), k), v) for k, v in s.content.items())))
            for s in b.sheets.all()
        )
        add(sorted(sheets.items()))
        add(
            [
                (r.item.sort_order, r.data)
                for r in b.results.select_related("item").order_by("item__sort_order")
            ]
        )
        add([(v.user.username, v.attended) for v in b.voters.select_related("user").order_by("id")])
    for r in SelectionRecord.objects.order_by("id"):
        add(r.title, r.step, r.proposed_on, r.withdrawn_reason, r.announcement, r.probation)
        add([(e.step, e.done_on, e.note) for e in r.events.order_by("id")])
        candidates = r.candidates.select_related("cadre").order_by("sort_order")
        add([(c.cadre.id_number, c.votes, c.proposed, c.approved, c.appointed) for c in candidates])
        add([(n.kind, n.title, n.body, n.start_date, n.end_date, n.team) for n in r.notices.order_by("id")])
        add([(q.body, q.answer, q.sent_on, q.answered_on) for q in r.opinion_requests.order_by("id")])
    for x in ExitRecord.objects.select_related("cadre", "document").order_by("id"):
        add(
            x.cadre.id_number,
            x.kind,
            x.effective_on,
            x.reason,
            x.basis,
            x.document.number if x.document else "",
        )
    for case in IncompetenceCase.objects.select_related("cadre").order_by("id"):
        add(case.cadre.id_number, case.step, case.opened_on, case.start_reason, case.inspected_on)
    for p in Proceeding.objects.select_related("cadre").order_by("id"):
        add(p.cadre.id_number, p.kind, p.body, p.started_on, p.ended_on)
    # Campaigns: tickets without the campaign's id (ids need not repeat after a flush), no clock times.
    for c in Campaign.objects.select_related("unit").order_by("id"):
        add(c.kind, c.title, c.status, c.unit.name, c.registration_start, c.registration_end, c.cutoff)
        # The eligibility's unit scope holds unit ids; their names repeat after a flush, the ids need not.
        eligibility = dict(c.eligibility)
        scope = [int(pk) for pk in eligibility.get("unit_scope") or []]
        names = dict(Unit.objects.filter(pk__in=scope).values_list("pk", "name"))
        eligibility["unit_scope"] = [names.get(pk, "") for pk in scope]
        add(
            c.announcement,
            eligibility,
            c.stages,
            [str(cp.post) for cp in c.posts.select_related("post__unit")],
        )
        applications = c.applications.select_related(
            "applicant",
            "first_choice__post__unit",
            "second_choice__post__unit",
            "reviewed_by",
            "exception_approver",
        ).order_by("ticket")
        for a in applications:
            add(
                a.ticket[-5:],
                a.applicant.id_number,
                a.applicant.name,
                a.applicant.user_id is not None,
                str(a.first_choice.post),
                str(a.second_choice.post) if a.second_choice else "",
                a.status,
                a.findings,
                a.review_note,
                a.reviewed_by.username if a.reviewed_by else "",
                a.exception_approver.username if a.exception_approver else "",
                a.stage_reached,
                a.total,
                a.place,
                a.outcome,
                sorted((s.stage, s.score, s.absent, s.source) for s in a.scores.all()),
            )
        for panel in c.panels.order_by("id"):
            sheets = panel.sheets.select_related("judge", "application")
            add(
                panel.name,
                panel.locked,
                sorted((s.judge.username, s.application.ticket[-5:], s.scores) for s in sheets),
            )
        reserve = ReserveMembership.objects.filter(source__startswith=c.title).select_related("cadre")
        add([(m.cadre.id_number, m.level, m.source, m.start_date) for m in reserve.order_by("id")])
    for doc in AppointmentDocument.objects.filter(created_by__isnull=False).order_by("id"):
        items = doc.items.select_related("cadre", "post__unit").order_by("sort_order")
        add(
            doc.number,
            doc.title,
            doc.issued_on,
            [(i.kind, i.cadre.id_number, str(i.post or ""), i.rank) for i in items],
        )
    return h.hexdigest()


# ---------------------------------------------------------------- the command


def test_command_reports_the_workflows_after_the_county(loaded):
    assert loaded.index("[14/14]") < loaded.index("[流程 1/7]") < loaded.index("[流程 7/7]")
    assert "演示流程已载入" in loaded
    assert "选拔任用纪实 5 条" in loaded and "不称职调整程序 1 件" in loaded
    applications = Application.objects.count()
    assert f"竞争性选拔 3 次（已结束 1、报名中 1、考试与测评 1），报名 {applications} 人次" in loaded


# ---------------------------------------------------------------- ballots


def test_published_meeting_recommendation_of_a_bureau_deputy_post(loaded):
    ballot = Ballot.objects.get(kind=BallotKind.RECOMMENDATION)
    assert ballot.status == BallotStatus.PUBLISHED and ballot.channel == Channel.ELECTRONIC
    item = ballot.items.select_related("post__unit").get()
    assert item.post is not None and item.post.kind == "deputy" and item.post.unit.name.endswith("局")
    assert len(item.reference) == 4 and item.posts == 1
    assert all(Cadre.objects.filter(name=name).exists() for name in item.reference)
    assert 38 <= _receipts(ballot) <= 42
    assert len(set(ballot.sheets.values_list("category", flat=True))) == 3
    assert (ballot.expected_voters, ballot.present_voters) == (45, 42)
    data = BallotResult.objects.get(ballot=ballot).data
    assert data["meeting"]["quorum_met"] and not data.get("void")
    assert data["ranking"][0][0] == item.reference[0]  # the reference list is in the officers' order


def test_published_team_evaluation_flags_one_cadre_above_the_threshold(loaded):
    ballot = Ballot.objects.get(
        kind=BallotKind.EVALUATION, title__contains="领导班子和领导干部", channel="electronic"
    )
    assert ballot.status == BallotStatus.PUBLISHED
    items = list(ballot.items.select_related("cadre"))
    assert len(items) == 5
    for item in items:  # the unit's leadership team (the demoted deputy has since left it)
        team = Tenure.objects.filter(
            cadre=item.cadre, post__unit=ballot.unit, post__kind__in=["head", "deputy"]
        )
        assert team.exists(), item
    assert 58 <= _receipts(ballot) <= 62
    assert len(set(ballot.sheets.values_list("category", flat=True))) == 3
    flagged = [r for r in ballot.results.all() if r.data["incompetent_flag"]]
    assert len(flagged) == 1
    assert flagged[0].data["incompetent_share"] == "7/20" and flagged[0].data["threshold"] == "3/10"


def test_committee_votes_have_the_eleven_members(loaded):
    votes = Ballot.objects.filter(kind=BallotKind.COMMITTEE)
    assert votes.count() == 2
    for ballot in votes:
        assert sorted(ballot.voters.values_list("user__username", flat=True)) == sorted(COMMITTEE_USERNAMES)
        assert all(r.data["passed"] and r.data["members"] == 11 for r in ballot.results.all())
    assert votes.filter(status=BallotStatus.TALLIED).count() == 1


def test_an_evaluation_in_progress_and_a_paper_count_confirmed_by_a_second_officer(loaded):
    running = Ballot.objects.get(status=BallotStatus.OPEN)
    assert running.kind == BallotKind.EVALUATION
    issued, used = running.credentials.count(), running.credentials.filter(used=True).count()
    assert 0 < used < issued and _receipts(running) == used
    paper = Ballot.objects.get(channel=Channel.PAPER)
    assert paper.status == BallotStatus.CLOSED and paper.present_voters is not None
    counts = PaperCount.objects.filter(ballot=paper)
    assert counts.count() == paper.items.count() >= 4
    assert all(c.confirmed_by_id and c.confirmed_by_id != c.entered_by_id and not c.void for c in counts)


# ---------------------------------------------------------------- selection records


def _record(step: str) -> SelectionRecord:
    return SelectionRecord.objects.get(step=step)


def test_five_records_at_different_steps_with_candidates_who_pass_every_rule(loaded):
    steps = list(SelectionRecord.objects.values_list("step", flat=True))
    assert sorted(steps) == sorted(
        ["probation_end", "public_notice", "preannouncement", "inspection", "withdrawn"]
    )
    assert not Override.objects.exists()  # no exception was needed: the rules were met, not waived
    for record in SelectionRecord.objects.all():
        assert all(c.findings == [] for c in record.candidates.all()), record


def test_a_2024_selection_complete_to_the_end_of_probation(loaded):
    record = _record("probation_end")
    dates = list(record.events.values_list("done_on", flat=True))
    assert min(dates) >= dt.date(2024, 1, 1) and max(dates) <= dt.date(2025, 12, 31)
    assert [e.step for e in record.events.order_by("id")][-1] == "probation_end"
    probation = record.probations.get()
    assert probation.status == ProbationStatus.CONFIRMED and probation.evaluation_ballot is not None
    assert record.document is not None and record.candidates.filter(appointed=True).count() == 1
    appointee = record.candidates.get(appointed=True).cadre
    assert appointee.rank == "deputy_section" and appointee.is_leadership


def test_the_notice_runs_today(loaded):
    record = _record("public_notice")
    notice = record.notices.get(kind=NoticeKind.PUBLIC_NOTICE)
    calendar = work_calendar()
    today = timezone.localdate()
    assert calendar.workdays_between(notice.start_date, notice.end_date) >= 5
    assert calendar.covers(notice.end_date)  # within the published arrangement, no invented holidays
    if calendar.covers(today):
        assert notice.start_date <= today <= notice.end_date
    else:  # no official arrangement for this year: the demo invents none, the command says so
        assert "任前公示无法安排在今天进行" in loaded
    assert record.announcement and record.committee_ballot.status == BallotStatus.TALLIED


def test_an_inspection_under_way_with_its_preannouncement_current(loaded):
    record = _record("preannouncement")
    notice = record.notices.get(kind=NoticeKind.PREANNOUNCEMENT)
    assert notice.start_date <= timezone.localdate() <= notice.end_date
    assert record.inspection.started_on >= notice.start_date
    assert record.recommendation_ballot.kind == BallotKind.RECOMMENDATION
    assert record.inspection_ballot.status == BallotStatus.OPEN
    assert [c.votes for c in record.candidates.order_by("sort_order")] == sorted(
        (c.votes for c in record.candidates.all()), reverse=True
    )


def test_a_record_waits_for_the_discipline_commissions_answer(loaded):
    record = _record("inspection")
    requests = list(record.opinion_requests.select_related("addressee"))
    assert len(requests) == 5
    waiting = [r for r in requests if not r.answer]
    assert len(waiting) == 1 and waiting[0].body == OpinionBody.DISCIPLINE
    assert waiting[0].addressee == User.objects.get(username="jiwei")


def test_a_withdrawn_record_states_why(loaded):
    record = _record("withdrawn")
    assert len(record.withdrawn_reason) > 10
    assert record.events.order_by("id").last().note == record.withdrawn_reason


# ---------------------------------------------------------------- exits


def test_exits_of_every_kind_in_the_last_two_years(loaded):
    kinds = Counter(ExitRecord.objects.values_list("kind", flat=True))
    assert kinds["resignation_entire"] == kinds["resignation_post"] == kinds["demotion"] == 1
    for kind in ("early_exit", "reassign_non_leadership", "removal", "retirement"):
        assert kinds[kind] >= 2, kind
    past = _past()
    for x in ExitRecord.objects.select_related("cadre"):
        assert past - dt.timedelta(days=731) <= x.effective_on <= past, x
        assert x.document is not None
    for x in ExitRecord.objects.filter(kind="early_exit").select_related("cadre"):
        assert x.effective_on >= early_exit_date(x.cadre.birth_date, x.cadre.gender, men_age=55, women_age=50)
    for x in ExitRecord.objects.filter(kind="retirement").select_related("cadre"):
        category = cadre_retirement_category(x.cadre.gender)
        assert x.effective_on == statutory_retirement_date(x.cadre.birth_date, category, as_of=x.effective_on)


def test_the_generators_leavers_keep_their_status_without_exit_records(loaded):
    generated = generate()
    early = sum(1 for c in generated.cadres if c.status == "early_exit")
    retired = sum(1 for c in generated.cadres if c.status == "retired")
    assert (
        Cadre.objects.filter(status="early_exit").count()
        == early + ExitRecord.objects.filter(kind="early_exit").count()
    )
    assert (
        Cadre.objects.filter(status="retired").count()
        == retired + ExitRecord.objects.filter(kind="retirement").count()
    )


def test_the_demotion_came_through_the_incompetence_case_from_the_flagged_evaluation(loaded):
    case = IncompetenceCase.objects.select_related("evaluation__ballot", "outcome").get()
    assert case.step == "adjusted" and case.inspection_confirmed
    assert (
        case.evaluation.data["incompetent_flag"] and case.evaluation.ballot.status == BallotStatus.PUBLISHED
    )
    assert case.outcome.kind == "demotion" and case.outcome.cadre_id == case.cadre_id
    assert case.opened_on <= case.inspected_on <= case.outcome.effective_on


def test_an_open_proceeding_refuses_a_resignation(loaded):
    # The economic-responsibility audits are proceedings too (issue 14): one in progress, those
    # reported closed. Apart from them: the open 纪律审查, and the audit before a resignation.
    own = Proceeding.objects.filter(economic_audit__isnull=True)
    proceeding = own.get(ended_on__isnull=True)
    assert own.filter(ended_on__isnull=False).count() == 1
    in_progress = Proceeding.objects.filter(economic_audit__isnull=False, ended_on__isnull=True)
    assert in_progress.count() == 1
    before = ExitRecord.objects.count()
    on = timezone.localdate()
    decision = exits.Decision(
        decided_on=on, effective_on=on, reason="本人申请", document_number="示委〔2099〕1号"
    )
    with pytest.raises(ServiceError) as exc:
        exits.resignation_record(
            actor=User.objects.get(username="zzb"), cadre=proceeding.cadre, decision=decision, entire=True
        )
    assert "县纪委监委的纪律审查（尚未结束）" in "".join(exc.value.messages)
    assert ExitRecord.objects.count() == before


def test_the_due_lists_of_this_year_are_populated(loaded):
    zzb = User.objects.get(username="zzb")
    year = _past().year
    assert len(exit_selectors.due_early_exit(user=zzb, year=year)) >= 3
    assert len(exit_selectors.due_retirement(user=zzb, year=year)) >= 1


# ---------------------------------------------------------------- audit, --if-empty, determinism


def test_the_audit_chain_verifies_and_every_workflow_event_has_a_demo_actor(loaded):
    assert audit_verify().ok
    system = AuditEvent.objects.filter(actor__isnull=True)
    # Registrations and petitions on the public pages have no actor, as real ones have none: exactly those.
    assert set(system.values_list("event_type", flat=True)) == {
        "demo.loaded",
        "user.created",
        "campaign.application_submitted",
        "petitions.received",
    }
    public = Application.objects.filter(applicant__cadre__isnull=True).count()
    assert system.filter(event_type="campaign.application_submitted").count() == public > 0
    online = Petition.objects.filter(channel="online").count()
    assert system.filter(event_type="petitions.received").count() == online > 0
    actors = set(AuditEvent.objects.filter(actor__isnull=False).values_list("actor__username", flat=True))
    everyone = {"zzb", "zzbld", "jiwei", *COMMITTEE_USERNAMES, *JUDGE_USERNAMES}
    assert everyone >= actors >= {"zzb", "zzbld", "jiwei", *JUDGE_USERNAMES}
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "selection.step",
        "voting.ballot_published",
        "exits.exit_recorded",
        "exits.case_adjusted",
        "campaign.panel_locked",
        "campaign.reserve_added",
    } <= types


def test_if_empty_adds_no_second_set(loaded):
    def counts() -> tuple[int, ...]:
        return (
            Ballot.objects.count(),
            SelectionRecord.objects.count(),
            ExitRecord.objects.count(),
            Campaign.objects.count(),
            Application.objects.count(),
        )

    before = counts()
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "不再载入示例数据" in out.getvalue()
    assert counts() == before
    assert AuditEvent.objects.count() == events


def test_the_same_seed_gives_the_same_workflows(loaded):
    """Last in the module: it empties the database and loads the demo again, in this test's transaction."""
    first = workflow_digest()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    call_command("demo", stdout=io.StringIO())
    assert workflow_digest() == first
    assert audit_verify().ok
    ContentType.objects.clear_cache()
