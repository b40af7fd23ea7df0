"""The public petition desk (信访举报, no login): the form at /public/petitions/new/ and its tracking code.

Like the objection form (``views.public``), this page keeps nothing about the visitor: no session
write, no message in the cookie store; the client address only feeds the rate limit, through the
shared desk's keyed hash (``ganbu.core.public_desk``), kept apart from the petition. The tracking
code is rendered once, in the POST response that created it, and followed on the one tracking
page, ``/public/track/`` (``views.public.track``), which finds objections and petitions alike.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ganbu.petitions import services

from ..forms_petitions import PublicPetitionForm
from .public import desk_form

# How long a rate-limited sender should wait (the service's window), for the Retry-After header.
RETRY_AFTER_SECONDS = int(services.THROTTLE_WINDOW.total_seconds())


@never_cache
@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    """The public form; a valid one shows the tracking code, once.

    Bad input re-renders with the Chinese messages (400) and writes nothing; a sender over the rate
    limit gets the service's message with 429 and a ``Retry-After`` header.
    """
    return desk_form(
        request,
        PublicPetitionForm(request.POST or None),
        submit=lambda data, source: services.petition_submit(
            intake_body=data["intake_body"],
            about=data["about"],
            content=data["content"],
            anonymous=data["anonymous"],
            name=data["name"],
            contact=data["contact"],
            source=source,
        ),
        done=lambda petition, data: render(
            request,
            "web/petitions/public_done.html",
            {
                "code": petition.tracking_code,
                "anonymous": data["anonymous"],
                "body": petition.get_intake_body_display(),
                "due_on": petition.due_on,
            },
        ),
        template="web/petitions/public_form.html",
        context={},
        retry_after=RETRY_AFTER_SECONDS,
    )
