"""Public notice pages (公示公告, no login): current 考察预告 and 任前公示, the objection form, tracking.

Like the voter pages, these keep nothing about the visitor: no session write, no message in the
cookie store, no log line of what was sent (Django's request log names only the path of a 4xx).
The tracking code is rendered once, in the POST response that created it, and looked up again only
from a POSTed form (so it is in no URL, browser history or access log).

The client address for the rate limit is ``request.META["REMOTE_ADDR"]``, which the service turns
into a keyed hash kept apart from the objection. ``X-Forwarded-For`` is deliberately not read: any
client can send it. Behind a reverse proxy the deployment must set ``REMOTE_ADDR`` to the real
client address (see docs/public-pages.md), or every visitor shares the proxy's limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.core.public_desk import ThrottledError
from ganbu.petitions import selectors as petition_selectors
from ganbu.petitions.choices import PetitionStatus
from ganbu.selection import selectors, services
from ganbu.selection.choices import NoticeKind, ObjectionStatus
from ganbu.selection.models import PublicNotice

from ..forms_common import add_service_error
from ..forms_public import ObjectionForm, TrackForm
from .org_common import page_of

MSG_CODE_NOT_FOUND = "没有找到该查询码对应的反映，请核对后重新输入。"  # either kind
# How long a rate-limited sender should wait (the service's window), for the Retry-After header.
RETRY_AFTER_SECONDS = int(services.THROTTLE_WINDOW.total_seconds())


def client_address(request: HttpRequest) -> str:
    """The address the request came from, for the rate limit only (never stored as such)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def desk_form(
    request: HttpRequest,
    form: Form,
    *,
    submit: Callable[[dict[str, Any], str], Any],
    done: Callable[[Any, dict[str, Any]], HttpResponse],
    template: str,
    context: dict[str, Any],
    retry_after: int,
) -> HttpResponse:
    """A public desk's form (an objection, a petition): the one way its POST is answered.

    ``submit(cleaned_data, client_address)`` calls the service; ``done(made, cleaned_data)`` renders
    the page that shows the tracking code, once. Bad input re-renders with the Chinese messages (400)
    and writes nothing; a sender over the rate limit gets the service's message with 429 and a
    ``Retry-After`` header of ``retry_after`` seconds (the service's window).
    """
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = submit(form.cleaned_data, client_address(request))
            except ThrottledError as exc:
                add_service_error(form, exc)
                status = 429
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return done(made, form.cleaned_data)
    response = render(request, template, {**context, "form": form}, status=status)
    if status == 429:
        response["Retry-After"] = str(retry_after)
    return response


def _gone(request: HttpRequest) -> HttpResponse:
    """The friendly 404 for a notice that does not exist, has expired or was withdrawn."""
    return render(request, "web/public/notice_gone.html", status=404)


def _current(notice_id: int) -> PublicNotice:
    """The notice if it is published today (``selectors.notice_get_public``), else ``Http404``."""
    return selectors.notice_get_public(notice_id=notice_id, on=timezone.localdate())


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Current 考察预告 and 任前公示, newest first, one page at a time (LIMIT/OFFSET in the database)."""
    page, query = page_of(request, selectors.current_notices(timezone.localdate()))
    return render(request, "web/public/notice_list.html", {"page": page, "query": query})


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One current notice: title, body, dates, contact and, for a 考察预告, the inspection team."""
    try:
        notice = _current(pk)
    except Http404:
        return _gone(request)
    return render(
        request,
        "web/public/notice_detail.html",
        {"notice": notice, "is_preannouncement": notice.kind == NoticeKind.PREANNOUNCEMENT},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The form to report on or comment on a current notice; a valid one shows the tracking code, once.

    Bad input re-renders with the Chinese messages (400) and writes nothing; a sender over the rate
    limit gets the service's message with 429 and a ``Retry-After`` header.
    """
    try:
        notice = _current(pk)
    except Http404:
        return _gone(request)
    return desk_form(
        request,
        ObjectionForm(request.POST or None),
        submit=lambda data, source: services.objection_submit(
            notice=notice,
            kind=data["kind"],
            content=data["content"],
            about=data["about"],
            name=data["name"],
            contact=data["contact"],
            anonymous=data["anonymous"],
            source=source,
        ),
        done=lambda objection, data: render(
            request,
            "web/public/objection_done.html",
            {"notice": notice, "code": objection.tracking_code, "anonymous": data["anonymous"]},
        ),
        template="web/public/objection_form.html",
        context={"notice": notice},
        retry_after=RETRY_AFTER_SECONDS,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Enter a tracking code (POST) to see the status and, once resolved, the resolution.

    Finds both kinds of code: an objection's (shows the notice, the kind and the dates) and a
    petition's (信访举报: the receiving body, the dates, the status and, once concluded, the reply).
    Never the content or the sender's name: whoever holds the code learns only how the matter was
    concluded.
    """
    form = TrackForm(request.POST or None)
    objection = None
    petition = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            code = form.cleaned_data["code"]
            objection = selectors.objection_track(code=code)
            # The one desk, two kinds: a code not of an objection may be a petition's (信访举报).
            petition = None if objection is not None else petition_selectors.petition_track(code=code)
            if objection is None and petition is None:
                form.add_error("code", MSG_CODE_NOT_FOUND)
                status = 404
            else:
                status = 200
    return render(
        request,
        "web/public/track.html",
        {
            "form": form,
            "objection": objection,
            "petition": petition,
            "resolved": ObjectionStatus.RESOLVED,
            "concluded": PetitionStatus.CONCLUDED,
        },
        status=status,
    )
