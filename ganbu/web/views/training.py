"""教育培训 pages: the year's plan (programs and classes), a class (roster, leave, enrolment, results),
closing a class, the county's training cycle (coverage and the not-yet-trained list, with export),
hours against the yearly and five-year quotas, appointment training due, the attendance import.

Views parse, call one ``ganbu.training`` service or selector and render; a service's refusal
re-renders the form with its Chinese message and nothing written. Pages exist for roles with
``Cap.TRAINING_VIEW`` (officers, the leader, unit officers: trainees of their own subtree); the
forms that write, for officers (``Cap.TRAINING_MANAGE``). Every other role: 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.jobs import selectors as job_selectors
from ganbu.jobs import services as job_services
from ganbu.jobs.models import ImportJob
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.choices import Rank
from ganbu.training import attendance_import, selectors, services
from ganbu.training.choices import EnrollmentStatus, Mode, Organizer, Purpose, Result, TargetGroup
from ganbu.training.models import TrainingClass

from ..exports import DAY, Column, wants_xlsx, xlsx_response
from ..forms_common import DATE_WIDGET, MSG_CADRE_NOT_VISIBLE, StyledForm, add_service_error
from ..forms_people import UnitPickerField
from .jobs import KindPage, job_view, register_page
from .org_common import AuthedRequest, page_of

MSG_NO_PAGE = "页面不存在或无权访问。"
MIN_YEAR, MAX_YEAR = 2000, 2100


def _require_view(request: AuthedRequest) -> None:
    if not selectors.sees_training(request.user):
        raise Http404(MSG_NO_PAGE)


def _require_manage(request: AuthedRequest) -> None:
    if not selectors.manages_training(request.user):
        raise Http404(MSG_NO_PAGE)


def _year(request: AuthedRequest, today: dt.date) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR else today.year


def _hours_text(value: Any) -> str:
    """Hours as an officer writes them (24, 24.5, 24.33)."""
    number = float(value)
    return f"{number:.2f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- forms


class ProgramForm(StyledForm):
    """One line of the year's plan."""

    title = forms.CharField(label="培训项目", max_length=200)
    year = forms.IntegerField(label="年度", min_value=MIN_YEAR, max_value=MAX_YEAR)
    target_group = forms.ChoiceField(label="培训对象", choices=TargetGroup.choices)
    purpose = forms.ChoiceField(label="培训类别", choices=Purpose.choices)
    organizer = forms.ChoiceField(label="主办单位", choices=Organizer.choices)
    mode = forms.ChoiceField(label="培训方式", choices=Mode.choices)
    note = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClassForm(StyledForm):
    """A class of a program."""

    title = forms.CharField(label="班次名称", max_length=200)
    start_date = forms.DateField(label="开班日期", widget=DATE_WIDGET)
    end_date = forms.DateField(label="结业日期", widget=DATE_WIDGET)
    total_hours = forms.DecimalField(label="总学时", min_value=Decimal("0.1"), max_digits=6, decimal_places=1)
    capacity = forms.IntegerField(label="计划人数", min_value=1, max_value=2000)
    place = forms.CharField(label="培训地点", max_length=200, required=False)


class EnrollForm(StyledForm):
    """Enrol one cadre (picker) or every serving cadre of a unit's subtree (and a rank)."""

    compact = True
    cadre = forms.IntegerField(label="干部", min_value=1, required=False, widget=forms.TextInput())
    unit = UnitPickerField(label="或按单位", required=False, coerce=int, empty_value=None)
    rank = forms.ChoiceField(label="职级", choices=[("", "全部"), *Rank.choices], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cadre"].widget.attrs.update(
            {
                "data-picker": "cadres",
                "data-picker-url": reverse("web:picker-cadres"),
                "placeholder": "输入姓名或拼音首字母选择",
            }
        )
        unit = self.fields["unit"]
        assert isinstance(unit, UnitPickerField)
        unit.set_units(registry_selectors.unit_picker_options(user=user, chosen=self.data.get("unit")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("cadre") and not data.get("unit"):
            raise ValidationError("请选择一名干部，或选择一个单位按名单报名。")
        if data.get("cadre"):
            try:
                registry_selectors.cadre_get_for_user(user=self.user, cadre_id=data["cadre"])
            except Http404:
                raise ValidationError({"cadre": [MSG_CADRE_NOT_VISIBLE]}) from None
        return data


class AbsenceForm(StyledForm):
    """A trainee's leave so far, in hours."""

    compact = True
    absence_hours = forms.DecimalField(label="请假学时", min_value=Decimal(0), max_digits=6, decimal_places=1)


class FilterForm(StyledForm):
    """The unit and rank filters of the coverage and hours pages."""

    compact = True
    unit = UnitPickerField(label="单位", required=False, coerce=int, empty_value=None)
    rank = forms.ChoiceField(label="职级", choices=[("", "全部"), *Rank.choices], required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitPickerField)
        unit.set_units(registry_selectors.unit_picker_options(user=user, chosen=self.data.get("unit")))
        unit.widget.attrs["id"] = "f-unit"

    def values(self) -> tuple[int | None, str]:
        """The unit id and rank chosen (invalid values ignored)."""
        if not self.is_valid():
            return None, ""
        return self.cleaned_data.get("unit"), self.cleaned_data.get("rank") or ""


class UploadForm(StyledForm):
    """The attendance sheet (.xlsx)."""

    file = forms.FileField(label="请假登记表（.xlsx）")


# ---------------------------------------------------------------- the year's plan


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The year's programs and their classes, with the numbers enrolled."""
    _require_view(request)
    today = timezone.localdate()
    year = _year(request, today)
    return render(
        request,
        "training/home.html",
        {
            "year": year,
            "years": selectors.program_years(user=request.user, today=today),
            "programs": selectors.programs_of_year(user=request.user, year=year),
            "can_manage": selectors.manages_training(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: AuthedRequest) -> HttpResponse:
    """Add a program to a year's plan."""
    _require_manage(request)
    form = ProgramForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已登记培训项目「{program.title}」。")
            return redirect(reverse("web:training-home") + f"?year={program.year}")
    return render(
        request,
        "training/form.html",
        {"form": form, "heading": "登记培训项目"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open a class of a program."""
    _require_manage(request)
    program = selectors.program_get(user=request.user, program_id=pk)
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            klass = services.class_create(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已开设班次「{klass.title}」。")
            return redirect("web:training-class", klass.pk)
    return render(
        request,
        "training/form.html",
        {"form": form, "heading": f"开设班次：{program.title}"},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- a class


def _class_context(
    request: AuthedRequest, klass: TrainingClass, enroll_form: EnrollForm | None
) -> dict[str, Any]:
    roster = selectors.class_roster(user=request.user, training_class=klass)
    page, query = page_of(request, roster)
    can_manage = selectors.manages_training(request.user) and klass.status == "open"
    return {
        "klass": klass,
        "page": page,
        "query": query,
        "can_manage": can_manage,
        "enroll_form": enroll_form or (EnrollForm(user=request.user) if can_manage else None),
        "absence_limit": _hours_text(klass.total_hours / 7),
        "enrolled_status": EnrollmentStatus.ENROLLED.value,
    }


@login_required
@require_GET
def class_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A class: its facts, its trainees in scope (leave, status, result, certificate), enrolment."""
    _require_view(request)
    klass = selectors.class_get(user=request.user, class_id=pk)
    return render(request, "training/class.html", _class_context(request, klass, None))


@login_required
@require_POST
def class_enroll(request: AuthedRequest, pk: int) -> HttpResponse:
    """Enrol one cadre or a unit's roster; all or none."""
    _require_manage(request)
    klass = selectors.class_get(user=request.user, class_id=pk)
    form = EnrollForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("cadre"):
                made = services.enroll(actor=request.user, training_class=klass, cadre_ids=[data["cadre"]])
            else:
                ranks = [data["rank"]] if data.get("rank") else []
                made = services.enroll_roster(
                    actor=request.user, training_class=klass, unit_id=data["unit"], ranks=ranks
                )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已报名{len(made)}人。")
            return redirect("web:training-class", klass.pk)
    return render(request, "training/class.html", _class_context(request, klass, form), status=400)


@login_required
@require_POST
def attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a trainee's leave; above 1/7 of the class's hours the trainee is withdrawn (退学)."""
    _require_manage(request)
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=pk)
    form = AbsenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请假学时应为不小于0的数，最多一位小数。")
        return redirect("web:training-class", enrollment.training_class_id)
    try:
        done = services.attendance_record(
            actor=request.user, enrollment=enrollment, absence_hours=form.cleaned_data["absence_hours"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if done.status == EnrollmentStatus.WITHDRAWN:
            messages.warning(request, f"{done.cadre.name}：{done.withdrawn_reason}")
        else:
            messages.success(request, f"已登记{done.cadre.name}请假{_hours_text(done.absence_hours)}学时。")
    return redirect("web:training-class", enrollment.training_class_id)


RESULT_CHOICES = [
    (Result.PASSED.value, "合格"),
    (Result.EXCELLENT.value, "优秀"),
    (Result.FAILED.value, "不合格"),
    (Result.ABSENT.value, "未参训"),
]


@login_required
@require_http_methods(["GET", "POST"])
def class_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """Close a class: a result for every trainee still 在学 (合格 by default), certificates numbered."""
    _require_manage(request)
    klass = selectors.class_get(user=request.user, class_id=pk)
    roster = selectors.class_roster(user=request.user, training_class=klass)
    trainees = list(roster.filter(status=EnrollmentStatus.ENROLLED)) if klass.status == "open" else []
    errors: list[str] = []
    closed_text = request.POST.get("closed_on", f"{max(klass.end_date, timezone.localdate()):%Y-%m-%d}")
    if request.method == "POST":
        results: dict[int, services.ResultInput] = {}
        for e in trainees:
            result = request.POST.get(f"result-{e.pk}", Result.PASSED)
            score_text = request.POST.get(f"score-{e.pk}", "").strip()
            score: Decimal | None = None
            if score_text:
                try:
                    score = Decimal(score_text)
                except ArithmeticError:
                    errors.append(f"{e.cadre.name}的考试成绩应为0至100之间的数，最多一位小数。")
                    continue
            results[e.pk] = services.ResultInput(result, score)
        try:
            closed_on = dt.date.fromisoformat(closed_text)
        except ValueError:
            errors.append("请填写结业登记日期。")
            closed_on = None
        if not errors and closed_on is not None:
            try:
                services.class_complete(
                    actor=request.user, training_class=klass, results=results, closed_on=closed_on
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"班次「{klass.title}」已结业，结业证书已编号。")
                return redirect("web:training-class", klass.pk)
    return render(
        request,
        "training/close.html",
        {
            "klass": klass,
            "trainees": trainees,
            "errors": errors,
            "closed_on": closed_text,
            "results": RESULT_CHOICES,
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- coverage (the county's cycle)

NOT_TRAINED_COLUMNS = [
    Column("姓名", lambda c: c.name),
    Column("单位", lambda c: c.unit.name),
    Column("职级", lambda c: c.get_rank_display()),
    Column("最近一次培训结业", lambda c: c.last_trained, DAY),
]


@login_required
@require_GET
def coverage(request: AuthedRequest) -> HttpResponse | FileResponse:
    """The county's goal: the share of in-service cadres trained within the cycle, and who is not yet."""
    _require_view(request)
    today = timezone.localdate()
    filters = FilterForm(request.GET, user=request.user)
    unit_id, rank = filters.values()
    rows = selectors.not_trained(user=request.user, on=today, unit_id=unit_id, rank=rank)
    if wants_xlsx(request):
        applied = [("职级", dict(Rank.choices)[rank])] if rank else []
        return xlsx_response(
            title="轮训未覆盖干部", columns=NOT_TRAINED_COLUMNS, rows=rows.iterator(), filters=applied
        )
    page, query = page_of(request, rows)
    return render(
        request,
        "training/coverage.html",
        {
            "summary": selectors.coverage(user=request.user, on=today, unit_id=unit_id, rank=rank),
            "page": page,
            "query": query,
            "filters": filters,
        },
    )


# ---------------------------------------------------------------- hours against the quotas


@login_required
@require_GET
def hours(request: AuthedRequest) -> HttpResponse:
    """Each serving cadre's hours in a year and in five years against the quota of their level."""
    _require_view(request)
    today = timezone.localdate()
    year = _year(request, today)
    filters = FilterForm(request.GET, user=request.user)
    unit_id, rank = filters.values()
    short_only = request.GET.get("short") == "1"
    roster = selectors.hours_roster(
        user=request.user, year=year, today=today, unit_id=unit_id, rank=rank, short_only=short_only
    )
    page, query = page_of(request, roster)
    rows = selectors.hours_rows(list(page.object_list), year=year, today=today)
    return render(
        request,
        "training/hours.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "page": page,
            "query": query,
            "rows": rows,
            "filters": filters,
            "short_only": short_only,
            "online_required": _hours_text(selectors.online_required(selectors.check_day(year, today))),
        },
    )


# ---------------------------------------------------------------- appointment training due


@login_required
@require_GET
def appointment(request: AuthedRequest) -> HttpResponse:
    """Promoted cadres whose appointment training is due within the year after promotion, or overdue."""
    _require_view(request)
    today = timezone.localdate()
    return render(
        request,
        "training/appointment.html",
        {"rows": selectors.appointment_due(user=request.user, on=today), "today": today},
    )


# ---------------------------------------------------------------- attendance import


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attendance_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a class's leave sheet: queued as a job, every row checked, all or none written."""
    _require_manage(request)
    klass = selectors.class_get(user=request.user, class_id=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if klass.status != "open":
            form.add_error(None, "班次已结业，不能再导入请假登记。")
        else:
            upload = form.cleaned_data["file"]
            job = job_services.job_enqueue(
                actor=request.user,
                kind=attendance_import.NAME,
                data=upload.read(),
                filename=upload.name or "",
                params={"class_id": klass.pk},
                check=attendance_import.check_envelope,
            )
            return redirect("web:job-detail", job.pk)
    recent = [
        job_view(j)
        for j in job_selectors.jobs_recent(user=request.user, kind=attendance_import.NAME, limit=8)
    ]
    return render(
        request,
        "training/import.html",
        {"klass": klass, "form": form, "recent": recent},
        status=400 if request.method == "POST" else 200,
    )


def _import_context(job: ImportJob) -> dict[str, Any]:
    return {"attendance": job.result or {}}


register_page(
    attendance_import.NAME,
    KindPage(
        preview_template="training/_import_report.html",
        report_template="training/_import_report.html",
        choices=lambda request, job: {},
        context=_import_context,
        upload_url=lambda: reverse("web:training-home"),
        writing_text="正在写入（一次写入，全部成功或全部不写入）",
        unit="人",
    ),
)
