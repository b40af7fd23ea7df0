"""Ballot set-up and counting pages: the committee roster and recusals, meeting attendance, paper counts,
and a committee member's own voting page.

Each view parses, calls one ``ganbu.voting`` service, and redirects back with the service's message.
The member's voting page renders the receipt in the POST response and stores it nowhere (no session,
no flash message): a receipt kept next to the login would tie the member to their sheet.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.core.access import Cap, require_cap
from ganbu.rules.tally import CommitteeChoice, Grade
from ganbu.voting import selectors, services
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import Ballot, BallotItem, Voter

from ..forms_voting import MeetingAttendanceForm, MemberAddForm, PaperCountForm, RecusalForm
from .org_common import AuthedRequest
from .voting import flash_error, staff_ballot

CHOICES = [(c.value, c.label) for c in CommitteeChoice]


def _back(ballot: Ballot) -> HttpResponse:
    """Back to the ballot's page."""
    return redirect("web:ballot-detail", pk=ballot.pk)


def _form_errors(request: AuthedRequest, form: Any) -> None:
    """Every error of an invalid form as a message on the next page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _voter(ballot: Ballot, voter_id: Any) -> Voter:
    """A roster member of this ballot, or 404."""
    if not str(voter_id).isdigit():
        raise Http404("成员不存在。")
    return selectors.ballot_voter_get(ballot=ballot, voter_id=int(voter_id))


def _item(ballot: Ballot, item_id: Any) -> BallotItem:
    """An item of this ballot, or 404."""
    items = selectors.ballot_items_in(ballot=ballot, ids=[int(item_id)]) if str(item_id).isdigit() else []
    if not items:
        raise Http404("事项不存在。")
    return items[0]


def _run(request: AuthedRequest, ballot: Ballot, done: str, call: Any) -> HttpResponse:
    """Call a service; show its refusal or ``done``; go back to the ballot."""
    try:
        call()
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, done)
    return _back(ballot)


# ---------------------------------------------------------------- committee roster


@login_required
@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put a standing-committee member on a draft roster."""
    ballot = staff_ballot(request, pk)
    form = MemberAddForm(request.POST, prefix="member", candidates=selectors.committee_member_candidates())
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ballot)
    user, attended = form.cleaned_data["user"], form.cleaned_data["attended"]
    return _run(
        request,
        ballot,
        f"已将 {user} 列入成员名单。",
        lambda: services.committee_member_add(
            actor=request.user, ballot=ballot, user=user, attended=attended
        ),
    )


@login_required
@require_POST
def member_remove(request: AuthedRequest, pk: int, voter_id: int) -> HttpResponse:
    """Take a member off a draft roster."""
    ballot = staff_ballot(request, pk)
    voter = _voter(ballot, voter_id)
    return _run(
        request,
        ballot,
        f"已将 {voter} 移出成员名单。",
        lambda: services.committee_member_remove(actor=request.user, ballot=ballot, voter=voter),
    )


@login_required
@require_POST
def member_attendance(request: AuthedRequest, pk: int, voter_id: int) -> HttpResponse:
    """Mark a member present or absent (实到)."""
    ballot = staff_ballot(request, pk)
    voter = _voter(ballot, voter_id)
    attended = request.POST.get("attended") == "1"
    return _run(
        request,
        ballot,
        f"已登记 {voter} {'到会' if attended else '未到会'}。",
        lambda: services.committee_attendance_set(
            actor=request.user, ballot=ballot, voter=voter, attended=attended
        ),
    )


@login_required
@require_POST
def recusal_set(request: AuthedRequest, pk: int) -> HttpResponse:
    """Recuse a member from an item with the reason, or lift a recusal entered by hand."""
    ballot = staff_ballot(request, pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ballot)
    data = form.cleaned_data
    voter, item = _voter(ballot, data["voter"]), _item(ballot, data["item"])
    recused = request.POST.get("recused", "1") == "1"
    return _run(
        request,
        ballot,
        f"已{'登记' if recused else '取消'} {voter} 对「{item}」的回避。",
        lambda: services.committee_recusal_set(
            actor=request.user, ballot=ballot, voter=voter, item=item, recused=recused, reason=data["reason"]
        ),
    )


@login_required
@require_POST
def meeting_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a recommendation or evaluation meeting's 应到 / 实到 counts."""
    ballot = staff_ballot(request, pk)
    form = MeetingAttendanceForm(request.POST, prefix="meeting")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(ballot)
    expected, present = form.cleaned_data["expected"], form.cleaned_data["present"]
    return _run(
        request,
        ballot,
        f"已登记应到 {expected} 人、实到 {present} 人。",
        lambda: services.ballot_attendance_record(
            actor=request.user, ballot=ballot, expected=expected, present=present
        ),
    )


# ---------------------------------------------------------------- a member's own voting page


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def member_vote(request: AuthedRequest, pk: int) -> HttpResponse:
    """A committee member votes on each item, one by one (DEC-03); a cast shows its receipt once."""
    ballot, agenda = selectors.member_agenda(user=request.user, ballot_id=pk)
    receipt: str | None = None
    voted_item: BallotItem | None = None
    errors: list[str] = []
    if request.method == "POST":
        item = _item(ballot, request.POST.get("item"))
        try:
            receipt = services.committee_cast(
                actor=request.user, ballot=ballot, item=item, choice=request.POST.get("choice", "")
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            voted_item = item
            ballot, agenda = selectors.member_agenda(user=request.user, ballot_id=pk)
    return render(
        request,
        "web/voting/member_vote.html",
        {
            "ballot": ballot,
            "agenda": agenda,
            "choices": CHOICES,
            "receipt": receipt,
            "voted_item": voted_item,
            "errors": errors,
            "is_open": ballot.status == BallotStatus.OPEN and ballot.channel == Channel.ELECTRONIC,
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- paper ballots (计票 / 监票)


def _positions(ballot: Ballot) -> list[tuple[str, str]]:
    """What a paper count of this ballot counts: committee choices or grades; nothing for recommendation."""
    if ballot.kind == BallotKind.COMMITTEE:
        return CHOICES
    if ballot.kind == BallotKind.EVALUATION:
        return [(g.value, g.label) for g in Grade]
    return []


def _paper_ballot(request: AuthedRequest, pk: int) -> Ballot:
    """A paper ballot in the user's scope, for staff who count (计票) or witness (监票)."""
    require_cap(request.user, Cap.BALLOT_WITNESS)
    ballot = staff_ballot(request, pk)
    if ballot.channel != Channel.PAPER:
        raise Http404("该投票不是纸质投票。")
    return ballot


@login_required
@require_GET
def paper_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """Each item's paper count: the entry form, who entered it, and the 监票 confirmation."""
    ballot = _paper_ballot(request, pk)
    papers = selectors.paper_counts_of(ballot=ballot)
    entered = selectors.paper_sheets_entered(ballot=ballot)
    positions = _positions(ballot)
    items = list(ballot.items.select_related("cadre", "post").order_by("sort_order", "id"))
    rows = []
    for item in items:
        paper = papers.get(item.pk)
        initial: dict[str, Any] = {}
        if paper is not None:
            initial = {"issued": paper.issued, "returned": paper.returned}
            initial.update({f"count_{k}": paper.counts.get(k, 0) for k, _ in positions})
        rows.append(
            {
                "item": item,
                "paper": paper,
                "sheets": entered.get(item.pk, 0),
                "form": PaperCountForm(prefix=f"p{item.pk}", positions=positions, initial=initial),
                "can_confirm": paper is not None
                and paper.confirmed_by_id is None
                and paper.entered_by_id != request.user.pk,
            }
        )
    return render(
        request,
        "web/voting/paper.html",
        {
            "ballot": ballot,
            "rows": rows,
            "is_closed": ballot.status == BallotStatus.CLOSED,
            "papers_entered": max(entered.values(), default=0),
            "any_confirmed": any(p.confirmed_by_id for p in papers.values()),
        },
    )


@login_required
@require_POST
def paper_count_enter(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """The 计票人 enters (or re-enters before confirmation) one item's counts."""
    ballot = _paper_ballot(request, pk)
    item = _item(ballot, item_id)
    form = PaperCountForm(request.POST, prefix=f"p{item.pk}", positions=_positions(ballot))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("web:ballot-paper", pk=ballot.pk)
    try:
        services.paper_counts_enter(
            actor=request.user,
            ballot=ballot,
            item=item,
            counts=form.counts(),
            issued=form.cleaned_data["issued"],
            returned=form.cleaned_data["returned"],
        )
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, f"已录入「{item}」的计票结果，请另一名工作人员监票确认。")
    return redirect("web:ballot-paper", pk=ballot.pk)


@login_required
@require_POST
def paper_count_confirm(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """The 监票人, another staff member, confirms one item's counts."""
    ballot = _paper_ballot(request, pk)
    item = _item(ballot, item_id)
    try:
        paper = services.paper_counts_confirm(actor=request.user, ballot=ballot, item=item)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        if paper.void:
            messages.warning(request, f"「{item}」：{paper.reasons[0]['message']}")
        else:
            messages.success(request, f"已监票确认「{item}」的计票结果。")
    return redirect("web:ballot-paper", pk=ballot.pk)


@login_required
@require_POST
def paper_sheet_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The 计票人 enters one paper recommendation ballot as written (every post on it)."""
    ballot = _paper_ballot(request, pk)
    content: dict[str, Any] = {}
    for item in ballot.items.all():
        key = f"item-{item.pk}"
        chosen = [c for c in request.POST.getlist(key) if c in item.reference]
        raw = request.POST.get(f"{key}-writein", "").replace("，", ",").replace("、", ",")
        chosen += [n.strip() for n in raw.split(",") if n.strip()]
        content[str(item.pk)] = {"choices": chosen}
    try:
        papers = services.paper_sheet_enter(
            actor=request.user, ballot=ballot, category=request.POST.get("category", ""), content=content
        )
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, f"已录入第 {papers} 张推荐票。")
    return redirect("web:ballot-paper", pk=ballot.pk)


@login_required
@require_POST
def paper_sheets_clear(request: AuthedRequest, pk: int) -> HttpResponse:
    """Discard every paper entered so far, to enter them again (before confirmation)."""
    ballot = _paper_ballot(request, pk)
    try:
        removed = services.paper_sheets_clear(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, f"已清除录入的推荐票（共 {removed} 条事项记录），请重新录入。")
    return redirect("web:ballot-paper", pk=ballot.pk)
