"""Self-service (干部本人): read one's own record and ask for a correction of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ganbu.core.access import Cap, has_cap
from ganbu.registry import selectors, services

from ..forms_common import add_service_error
from ..forms_people import CorrectionForm, correctable_choices
from .cadres import AuthedRequest, record_context


@login_required
@require_http_methods(["GET", "POST"])
def my_record(request: AuthedRequest) -> HttpResponse:
    """The logged-in cadre's own record (read-only, same layout as the cadre page) and a correction form.

    A correction goes through ``services.correction_submit``; an officer reviews it. Errors are
    shown on the form (status 200) and nothing is written.
    """
    user = request.user
    if not has_cap(user, Cap.SELF_SERVICE) or user.cadre_id is None:
        raise Http404("页面不存在或无权访问。")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_submit(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "更正申请已提交，组织部门审核后会更新您的档案。")
            return redirect("web:my-record")
    record = selectors.cadre_record(user=user, cadre_id=user.cadre_id)
    labels = dict(correctable_choices())
    corrections = list(
        selectors.correction_list(user=user, pending_only=False).order_by("-submitted_at")[:20]
    )
    for item in corrections:
        item.field_label = labels.get(item.field_name, item.field_name)  # type: ignore[attr-defined]
    context = record_context(record, can_edit=False)
    context.update({"correction_form": form, "corrections": corrections, "self_service": True})
    return render(request, "web/people/my_record.html", context)
