"""谈话 pages: the talks list with its filters and the 廉政谈话 still due, a form per kind (诫勉 with
its period), and a talk's detail where a 函询's answer or a planned talk's outcome is recorded.

Views parse with ``forms_talks``, call one ``ganbu.talks`` service or selector and render; a
service's refusal re-renders the form with its Chinese message and nothing written. The pages
exist only for roles that see supervision files (``talks.selectors.sees_talks``): for every
other role, unit officers included, they are 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.policy.selectors import policy_value
from ganbu.registry import selectors as registry_selectors
from ganbu.selection.models import SelectionRecord
from ganbu.talks import selectors, services
from ganbu.talks.choices import TalkKind, TalkStatus
from ganbu.talks.models import Talk

from ..forms_common import add_service_error
from ..forms_talks import AdmonishForm, AnswerForm, HoldForm, TalkForm, TalkUnitFilterForm
from .org_common import AuthedRequest, int_param, page_of

MIN_YEAR, MAX_YEAR = 1950, 2100
DUE_SHOWN = 10
MSG_NO_PAGE = "页面不存在或无权访问。"


def _require_sees(request: AuthedRequest) -> None:
    if not selectors.sees_talks(request.user):
        raise Http404(MSG_NO_PAGE)


@login_required
@require_GET
def talk_list(request: AuthedRequest) -> HttpResponse:
    """Talks in scope, newest first, filtered by kind, unit, year and status (a page in the database),
    with the first 廉政谈话 still due before taking office and links to record each kind."""
    _require_sees(request)
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in TalkKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in TalkStatus.values else ""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and MIN_YEAR <= int(year_text) <= MAX_YEAR else None
    unit_id = int_param(request, "unit")
    talks = selectors.talk_list(user=user, kind=kind, unit_id=unit_id, year=year, status=status)
    page, query = page_of(request, talks)
    due = selectors.integrity_talks_due(user=user)
    due_rows = list(due[:DUE_SHOWN])
    due_count = len(due_rows) if len(due_rows) < DUE_SHOWN else due.count()
    return render(
        request,
        "web/talks/list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "status": status,
            "year": year,
            "unit_id": unit_id,
            "kinds": TalkKind.choices,
            "statuses": TalkStatus.choices,
            "years": selectors.talk_years(user=user),
            "unit_filter": TalkUnitFilterForm(request.GET, user=user),
            "due_rows": due_rows,
            "due_count": due_count,
            "can_record": selectors.manages_talks(user),
        },
    )


def _record_talk(kind: TalkKind, request: AuthedRequest, form: TalkForm | AdmonishForm) -> Talk:
    """Call the service of ``kind`` with the form's cleaned data."""
    data = form.cleaned_data
    if kind == TalkKind.ADMONISHMENT:
        return services.admonish(
            actor=request.user,
            cadre=data["cadre"],
            decided_on=data["decided_on"],
            issue=data["issue"],
            talkers=data["talkers"],
            talker_body=data["talker_body"],
            months=data.get("months"),
            approving_body=data.get("approving_body", ""),
            follow_up=data.get("follow_up", ""),
        )
    return services.talk_record(
        actor=request.user,
        cadre=data["cadre"],
        kind=kind,
        held_on=data["held_on"],
        talkers=data["talkers"],
        issue=data["issue"],
        talker_body=data["talker_body"],
        follow_up=data.get("follow_up", ""),
        record=data.get("record"),
        answer_due_on=data.get("answer_due_on"),
        planned=bool(data.get("planned")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def talk_create(request: AuthedRequest, kind: str) -> HttpResponse:
    """The form of one kind; the to-do's link presets the cadre and the 纪实 (``?cadre=&record=``)."""
    user = request.user
    if not selectors.manages_talks(user) or kind not in TalkKind.values:
        raise Http404(MSG_NO_PAGE)
    talk_kind = TalkKind(kind)
    today = timezone.localdate()
    form: TalkForm | AdmonishForm
    data = request.POST if request.method == "POST" else None
    if talk_kind == TalkKind.ADMONISHMENT:
        months = int(policy_value(services.ADMONISHMENT_MONTHS_KEY, today).value)
        form = AdmonishForm(data, user=user, county_months=months, initial={"decided_on": today})
    else:
        initial: dict[str, Any] = {"held_on": today}
        if talk_kind == TalkKind.INTEGRITY:
            initial["talker_body"] = "joint"
        form = TalkForm(data, kind=talk_kind, user=user, initial=initial)
    record: SelectionRecord | None = None
    if request.method == "POST":
        if form.is_valid():
            try:
                talk = _record_talk(talk_kind, request, form)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已登记{talk.cadre.name}同志的{talk_kind.label}。")
                return redirect("web:talk-detail", pk=talk.pk)
    else:
        cadre_id = int_param(request, "cadre")
        if cadre_id is not None:
            cadre = (
                registry_selectors.cadre_list(user=user).filter(pk=cadre_id).select_related("unit").first()
            )
            if cadre is not None:
                form.set_cadre(cadre)
        record_id = int_param(request, "record")
        if record_id is not None and talk_kind == TalkKind.INTEGRITY:
            record = SelectionRecord.objects.filter(pk=record_id).first()
            if record is not None:
                form.initial["record"] = record.pk
    if record is None and "record" in form.fields:
        bound_id = int_or_none(form["record"].value())
        if bound_id is not None:
            record = SelectionRecord.objects.filter(pk=bound_id).first()
    return render(request, "web/talks/form.html", {"form": form, "kind": talk_kind, "record": record})


def int_or_none(value: object) -> int | None:
    """A bound form value as an id, or None (never a 500 on a tampered hidden field)."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) <= 18 else None


@login_required
@require_http_methods(["GET", "POST"])
def talk_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One talk; the answer form of a 函询 awaiting it, the outcome form of a planned talk."""
    _require_sees(request)
    user = request.user
    talk = selectors.talk_get(user=user, talk_id=pk)
    can_record = selectors.manages_talks(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and (not can_record or action not in ("answer", "hold")):
        raise Http404(MSG_NO_PAGE)
    today = timezone.localdate()
    answer = AnswerForm(
        request.POST if action == "answer" else None, initial={"answered_on": today}, prefix="answer"
    )
    hold = HoldForm(request.POST if action == "hold" else None, initial={"held_on": today}, prefix="hold")
    if action == "answer" and answer.is_valid():
        data = answer.cleaned_data
        try:
            services.inquiry_answer(
                actor=user,
                talk=talk,
                answered_on=data["answered_on"],
                answer=data["answer"],
                follow_up=data.get("follow_up", ""),
            )
        except ValidationError as exc:
            add_service_error(answer, exc)
        else:
            messages.success(request, "已登记函询的书面回复。")
            return redirect("web:talk-detail", pk=talk.pk)
    elif action == "hold" and hold.is_valid():
        data = hold.cleaned_data
        try:
            services.talk_hold(
                actor=user, talk=talk, held_on=data["held_on"], follow_up=data.get("follow_up", "")
            )
        except ValidationError as exc:
            add_service_error(hold, exc)
        else:
            messages.success(request, "已登记谈话情况。")
            return redirect("web:talk-detail", pk=talk.pk)
    return render(
        request,
        "web/talks/detail.html",
        {
            "talk": talk,
            "answer": answer,
            "hold": hold,
            "can_record": can_record,
            "awaiting": talk.status == TalkStatus.AWAITING_ANSWER,
            "planned": talk.status == TalkStatus.PLANNED,
            "overdue": bool(
                talk.status == TalkStatus.AWAITING_ANSWER
                and talk.answer_due_on
                and talk.answer_due_on < today
            ),
        },
    )
