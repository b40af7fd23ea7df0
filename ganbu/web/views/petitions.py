"""信访举报 staff pages: the list, the intake form, one case with its assign, cadres, verify, conclude forms.

Views parse with ``forms_petitions``, call one ``ganbu.petitions`` service or selector and render; a
service's refusal re-renders the case with its Chinese message and nothing written (400). Who sees
what is the selectors' (``petitions_for``): a case outside it is 404, like a missing one; a user
who is not petition staff (supervisor or organization officer) and has no case assigned finds no
pages at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.petitions import selectors, services
from ganbu.petitions.choices import PetitionStatus
from ganbu.petitions.models import Petition

from ..forms_common import add_service_error
from ..forms_petitions import (
    AssignForm,
    CadreAddForm,
    ConcludeForm,
    IntakeForm,
    PetitionFilterForm,
    VerifyForm,
)
from .org_common import AuthedRequest, page_of

MSG_NO_PAGE = "页面不存在或无权访问。"


def _require_desk(request: AuthedRequest) -> None:
    """Petition staff, or a user with a case assigned; everyone else finds no such page (404)."""
    if not services.may_handle(request.user) and not selectors.petitions_for(request.user).exists():
        raise Http404(MSG_NO_PAGE)


@login_required
@require_GET
def petition_list(request: AuthedRequest) -> HttpResponse:
    """The user's petitions, newest first, filtered; one page at a time (keyset in the database)."""
    _require_desk(request)
    form = PetitionFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.petition_list(
        user=request.user,
        status=data.get("status", ""),
        channel=data.get("channel", ""),
        mine=bool(data.get("mine")),
        overdue_on=today if data.get("overdue") else None,
        q=data.get("q", ""),
    )
    page, query = page_of(request, qs)
    return render(
        request,
        "web/petitions/list.html",
        {
            "page": page,
            "query": query,
            "form": form,
            "today": today,
            "may_intake": services.may_handle(request.user),
            "body": services.intake_body_of(request.user) if services.may_handle(request.user) else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_intake(request: AuthedRequest) -> HttpResponse:
    """Record a letter, call or visit (``services.petition_intake``); shows the code to give the sender."""
    if not services.may_handle(request.user):
        raise Http404(MSG_NO_PAGE)
    form = IntakeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                petition = services.petition_intake(
                    actor=request.user,
                    channel=data["channel"],
                    received_on=data["received_on"],
                    about=data["about"],
                    content=data["content"],
                    anonymous=data["anonymous"],
                    name=data["name"],
                    contact=data["contact"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记。请将查询码 {petition.tracking_code} 告知反映人，凭码在公开页面查询办理结果。",
                )
                return redirect("web:petition-detail", pk=petition.pk)
    return render(request, "web/petitions/intake.html", {"form": form}, status=status)


def _detail(request: AuthedRequest, petition: Petition, status: int = 200, **forms: Form) -> HttpResponse:
    """Render one case with the forms the user may use now (a failed one passed in ``forms``)."""
    user = request.user
    staff = services.may_handle(user)
    is_open = petition.status != PetitionStatus.CONCLUDED
    is_assignee = petition.assignee_id == user.pk
    context: dict[str, Any] = {
        "petition": petition,
        "today": timezone.localdate(),
        "cadres": list(petition.cadres.all()),
        "can_assign": staff and is_open,
        "can_edit_cadres": staff and is_open,
        "can_verify": staff and is_open and is_assignee and petition.status != PetitionStatus.RECEIVED,
        "can_conclude": staff and is_assignee and petition.status == PetitionStatus.VERIFYING,
        "assign_form": forms.get("assign_form")
        or AssignForm(staff=selectors.petition_staff(), initial={"assignee": petition.assignee_id}),
        "cadre_form": forms.get("cadre_form") or CadreAddForm(user=user),
        "verify_form": forms.get("verify_form") or VerifyForm(initial={"notes": petition.verification_notes}),
        "conclude_form": forms.get("conclude_form") or ConcludeForm(cadres=petition.cadres.all()),
        "cite_due": services.CITE_DUE,
    }
    return render(request, "web/petitions/detail.html", context, status=status)


def _get(request: AuthedRequest, pk: int) -> Petition:
    return selectors.petition_get(user=request.user, petition_id=pk)


@login_required
@require_GET
def petition_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One case: what was sent, by whom (unless anonymous), its cadres, verification and conclusion."""
    return _detail(request, _get(request, pk))


@login_required
@require_POST
def petition_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign (or reassign) the case to a staff member (``services.petition_assign``)."""
    petition = _get(request, pk)
    form = AssignForm(request.POST, staff=selectors.petition_staff())
    if form.is_valid():
        try:
            services.petition_assign(
                actor=request.user, petition=petition, assignee=form.cleaned_data["assignee"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已交办给 {form.cleaned_data['assignee']}。")
            return redirect("web:petition-detail", pk=petition.pk)
    return _detail(request, petition, status=400, assign_form=form)


@login_required
@require_POST
def petition_cadres(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a cadre (``cadre``) or remove one (``remove``) from the cadres the case concerns."""
    petition = _get(request, pk)
    current = list(petition.cadres.all())
    form = CadreAddForm(request.POST if "remove" not in request.POST else None, user=request.user)
    remove = request.POST.get("remove", "")
    if remove:
        chosen = [c for c in current if str(c.pk) != remove]
    elif form.is_valid():
        chosen = [*current, form.cleaned_data["cadre"]]
    else:
        return _detail(request, petition, status=400, cadre_form=form)
    try:
        services.petition_cadres_set(actor=request.user, petition=petition, cadres=chosen)
    except ValidationError as exc:
        form = CadreAddForm(user=request.user)
        add_service_error(form, exc)
        return _detail(request, petition, status=400, cadre_form=form)
    messages.success(request, "已更新涉及干部。")
    return redirect("web:petition-detail", pk=petition.pk)


@login_required
@require_POST
def petition_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the verification notes (``services.petition_verify``)."""
    petition = _get(request, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.petition_verify(actor=request.user, petition=petition, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存核查情况。")
            return redirect("web:petition-detail", pk=petition.pk)
    return _detail(request, petition, status=400, verify_form=form)


@login_required
@require_POST
def petition_conclude(request: AuthedRequest, pk: int) -> HttpResponse:
    """Conclude the case; a 谈话提醒 or 诫勉 records the talk too (``services.petition_conclude``)."""
    petition = _get(request, pk)
    form = ConcludeForm(request.POST, cadres=petition.cadres.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.petition_conclude(
                actor=request.user,
                petition=petition,
                conclusion=data["conclusion"],
                reply=data["reply"],
                referred_to=data["referred_to"],
                cadre=data["cadre"],
                held_on=data["held_on"],
                talkers=data["talkers"],
                issue=data["issue"],
                months=data["months"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已办结。反映人凭查询码可以看到办理结论。")
            return redirect("web:petition-detail", pk=petition.pk)
    return _detail(request, petition, status=400, conclude_form=form)
