"""干部交流 pages: the exchange records with their filters, recording one exchange (a move with its
document, or a 挂职/党外干部挂任 with host post and term), a record's page (a 挂职's return), the
rotation plans and one plan's page (its moves with on-demand pickers, the checks in words, every
team before and after, discussion, carrying out as one document, withdrawal).

Views parse with ``forms_exchanges``, call one ``ganbu.exchanges`` service or selector and render; a
service's refusal re-renders the form with its Chinese message and nothing written. The pages exist
for roles reading allocation (``Cap.ALLOCATION_VIEW``); the forms for those managing it
(``Cap.ALLOCATION_MANAGE``). For every other role they are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.exchanges import selectors, services
from ganbu.exchanges.choices import KEEPS_POST, ExchangeKind, PlanStatus
from ganbu.exchanges.models import PlanMove
from ganbu.rules import rotation_plan as plan_rules

from ..forms_common import add_service_error
from ..forms_exchanges import (
    CarryOutForm,
    DiscussForm,
    ExchangeForm,
    MoveForm,
    PlanForm,
    ReturnForm,
    WithdrawForm,
)
from .org_common import AuthedRequest, page_of

MIN_YEAR, MAX_YEAR = 1950, 2100
MSG_NO_PAGE = "页面不存在或无权访问。"
PLAN_ACTIONS = ("add", "remove", "discuss", "carry_out", "withdraw")


def _require_reads(request: AuthedRequest) -> None:
    if not selectors.reads(request.user):
        raise Http404(MSG_NO_PAGE)


def _require_manages(request: AuthedRequest) -> None:
    if not selectors.manages(request.user):
        raise Http404(MSG_NO_PAGE)


@login_required
@require_GET
def exchange_list(request: AuthedRequest) -> HttpResponse:
    """Exchange records in scope, newest first, by kind and year (a page in the database)."""
    _require_reads(request)
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in ExchangeKind.values else ""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and MIN_YEAR <= int(year_text) <= MAX_YEAR else None
    page, query = page_of(request, selectors.records(user=user, kind=kind, year=year))
    counts = selectors.record_counts(user=user, year=year)
    return render(
        request,
        "exchanges/list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "year": year,
            "kinds": ExchangeKind.choices,
            "years": selectors.record_years(user=user),
            "counts": [(label, counts.get(value, 0)) for value, label in ExchangeKind.choices],
            "can_record": selectors.manages(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request: AuthedRequest) -> HttpResponse:
    """Record one exchange: a 挂职/党外干部挂任 (host post, term) or a single move with its document."""
    _require_manages(request)
    user = request.user
    kind = request.GET.get("kind", "")
    initial = {"start_on": timezone.localdate(), "kind": kind if kind in ExchangeKind.values else ""}
    form = ExchangeForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.exchange_record(
                actor=user,
                cadre=data["cadre"],
                kind=data["kind"],
                start_on=data["start_on"],
                to_unit=data.get("to_unit"),
                to_post=data.get("to_post"),
                host_post_title=data.get("host_post_title", ""),
                planned_end_on=data.get("planned_end_on"),
                direction=data.get("direction", ""),
                decision_number=data.get("decision_number", ""),
                document_number=data.get("document_number", ""),
                document_title=data.get("document_title", ""),
                issued_on=data.get("issued_on"),
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已登记{record.cadre.name}同志的{record.get_kind_display()}。")
            return redirect("web:exchange-detail", pk=record.pk)
    return render(request, "exchanges/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def exchange_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One exchange record; the return of a 挂职 not yet ended."""
    _require_reads(request)
    user = request.user
    record = selectors.record_get(user=user, record_id=pk)
    can_end = selectors.manages(user) and record.kind in KEEPS_POST and record.ended_on is None
    if request.method == "POST" and not can_end:
        raise Http404(MSG_NO_PAGE)
    form = ReturnForm(
        request.POST or None, initial={"ended_on": record.planned_end_on or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.secondment_end(actor=user, record=record, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已登记{record.cadre.name}同志挂职期满返回。")
            return redirect("web:exchange-detail", pk=record.pk)
    return render(
        request,
        "exchanges/detail.html",
        {
            "record": record,
            "keeps_post": record.kind in KEEPS_POST,
            "can_end": can_end,
            "form": form,
            "basis": plan_rules.mode_basis(plan_rules.ExchangeMode(record.kind)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: AuthedRequest) -> HttpResponse:
    """Rotation plans in scope, newest first, by status; a new plan's form for those managing them."""
    _require_reads(request)
    user = request.user
    can_manage = selectors.manages(user)
    if request.method == "POST" and not can_manage:
        raise Http404(MSG_NO_PAGE)
    form = PlanForm(request.POST or None, initial={"planned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=user, title=data["title"], planned_on=data["planned_on"], note=data.get("note", "")
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已建立交流轮岗方案「{plan.title}」，请添加交流事项。")
            return redirect("web:exchange-plan-detail", pk=plan.pk)
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    page, query = page_of(request, selectors.plans(user=user, status=status))
    return render(
        request,
        "exchanges/plans.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": PlanStatus.choices,
            "form": form,
            "can_manage": can_manage,
        },
    )


def _plan_action(request: AuthedRequest, plan_id: int, action: str, forms: dict[str, Form]) -> str | None:
    """Run one POSTed action of the plan page; the message on success, None when a form shows errors."""
    user = request.user
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    form = forms.get(action)
    try:
        if action == "remove":
            move_id = int_param_post(request, "move")
            move = (
                PlanMove.objects.filter(plan=plan, pk=move_id).select_related("cadre", "to_post").first()
                if move_id is not None
                else None
            )
            if move is None or move.cadre_id not in {
                m.cadre_id for m in selectors.plan_moves(user=user, plan=plan)
            }:
                raise Http404(MSG_NO_PAGE)
            services.move_remove(actor=user, move=move)
            return f"已从方案中移除{move.cadre.name}。"
        assert form is not None
        if not form.is_valid():
            return None
        data = form.cleaned_data
        if action == "add":
            move = services.move_add(
                actor=user,
                plan=plan,
                cadre=data["cadre"],
                to_post=data["to_post"],
                kind=data["kind"],
                reason=data.get("reason", ""),
            )
            return f"已添加{move.cadre.name}的交流事项。"
        if action == "discuss":
            services.plan_discuss(
                actor=user, plan=plan, discussed_on=data["discussed_on"], meeting=data["meeting"]
            )
            return "已登记方案的讨论情况。"
        if action == "carry_out":
            services.plan_carry_out(
                actor=user,
                plan=plan,
                document_number=data["document_number"],
                document_title=data["document_title"],
                issued_on=data["issued_on"],
                effective_on=data.get("effective_on"),
                issuing_body=data.get("issuing_body", ""),
            )
            return "方案已实施：任免文件已登记，干部任职已相应变更。"
        services.plan_withdraw(actor=user, plan=plan, reason=data["reason"])
        return "方案已撤回。"
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
            return ""
        add_service_error(form, exc)
        return None


def int_param_post(request: AuthedRequest, name: str) -> int | None:
    """A positive id from the POST body, or None (never a 500 on a tampered field)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 18 and int(value) > 0 else None


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One plan: its moves, the checks in words, every team before and after, and the next step's form."""
    _require_reads(request)
    user = request.user
    plan = selectors.plan_get(user=user, plan_id=pk)
    can_manage = selectors.manages(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and (not can_manage or action not in PLAN_ACTIONS):
        raise Http404(MSG_NO_PAGE)
    today = timezone.localdate()
    posted = request.POST
    forms: dict[str, Form] = {
        "add": MoveForm(posted if action == "add" else None, user=user, prefix="add"),
        "discuss": DiscussForm(
            posted if action == "discuss" else None, initial={"discussed_on": today}, prefix="discuss"
        ),
        "carry_out": CarryOutForm(
            posted if action == "carry_out" else None, initial={"issued_on": today}, prefix="carry"
        ),
        "withdraw": WithdrawForm(posted if action == "withdraw" else None, prefix="withdraw"),
    }
    if action:
        done = _plan_action(request, pk, action, forms)
        if done is not None:
            if done:
                messages.success(request, done)
            return redirect("web:exchange-plan-detail", pk=pk)
        plan = selectors.plan_get(user=user, plan_id=pk)
    moves = selectors.plan_moves(user=user, plan=plan)
    findings = selectors.plan_checks(user=user, plan=plan) if plan.status != PlanStatus.CARRIED_OUT else []
    before_after = selectors.plan_before_after(user=user, plan=plan, moves=moves)
    editable = plan.status in (PlanStatus.DRAFT, PlanStatus.DISCUSSED)
    return render(
        request,
        "exchanges/plan_detail.html",
        {
            "plan": plan,
            "moves": moves,
            "checks": findings,
            "blocked": any(f.blocks for f in findings),
            "before_after": before_after,
            "changes": before_after.changes,
            "can_manage": can_manage,
            "editable": can_manage and editable,
            "can_discuss": can_manage and plan.status == PlanStatus.DRAFT and bool(moves),
            "can_carry_out": can_manage and plan.status == PlanStatus.DISCUSSED,
            "forms": forms,
            "refusal": plan_rules.CITE_REFUSAL,
        },
    )
