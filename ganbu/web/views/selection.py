"""The appointment procedure's pages: the records, one record's route and the form of its next step.

A record's page shows where it stands (the route through the transition table, the trail, the
candidates and their findings, the checks, the opinions, the notices) and only the forms the current
step allows. Every form posts to ``record_action``, which calls one service; a refusal re-renders the
page with the service's messages (rule, article, fact) on that form and nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.doctemplates.choices import DocKind
from ganbu.registry import selectors as registry_selectors
from ganbu.rules.notice import notice_rule_on
from ganbu.rules.selection_flow import Step
from ganbu.selection import selectors, services
from ganbu.selection.choices import MANDATORY_CHECKS, CheckKind, NoticeKind, ObjectionStatus, ProbationStatus
from ganbu.selection.models import SelectionRecord
from ganbu.voting import selectors as voting_selectors
from ganbu.voting.choices import BallotKind, BallotStatus

from ..exports import DAY, Column, wants_xlsx, xlsx_response
from ..forms_common import add_service_error
from ..forms_selection import (
    AnnouncementForm,
    AppointmentForm,
    BallotLinkForm,
    CandidatesForm,
    CheckForm,
    CommitteePrepareForm,
    DecidedForm,
    DepartmentMeetingForm,
    FeedbackForm,
    InspectionDoneForm,
    InspectionStartForm,
    NoticeForm,
    OnForm,
    OpinionAnswerForm,
    OpinionRequestForm,
    OverrideForm,
    ProbationForm,
    ProposeForm,
    PublicNoticeForm,
    TalkSurveyForm,
    WithdrawForm,
)
from .org_common import AuthedRequest, page_of

STEP_FILTERS = [("active", "进行中"), ("", "全部"), *((s.value, s.label) for s in Step)]
RECORD_COLUMNS = [
    Column("名称", lambda r: r.title),
    Column("拟任单位", lambda r: r.unit.name),
    Column("动议日期", lambda r: r.proposed_on, DAY),
    Column("考察对象（人）", lambda r: r.candidate_count),
    Column("当前环节", lambda r: r.get_step_display()),
]


def _record(request: AuthedRequest, pk: int) -> SelectionRecord:
    """A record in the user's scope, or 404."""
    require_cap(request.user, Cap.SELECTION_VIEW)
    return selectors.record_get(user=request.user, record_id=pk)


@login_required
@require_GET
def record_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """The user's records, filtered by step and a word, one page at a time (``?export=xlsx``: all)."""
    require_cap(request.user, Cap.SELECTION_VIEW)
    step = request.GET.get("step", "active")
    q = request.GET.get("q", "")[:50]
    records = selectors.record_list(user=request.user, step=step, q=q)
    if wants_xlsx(request):
        step_label = dict(STEP_FILTERS).get(step, "")
        filters = [("环节", step_label)] if step_label else []
        filters += [("名称或单位", q.strip())] if q.strip() else []
        return xlsx_response(
            title="选拔任用纪实", columns=RECORD_COLUMNS, rows=records.iterator(), filters=filters
        )
    page, query = page_of(request, records)
    return render(
        request,
        "web/selection/record_list.html",
        {
            "page": page,
            "query": query,
            "step": step,
            "q": q,
            "filters": STEP_FILTERS,
            "can_manage": has_cap(request.user, Cap.SELECTION_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: AuthedRequest) -> HttpResponse:
    """动议: open a record for vacant posts of a unit in scope."""
    require_cap(request.user, Cap.SELECTION_MANAGE)
    units = registry_selectors.unit_choices(user=request.user)
    form = ProposeForm(
        request.POST or None,
        units=units,
        initial={"proposed_on": timezone.localdate(), "public_notice": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posts = []
            for pid in form.post_ids():
                try:
                    posts.append(registry_selectors.post_get_for_user(user=request.user, post_id=pid))
                except Http404:
                    raise ValidationError({"post_1": ["职位不存在或不在您的管理范围内。"]}) from None
            record = services.selection_propose(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                reason=data["reason"],
                proposer=data["proposer"],
                proposed_on=data["proposed_on"],
                posts=posts,
                announcement=data["announcement"],
                public_notice=data["public_notice"],
                notice_exemption=data["notice_exemption"],
                exceptional=data["exceptional"],
                exceptional_reason=data["exceptional_reason"],
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else None
            if errors and "posts" in errors:
                # The posts are picked in the post_N boxes: show the post findings under the first.
                form.add_error("post_1", errors.pop("posts"))
                if errors:
                    add_service_error(form, ValidationError(errors))
            else:
                add_service_error(form, exc)
        else:
            messages.success(request, f"已建立选拔任用纪实「{record.title}」。")
            return redirect("web:selection-detail", pk=record.pk)
    return render(
        request, "web/selection/record_form.html", {"form": form}, status=400 if form.errors else 200
    )


# ---------------------------------------------------------------- one record


def _recommendation_votes(record: SelectionRecord) -> list[dict[str, Any]]:
    """The recommendation result per post (votes as a reference, REC-07), if a ballot is linked."""
    ballot = record.recommendation_ballot
    if ballot is None or ballot.status not in (BallotStatus.TALLIED, BallotStatus.PUBLISHED):
        return []
    rows = []
    for result in voting_selectors.ballot_result_rows(ballot=ballot):
        rows.append({"label": result.label, "ranking": result.data.get("ranking", []), "data": result.data})
    return rows


def _exception_person(request: AuthedRequest) -> Any:
    """The person whose findings the leader looked up (``?exception_cadre=`` or the posted form), in scope."""
    raw = request.GET.get("exception_cadre") or request.POST.get("ovr-exception_cadre") or ""
    if not raw.strip().isdigit():
        return None
    try:
        return registry_selectors.cadre_get_for_user(user=request.user, cadre_id=int(raw))
    except Http404:
        return None


def _forms(request: AuthedRequest, record: SelectionRecord, bind: str | None = None) -> dict[str, Any]:
    """The forms the current step allows; the one named ``bind`` is bound to the POSTed data."""
    step = Step(record.step)
    today = timezone.localdate()
    user = request.user
    forms: dict[str, Any] = {}
    manage = has_cap(user, Cap.SELECTION_MANAGE)

    def make(key: str, cls: Any, **kwargs: Any) -> None:
        forms[key] = cls(request.POST if key == bind else None, **kwargs)

    if step is Step.WITHDRAWN or step is Step.PROBATION_END:
        return forms
    if has_cap(user, Cap.SELECTION_APPROVE):
        person = _exception_person(request)
        options = services.exception_options(record, on=today, cadre=person)
        make(
            "override",
            OverrideForm,
            prefix="ovr",
            options=[(o.key, o.words) for o in options if o.overridable],
            initial={"approved_on": today, "exception_cadre": person.pk if person else None},
        )
        # What the page says around the choice: whom it is about, and what nothing may lift.
        forms["override"].person = person
        forms["override"].lookup = step in (Step.PROPOSAL, Step.RECOMMENDATION)
        forms["override"].options = [o for o in options if o.overridable]
        forms["override"].blocking = [o for o in options if not o.overridable]
    if not manage:
        return forms
    ballots = voting_selectors.ballots_for(user).order_by("-id")

    def recent(kind: str) -> Any:
        # The 50 newest of a kind, as a plain filter: a sliced queryset cannot validate a choice.
        return ballots.filter(pk__in=list(ballots.filter(kind=kind).values_list("pk", flat=True)[:50]))

    make("withdraw", WithdrawForm, prefix="wd", initial={"on": today})
    if step is Step.PROPOSAL:
        make("talk", TalkSurveyForm, prefix="talk", initial={"held_on": today})
        make(
            "rec_ballot",
            BallotLinkForm,
            prefix="rb",
            ballots=ballots.filter(kind=BallotKind.RECOMMENDATION),
            offered=selectors.linkable_ballots(user=user, record=record, kind=BallotKind.RECOMMENDATION),
        )
        make("rec_done", OnForm, prefix="rd", initial={"on": today})
    if step is Step.RECOMMENDATION:
        posts = [(p.post_id, str(p.post)) for p in record.posts.select_related("post__unit")]
        make("candidates", CandidatesForm, prefix="cand", posts=posts, initial={"on": today})
    if step in (Step.CANDIDATES, Step.PREANNOUNCEMENT, Step.INSPECTION):
        make(
            "opinion",
            OpinionRequestForm,
            prefix="op",
            addressees=selectors.opinion_addressees(),
            initial={"sent_on": today},
        )
    if step is Step.CANDIDATES:
        names = "、".join(c.cadre.name for c in record.candidates.select_related("cadre"))
        make(
            "preannouncement",
            NoticeForm,
            prefix="pre",
            initial={
                "title": f"{record.unit.name}干部考察预告",
                "body": (
                    f"根据工作需要，县委组织部将对{names}同志进行考察。"
                    "考察期间，欢迎干部群众如实反映考察对象的有关情况。"
                ),
                "start_date": today,
                "end_date": today,
            },
        )
    if step in (Step.CANDIDATES, Step.PREANNOUNCEMENT):
        make("check", CheckForm, prefix="chk", initial={"done_on": today})
        make(
            "eval_ballot",
            BallotLinkForm,
            prefix="eb",
            ballots=ballots.filter(kind=BallotKind.EVALUATION),
            offered=selectors.linkable_ballots(user=user, record=record, kind=BallotKind.EVALUATION),
        )
    if step is Step.PREANNOUNCEMENT:
        if not hasattr(record, "inspection"):
            make("inspection_start", InspectionStartForm, prefix="ins", initial={"started_on": today})
        else:
            make("inspection_done", InspectionDoneForm, prefix="ind", initial={"finished_on": today})
    if step is Step.INSPECTION:
        make("opinions_done", OnForm, prefix="od", initial={"on": today})
    if step is Step.OPINIONS:
        choices = [
            (str(c.pk), f"{c.cadre.name}（{c.post}）")
            for c in record.candidates.select_related("cadre", "post")
        ]
        make("meeting", DepartmentMeetingForm, prefix="dm", candidates=choices, initial={"held_on": today})
    if step is Step.DEPARTMENT_MEETING:
        if record.committee_ballot_id is None:
            make("committee", CommitteePrepareForm, prefix="cv", members=selectors.committee_members())
        else:
            make("decided", DecidedForm, prefix="dc", initial={"decided_on": today})
    if step is Step.COMMITTEE_VOTE and record.announcement:
        make("announcement", AnnouncementForm, prefix="an", initial={"announced_on": today})
    if (step is Step.COMMITTEE_VOTE and not record.announcement) or step is Step.ANNOUNCEMENT:
        if record.public_notice:
            approved = "、".join(
                c.cadre.name for c in record.candidates.filter(approved=True).select_related("cadre")
            )
            make(
                "notice",
                PublicNoticeForm,
                prefix="pn",
                longer_allowed=notice_rule_on(services.decided_on(record)).maximum is not None,
                initial={
                    "title": "干部任前公示",
                    "body": (
                        f"经县委常委会研究，拟任用{approved}同志，现予公示。"
                        "公示期间，欢迎干部群众来电、来信、来访反映情况。"
                    ),
                    "start_date": today,
                    "end_date": today,
                },
            )
        else:
            make("appointment", AppointmentForm, prefix="ap", initial={"issued_on": today})
    if step is Step.PUBLIC_NOTICE:
        make("appointment", AppointmentForm, prefix="ap", initial={"issued_on": today})
    if step is Step.APPOINTMENT:
        make("feedback", FeedbackForm, prefix="fb", initial={"collected_on": today})
    if step in (Step.APPOINTMENT, Step.FEEDBACK):
        running = [
            (p.pk, f"{p.candidate.cadre.name}（{p.end_date:%Y-%m-%d} 届满）")
            for p in record.probations.filter(status=ProbationStatus.RUNNING).select_related(
                "candidate__cadre"
            )
        ]
        make(
            "probation",
            ProbationForm,
            probations=running,
            prefix="pb",
            ballots=recent(BallotKind.EVALUATION),
            initial={"concluded_on": today},
        )
    if step is Step.FEEDBACK:
        make("finish", OnForm, prefix="fin", initial={"on": today})
    return forms


def _detail(
    request: AuthedRequest, record: SelectionRecord, forms: dict[str, Any] | None = None
) -> HttpResponse:
    """The record's page with the forms of its step (``forms`` given when one of them carries errors)."""
    candidates = list(record.candidates.select_related("cadre", "post__unit").prefetch_related("checks"))
    inspection = getattr(record, "inspection", None)
    kinds = list(MANDATORY_CHECKS) + (
        [CheckKind.ECONOMIC_AUDIT] if inspection and inspection.audit_required else []
    )
    grid = [
        {
            "candidate": c,
            "checks": [
                {"kind": CheckKind(k), "done": next((x for x in c.checks.all() if x.kind == k), None)}
                for k in kinds
            ],
        }
        for c in candidates
    ]
    notices = {n.kind: n for n in record.notices.all()}
    public = notices.get(NoticeKind.PUBLIC_NOTICE)
    events = list(record.events.select_related("done_by").order_by("id"))
    done = {e.step for e in events}
    # The documents whose step has happened (the download refuses the others with a message).
    ready = {
        DocKind.PREANNOUNCEMENT: NoticeKind.PREANNOUNCEMENT in notices,
        DocKind.INSPECTION_OUTLINE: inspection is not None,
        DocKind.DECISION_LIST: Step.COMMITTEE_VOTE.value in done,
        DocKind.PUBLIC_NOTICE: public is not None,
        DocKind.APPOINTMENT_NOTICE: record.document_id is not None,
    }
    context = {
        "record": record,
        "route": selectors.record_route(record),
        "events": events,
        "documents": [(kind, kind.label) for kind, ok in ready.items() if ok],
        "posts": list(record.posts.select_related("post__unit")),
        "candidates": candidates,
        "grid": grid,
        "inspection": inspection,
        "talks": list(record.talk_surveys.all()),
        "votes": _recommendation_votes(record),
        "opinions": list(record.opinion_requests.select_related("addressee")),
        "opinion_answer_form": OpinionAnswerForm(prefix="oa", initial={"answered_on": timezone.localdate()}),
        "outstanding": services.opinions_outstanding(record) if Step(record.step) is Step.INSPECTION else [],
        "preannouncement": notices.get(NoticeKind.PREANNOUNCEMENT),
        "public_notice": public,
        "objections_open": public.objections.filter(status=ObjectionStatus.OPEN).count() if public else 0,
        "objections_total": public.objections.count() if public else 0,
        "decision": getattr(record, "decision", None),
        "announcement_made": getattr(record, "announcement_made", None),
        "feedback": getattr(record, "feedback", None),
        "probations": list(record.probations.select_related("candidate__cadre", "tenure__post")),
        "overrides": list(record.overrides.select_related("approver", "cadre")),
        "forms": forms if forms is not None else _forms(request, record),
        "ProbationStatus": ProbationStatus,
        "can_manage": has_cap(request.user, Cap.SELECTION_MANAGE),
    }
    return render(
        request, "web/selection/record_detail.html", context, status=400 if forms is not None else 200
    )


@login_required
@require_GET
def record_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One record: its route, what each step left, and the forms of what may come next."""
    return _detail(request, _record(request, pk))


# ---------------------------------------------------------------- actions

Handler = Callable[[AuthedRequest, SelectionRecord, Any], str]


def _cadre(request: AuthedRequest, cadre_id: int | None, field: str) -> Any:
    """A cadre in scope, or a field error."""
    if not cadre_id:
        return None
    try:
        return registry_selectors.cadre_get_for_user(user=request.user, cadre_id=cadre_id)
    except Http404:
        raise ValidationError({field: ["干部不存在或不在您的管理范围内。"]}) from None


def _talk(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.talk_survey_add(actor=request.user, record=record, **d)
    return "已登记谈话调研推荐。"


def _rec_ballot(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.recommendation_ballot_link(actor=request.user, record=record, ballot=d["ballot"])
    return "已关联会议推荐投票。"


def _rec_done(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.recommendation_complete(actor=request.user, record=record, on=d["on"], note=d["note"])
    return "民主推荐环节已完成。"


def _candidates(request: AuthedRequest, record: SelectionRecord, d: Any, form: CandidatesForm) -> str:
    choices = []
    for n, (cadre_id, post_id) in enumerate(form.rows(), start=1):
        cadre = _cadre(request, cadre_id, f"cadre_{n}")
        post = next((p.post for p in record.posts.select_related("post") if p.post_id == post_id), None)
        if post is None:
            raise ValidationError({f"post_{n}": ["请选择本次选拔的拟任职位。"]})
        choices.append(services.Choice(cadre=cadre, post=post))
    if not choices:
        raise ValidationError({"cadre_1": ["请选择考察对象。"]})
    services.candidates_set(
        actor=request.user,
        record=record,
        choices=choices,
        on=d["on"],
        differential_reason=d["differential_reason"],
    )
    return "已确定考察对象。"


def _override(request: AuthedRequest, record: SelectionRecord, d: Any, form: OverrideForm) -> str:
    cadre_id, rule = form.chosen()
    override = services.override_grant(
        actor=request.user,
        record=record,
        rule=rule,
        reason=d["reason"],
        approved_on=d["approved_on"],
        cadre=_cadre(request, cadre_id, "rule"),
        higher_approval_ref=d["higher_approval_ref"],
    )
    who = f"{override.cadre.name}：" if override.cadre else ""
    return f"已批准例外（{who}{override.finding}）。"


def _preannouncement(request: AuthedRequest, record: SelectionRecord, d: Any, form: NoticeForm) -> str:
    services.preannouncement_publish(
        actor=request.user,
        record=record,
        title=d["title"],
        body=d["body"],
        team=form.team_names(),
        start_date=d["start_date"],
        end_date=d["end_date"],
        contact=d["contact"],
    )
    return "考察预告已发布。"


def _inspection_start(
    request: AuthedRequest, record: SelectionRecord, d: Any, form: InspectionStartForm
) -> str:
    services.inspection_start(
        actor=request.user,
        record=record,
        team_leader=d["team_leader"],
        team=form.team_names(),
        started_on=d["started_on"],
        audit_required=d["audit_required"],
    )
    return "考察已开始。"


def _check(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    candidate = selectors.candidate_of(record=record, candidate_id=d["candidate"])
    if candidate is None:
        raise ValidationError("该人选不是本纪实的考察对象。")
    services.inspection_check_record(
        actor=request.user, candidate=candidate, kind=d["kind"], done_on=d["done_on"], result=d["result"]
    )
    return f"已登记{candidate.cadre.name}的「{CheckKind(d['kind']).label}」。"


def _eval_ballot(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.inspection_ballot_link(actor=request.user, record=record, ballot=d["ballot"])
    return "已关联考察民主测评。"


def _inspection_done(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.inspection_complete(actor=request.user, record=record, **d)
    return "考察环节已完成。"


def _opinion(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.opinion_request_send(
        actor=request.user,
        record=record,
        body=d["body"],
        body_name=d["body_name"],
        sent_on=d["sent_on"],
        addressee=d["addressee"],
    )
    return "已发出征求意见。"


def _opinions_done(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.opinions_complete(actor=request.user, record=record, on=d["on"])
    return "征求意见环节已完成。"


def _meeting(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    proposed = [c for c in record.candidates.all() if str(c.pk) in set(d["proposed"])]
    services.department_meeting_record(
        actor=request.user, record=record, held_on=d["held_on"], minutes=d["minutes"], proposed=proposed
    )
    return "已记录部务会研究意见。"


def _committee(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    ballot = services.committee_vote_prepare(
        actor=request.user, record=record, title=d["title"], members=list(d["members"])
    )
    return f"已生成常委会票决「{ballot.title}」，请在投票页面登记到会并开始表决。"


def _decided(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    passed = services.committee_vote_complete(actor=request.user, record=record, decided_on=d["decided_on"])
    return f"已登记票决结果：通过 {len(passed)} 人。"


def _announcement(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.announcement_record(actor=request.user, record=record, **d)
    return "已登记第一时间公告提醒。"


def _notice(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.public_notice_publish(actor=request.user, record=record, **d)
    return "任前公示已发布，公示期间可在群众反映中查看来信来访。"


def _appointment(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    appointed = services.appointment_record(actor=request.user, record=record, **d)
    return f"任职文件已下发，{len(appointed)} 人任职。"


def _feedback(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.feedback_record(actor=request.user, record=record, **d)
    return "已登记任后反响报告。"


def _probation(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    probation = selectors.probations_for(request.user).filter(record=record, pk=d["probation"]).first()
    if probation is None:
        raise ValidationError("试用期记录不存在。")
    services.probation_conclude(
        actor=request.user,
        probation=probation,
        confirmed=d["confirmed"],
        conclusion=d["conclusion"],
        concluded_on=d["concluded_on"],
        evaluation_ballot=d["evaluation_ballot"],
        number=d["number"],
        title=d["title"],
    )
    return "已作出试用期满结论。"


def _finish(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.probation_finish(actor=request.user, record=record, on=d["on"])
    return "纪实已办结。"


def _withdraw(request: AuthedRequest, record: SelectionRecord, d: Any) -> str:
    services.selection_withdraw(actor=request.user, record=record, reason=d["reason"], on=d["on"])
    return "纪实已终止。"


# action → (form key in the page, handler); handlers that need the form itself take it as a 4th argument.
ACTIONS: dict[str, tuple[str, Callable[..., str], bool]] = {
    "talk": ("talk", _talk, False),
    "rec_ballot": ("rec_ballot", _rec_ballot, False),
    "rec_done": ("rec_done", _rec_done, False),
    "candidates": ("candidates", _candidates, True),
    "override": ("override", _override, True),
    "preannouncement": ("preannouncement", _preannouncement, True),
    "inspection_start": ("inspection_start", _inspection_start, True),
    "check": ("check", _check, False),
    "eval_ballot": ("eval_ballot", _eval_ballot, False),
    "inspection_done": ("inspection_done", _inspection_done, False),
    "opinion": ("opinion", _opinion, False),
    "opinions_done": ("opinions_done", _opinions_done, False),
    "meeting": ("meeting", _meeting, False),
    "committee": ("committee", _committee, False),
    "decided": ("decided", _decided, False),
    "announcement": ("announcement", _announcement, False),
    "notice": ("notice", _notice, False),
    "appointment": ("appointment", _appointment, False),
    "feedback": ("feedback", _feedback, False),
    "probation": ("probation", _probation, False),
    "finish": ("finish", _finish, False),
    "withdraw": ("withdraw", _withdraw, False),
}


@login_required
@require_POST
def record_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Run one step's form: the service's refusal re-renders the page with its reasons, nothing written."""
    record = _record(request, pk)
    if action not in ACTIONS:
        raise Http404("页面不存在。")
    key, handler, wants_form = ACTIONS[action]
    forms = _forms(request, record, bind=key)
    form = forms.get(key)
    if form is None:
        messages.error(request, f"当前环节为「{Step(record.step).label}」，不能进行此项操作。")
        return redirect("web:selection-detail", pk=record.pk)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            done = handler(request, record, data, form) if wants_form else handler(request, record, data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("web:selection-detail", pk=record.pk)
    return _detail(request, _record(request, pk), forms)


# ---------------------------------------------------------------- opinion requests (supervising bodies)


@login_required
@require_GET
def opinion_inbox(request: AuthedRequest) -> HttpResponse:
    """The opinion requests addressed to this user, open ones first."""
    require_cap(request.user, Cap.OPINION_ANSWER)
    page, query = page_of(request, selectors.opinion_requests_for(request.user))
    return render(request, "web/selection/opinion_inbox.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def opinion_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer one request: the addressee, or an officer recording a body's written answer."""
    target = selectors.opinion_request_get(user=request.user, request_id=pk)
    form = OpinionAnswerForm(request.POST or None, prefix="oa", initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.opinion_answer(
                actor=request.user,
                request=target,
                answer=d["answer"],
                text=d["answer_text"],
                answered_on=d["answered_on"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已答复{target.body_name}征求意见。")
            if has_cap(request.user, Cap.OPINION_ANSWER) and target.addressee_id == request.user.pk:
                return redirect("web:opinion-inbox")
            return redirect("web:selection-detail", pk=target.record_id)
    candidates = selectors.candidate_names(record_id=target.record_id)
    return render(
        request,
        "web/selection/opinion_answer.html",
        {"target": target, "form": form, "candidates": candidates},
        status=400 if form.errors else 200,
    )
