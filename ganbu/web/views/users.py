"""User management (「用户管理」) for the system administrator, and changing one's own password.

Every change goes through ``accounts.services`` (checked, audited, all or nothing). For anyone
but the administrator the management pages do not exist (404), as elsewhere in the web UI. A
generated temporary password is shown once, in the answer to the POST that made it, and never
stored or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.accounts import selectors, services
from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import ManagementAuthority
from ganbu.registry.models import Unit

from ..forms_common import add_service_error
from ..forms_users import (
    OwnPasswordForm,
    PasswordSetForm,
    ReasonForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    unit_label,
)
from .org_common import AuthedRequest, page_of

PICKER_LIMIT = 20
# Service error keys → the form fields that show them.
FIELD_OF = {"password": "password1", "cadre": "cadre_id_number", "scope_unit": "scope_unit"}


def _on_form(form: Any, exc: ValidationError) -> None:
    """A service's errors next to the form field they concern."""
    if hasattr(exc, "error_dict"):
        exc = ValidationError({FIELD_OF.get(k, k): v for k, v in exc.message_dict.items()})
    add_service_error(form, exc)


def scope_text(user: User) -> str:
    """A login's data scope in words, as the list and the account page show it."""
    if user.role == Role.CADRE:
        return f"本人档案（{user.cadre.name}）" if user.cadre else "本人档案（未关联）"
    if user.role == Role.APPLICANT:
        return "本人报名"
    if not has_cap(user, Cap.REGISTRY_VIEW):
        return "—"
    text = f"{user.scope_unit.name}及下属单位" if user.scope_unit else "全县"
    if user.scope_authorities:
        labels = dict(ManagementAuthority.choices)
        text += "，限" + "、".join(str(labels.get(a, a)) for a in user.scope_authorities)
    return text


def _target(request: AuthedRequest, pk: int) -> User:
    require_cap(request.user, Cap.USERS_MANAGE)
    user = selectors.user_get(actor=request.user, pk=pk)
    if user is None:
        raise Http404("用户不存在。")
    return user


def _account_args(form: UserCreateForm | UserEditForm) -> dict[str, Any]:
    data = form.cleaned_data
    unit = data["scope_unit"]
    cadre = data["cadre"]
    return {
        "display_name": data["display_name"],
        "role": data["role"],
        "scope_unit_id": unit.pk if unit else None,
        "scope_authorities": list(data["scope_authorities"]),
        "cadre_id": cadre.pk if cadre else None,
        "email": data["email"],
    }


def _password_shown(request: AuthedRequest, target: User, password: str, created: bool) -> HttpResponse:
    """The one page that shows a generated password; not cached, not repeated on reload."""
    response = render(
        request, "web/users/password_shown.html", {"target": target, "password": password, "created": created}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def user_list(request: AuthedRequest) -> HttpResponse:
    """Every login with role, scope, state and lock, filtered and paginated in the database."""
    require_cap(request.user, Cap.USERS_MANAGE)
    form = UserFilterForm(request.GET or None)
    page, query = page_of(request, selectors.user_list(actor=request.user, filters=form.filters()))
    locked = selectors.locked_usernames(u.username for u in page.object_list)
    rows = [{"user": u, "scope": scope_text(u), "locked": u.username in locked} for u in page.object_list]
    return render(
        request, "web/users/user_list.html", {"form": form, "page": page, "query": query, "rows": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthedRequest) -> HttpResponse:
    """A new login; without a typed password, a temporary one is generated and shown once."""
    require_cap(request.user, Cap.USERS_MANAGE)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        generated = not data["password1"]
        password = (
            services.temporary_password(User(username=data["username"])) if generated else data["password1"]
        )
        try:
            user = services.user_create(
                actor=request.user, username=data["username"], password=password, **_account_args(form)
            )
        except ServiceError as exc:
            _on_form(form, exc)
        else:
            if generated:
                return _password_shown(request, user, password, created=True)
            messages.success(request, f"已创建用户 {user.username}（{user.get_role_display()}）。")
            return redirect("web:user-detail", pk=user.pk)
    return render(
        request,
        "web/users/user_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One login: its account, the edit form, password, enable/disable and lock."""
    target = _target(request, pk)
    form = UserEditForm(request.POST or None, actor=request.user, user=target)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.user_update(actor=request.user, user=target, **_account_args(form))
        except ServiceError as exc:
            _on_form(form, exc)
        else:
            messages.success(request, f"已保存用户 {updated.username} 的修改。")
            return redirect("web:user-detail", pk=target.pk)
    return _detail(request, target, form=form)


def _detail(
    request: AuthedRequest,
    target: User,
    *,
    form: UserEditForm | None = None,
    password_form: PasswordSetForm | None = None,
    reason_form: ReasonForm | None = None,
    unlock_form: ReasonForm | None = None,
    otp_form: ReasonForm | None = None,
) -> HttpResponse:
    forms = (form, password_form, reason_form, unlock_form, otp_form)
    invalid = any(f is not None and f.is_bound and f.errors for f in forms)
    target.refresh_from_db()
    context = {
        "target": target,
        "form": form or UserEditForm(actor=request.user, user=target),
        "password_form": password_form or PasswordSetForm(prefix="pw"),
        "reason_form": reason_form or ReasonForm(prefix="st"),
        "unlock_form": unlock_form or ReasonForm(prefix="ul"),
        "otp_form": otp_form or ReasonForm(prefix="otp"),
        "otp": selectors.second_factor(target),
        "otp_required": selectors.second_factor_required(target),
        "scope": scope_text(target),
        "locked": target.username in selectors.locked_usernames([target.username]),
        "is_self": target.pk == request.user.pk,
        "role_cadre": Role.CADRE,
    }
    return render(request, "web/users/user_detail.html", context, status=400 if invalid else 200)


@login_required
@require_POST
@never_cache
def user_password(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reset a password: generate a temporary one (shown once) or set the one typed twice."""
    target = _target(request, pk)
    if request.POST.get("action") == "generate":
        try:
            target, password = services.user_reset_password(actor=request.user, user=target)
        except ServiceError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("web:user-detail", pk=target.pk)
        return _password_shown(request, target, password, created=False)
    form = PasswordSetForm(request.POST, prefix="pw")
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=target, password=form.cleaned_data["password1"]
            )
        except ServiceError as exc:
            _on_form(form, exc)
        else:
            if target.pk == request.user.pk:
                update_session_auth_hash(request, User.objects.get(pk=target.pk))
            messages.success(request, f"已为 {target.username} 设置新密码。")
            return redirect("web:user-detail", pk=target.pk)
    return _detail(request, target, password_form=form)


def _with_reason(
    request: AuthedRequest,
    pk: int,
    prefix: str,
    act: Callable[[User, str], object],
    done: Callable[[User], str],
) -> HttpResponse:
    """One reasoned action on a login: the reason form, the service, its message, back to the user page.

    ``act(target, reason)`` calls the audited service; ``done(target)`` is the success message. A
    refusal is shown as a message; an invalid reason re-renders the page with the form's errors.
    """
    target = _target(request, pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _detail(
            request,
            target,
            reason_form=form if prefix == "st" else None,
            unlock_form=form if prefix == "ul" else None,
            otp_form=form if prefix == "otp" else None,
        )
    try:
        act(target, form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done(target))
    return redirect("web:user-detail", pk=target.pk)


@login_required
@require_POST
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    """Disable or re-enable a login, with the reason."""
    active = request.POST.get("active") == "1"
    return _with_reason(
        request,
        pk,
        "st",
        lambda target, reason: services.user_set_active(
            actor=request.user, user=target, active=active, reason=reason
        ),
        lambda target: f"已{'启用' if active else '停用'}用户 {target.username}。",
    )


@login_required
@require_POST
def user_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    """Lift the lock repeated wrong passwords put on a login."""
    return _with_reason(
        request,
        pk,
        "ul",
        lambda target, reason: services.user_unlock(actor=request.user, user=target, reason=reason),
        lambda target: f"已解除 {target.username} 的登录锁定，可以立即登录。",
    )


@login_required
@require_POST
def user_otp_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """Turn off a user's two-step login (lost phone), with the reason; audited."""
    return _with_reason(
        request,
        pk,
        "otp",
        lambda target, reason: services.otp_reset(actor=request.user, user=target, reason=reason),
        lambda target: f"已重置 {target.username} 的两步验证，原验证器和恢复码已作废。",
    )


@login_required
@require_GET
def picker_units(request: AuthedRequest) -> JsonResponse:
    """Unit picker for a login's scope: units in use whose name contains ``q`` (at most 20).

    The administrator has no registry access; unit names are the organisation's structure, not
    anyone's record, and choosing a unit officer's scope needs them.
    """
    require_cap(request.user, Cap.USERS_MANAGE)
    term = request.GET.get("q", "").strip()[:50]
    units = Unit.objects.filter(is_active=True).select_related("parent").order_by("path")
    if term:
        units = units.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
    results = [{"id": u.pk, "text": unit_label(u), "name": u.name} for u in units[:PICKER_LIMIT]]
    return JsonResponse({"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def my_password(request: AuthedRequest) -> HttpResponse:
    """Any user changes their own password (after a temporary one, say), giving the current one first."""
    form = OwnPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["password1"]
            )
        except ServiceError as exc:
            _on_form(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("web:dashboard")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/users/my_password.html", {"form": form}, status=status)
