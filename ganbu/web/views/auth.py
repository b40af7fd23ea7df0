"""Login, the second step (authenticator code), binding an authenticator, and logout.

django-axes locks repeated wrong passwords (``ganbu.accounts.lockout``). After the password, a user
with an authenticator app, or whose role must use one, is confined by
``ganbu.core.second_factor.SecondFactorMiddleware`` to the code page (``otp_verify``) or the binding
page (``otp_setup``) until the second step is done.
"""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from ganbu.accounts import selectors, services
from ganbu.accounts.signals import note_second_factor
from ganbu.core.errors import ServiceError

from ..forms_common import StyledForm, add_service_error
from ..forms_people import LoginForm
from .org_common import AuthedRequest

#: Session key of the authenticator secret offered for binding, until a code confirms it.
PENDING_KEY = "ganbu_otp_pending_key"


class LoginView(auth_views.LoginView):
    """The login page; a logged-in user is sent on to the dashboard (or ``next``)."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logout by POST only (Django 5), so a link or an image cannot log a user out."""


login = LoginView.as_view()
logout = LogoutView.as_view()


class CodeForm(StyledForm):
    """The 6-digit code of the authenticator app, or one recovery code."""

    code = forms.CharField(
        label="验证码",
        max_length=32,
        error_messages={"required": "请输入验证码。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )


def _next_url(request: AuthedRequest) -> str:
    """Where to go after the second step: ``next`` if it stays on this site, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _codes_shown(request: AuthedRequest, codes: list[str], *, first: bool) -> HttpResponse:
    """The one page that shows recovery codes; not cached, not repeated on reload."""
    shown = [services.format_recovery_code(c) for c in codes]
    context = {"codes": shown, "first": first, "next": _next_url(request)}
    response = render(request, "web/otp/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def otp_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of logging in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]  # OTPMiddleware adds it
        return redirect(_next_url(request))
    if not selectors.has_second_factor(user):  # reset by the administrator during this session
        note_second_factor(request, enrolled=False)
        return redirect("web:otp-setup" if selectors.second_factor_required(user) else _next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = services.otp_throttled(user=user)
        device = None if wait else services.otp_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"已用一个恢复码登录，还剩 {left} 个。如手机丢失，请联系系统管理员重置两步验证；"
                    "恢复码不多时，可在「两步验证」页面重新生成。",
                )
            return redirect(_next_url(request))
        wait = wait or services.otp_throttled(user=user)
        form.add_error(
            "code",
            f"尝试次数过多，请 {wait} 秒后再试。"
            if wait
            else services.MSG_OTP_CODE_WRONG + "也可以输入一个恢复码。",
        )
        status = 400
    return render(request, "web/otp/verify.html", {"form": form, "next": _next_url(request)}, status=status)


def _qr_svg(uri: str) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here: nothing is fetched from outside)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", border=2))


def _otpauth_uri(request: AuthedRequest, key: str) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return str(TOTPDevice(user=request.user, key=key).config_url)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def otp_setup(request: AuthedRequest) -> HttpResponse:
    """「两步验证」: bind an authenticator app (QR code and secret, then a code), or see its state."""
    user = request.user
    state = selectors.second_factor(user)
    context: dict[str, Any] = {
        "state": state,
        "required": selectors.second_factor_required(user),
        "next": _next_url(request),
    }
    if state.enrolled:
        return render(request, "web/otp/setup.html", context)
    key = request.session.get(PENDING_KEY) or services.new_totp_key()
    request.session[PENDING_KEY] = key
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.otp_enrol(actor=user, user=user, key=key, code=form.cleaned_data["code"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            del request.session[PENDING_KEY]
            note_second_factor(request, enrolled=True)
            from django_otp.plugins.otp_totp.models import TOTPDevice

            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            return _codes_shown(request, codes, first=True)
    if form.is_bound and form.errors:
        status = 400
    uri = _otpauth_uri(request, key)
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    context.update(
        {
            "form": form,
            "qr_svg": _qr_svg(uri),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        }
    )
    return render(request, "web/otp/setup.html", context, status=status)


@login_required
@require_POST
@never_cache
def otp_recovery_renew(request: AuthedRequest) -> HttpResponse:
    """Ten new recovery codes (the old ones stop working), shown once."""
    try:
        codes = services.otp_recovery_codes_renew(actor=request.user, user=request.user)
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:otp-setup")
    return _codes_shown(request, codes, first=False)
