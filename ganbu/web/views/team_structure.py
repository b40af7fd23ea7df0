"""班子结构 pages: the county's teams with the targets each misses, one team's members and figures, and the
what-if of planned moves (every team touched, before and after; nothing is saved).

Views parse the query string, call one ``ganbu.team_structure.selectors`` function and render. The
pages exist for roles with ``Cap.ALLOCATION_VIEW`` (officers and leaders county-wide, unit officers
their subtree); for every other role they are 404. All three are GET only: the what-if is a reading.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ganbu.accounts.models import User
from ganbu.core.access import cadres_for
from ganbu.registry import selectors as registry_selectors
from ganbu.team_structure import selectors
from ganbu.team_structure.selectors import PlannedMove, TeamFilter

from ..forms_common import StyledForm
from ..forms_people import UnitPickerField
from .org_common import AuthedRequest

MSG_NO_PAGE = "页面不存在或无权访问。"
#: The targets the overview filters by: the words in the query string and the rule each stands for.
TARGET_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("women", "STR-01", "缺女干部"),
    ("non_party", "STR-02", "缺党外干部"),
    ("young", "STR-03", "缺年轻干部"),
    ("university", "STR-04", "缺全日制大学以上学历"),
    ("quota", "STR-05", "超职数配备"),
)
_TARGET_CODES = {word: code for word, code, _ in TARGET_CHOICES}
#: Move rows the what-if form offers: the moves given plus blank rows, at least this many in all.
MIN_MOVE_ROWS = 3
BLANK_MOVE_ROWS = 1


def _require(request: AuthedRequest) -> None:
    if not selectors.sees_teams(request.user):
        raise Http404(MSG_NO_PAGE)


def _on(request: AuthedRequest) -> tuple[dt.date, str]:
    """The date asked (``?on=YYYY-MM-DD``, default today) and an error when it is not a date."""
    text = request.GET.get("on", "").strip()
    today = timezone.localdate()
    if not text:
        return today, ""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return today, f"日期「{text[:20]}」格式不正确，已按今天计算。"
    if not dt.date(1950, 1, 1) <= day <= dt.date(2100, 12, 31):
        return today, "日期超出范围，已按今天计算。"
    return day, ""


class TeamFilterForm(StyledForm):
    """The overview's filters: a unit (found by the on-demand unit picker), a target missed, a date."""

    compact = True

    unit = UnitPickerField(label="单位", required=False, coerce=int, empty_value=None)
    target = forms.ChoiceField(
        label="未达目标",
        required=False,
        choices=[("", "全部班子"), ("any", "未达任一目标")] + [(w, label) for w, _, label in TARGET_CHOICES],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitPickerField)
        unit.set_units(registry_selectors.unit_picker_options(user=user, chosen=self.data.get("unit")))
        unit.widget.attrs["id"] = "f-unit"
        self.fields["target"].widget.attrs["id"] = "f-target"


@login_required
@require_GET
def team_list(request: AuthedRequest) -> HttpResponse:
    """Every team in scope (tree order, a page at a time), its size, figures and the targets it misses;
    filtered by unit (with the units under it) and by a target missed."""
    _require(request)
    on, date_error = _on(request)
    form = TeamFilterForm(request.GET, user=request.user)
    unit_id = None
    target = ""
    if form.is_valid():
        unit_id = form.cleaned_data["unit"]
        target = form.cleaned_data["target"]
    filters = TeamFilter(unit_id=unit_id, only_broken=target == "any", target=_TARGET_CODES.get(target, ""))
    overview = selectors.county_teams(request.user, on, filters)
    page = Paginator(overview.teams, settings.GANBU_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "team_structure/list.html",
        {
            "page": page,
            "overview": overview,
            "form": form,
            "on": on,
            "date_error": date_error,
            "max_teams": selectors.MAX_TEAMS,
            "filtered": bool(unit_id or target),
        },
    )


@login_required
@require_GET
def team_detail(request: AuthedRequest, unit_id: int) -> HttpResponse:
    """One unit's team: members with age, gender, education, party and years in post; the figures; each
    county target met or missed, with its basis."""
    _require(request)
    on, date_error = _on(request)
    team = selectors.team_structure(request.user, unit_id, on)
    return render(
        request,
        "team_structure/detail.html",
        {
            "team": team,
            "figures": selectors.figure_texts(team.structure).items(),
            "on": on,
            "date_error": date_error,
        },
    )


def _ids(values: list[str]) -> list[int | None]:
    """Picker values as ids (an empty or malformed value is None)."""
    return [int(v) if v.isdigit() and len(v) <= 18 and int(v) > 0 else None for v in values]


@login_required
@require_GET
def what_if(request: AuthedRequest) -> HttpResponse:
    """The what-if: rows of a cadre and a post to move to (pickers; an empty post: the cadre leaves the
    county's teams); shows every team the moves touch, before and after, with the targets broken or
    healed. Nothing is saved: rotation plans are kept on their own pages."""
    _require(request)
    user = request.user
    on, date_error = _on(request)
    cadre_values = request.GET.getlist("cadre")[: selectors.MAX_MOVES]
    post_values = request.GET.getlist("post")[: selectors.MAX_MOVES]
    post_values += [""] * (len(cadre_values) - len(post_values))
    pairs = [(c, p) for c, p in zip(_ids(cadre_values), _ids(post_values), strict=False) if c is not None]
    moves = [PlannedMove(cadre_id=c, to_post_id=p) for c, p in pairs]
    changes = None
    error = ""
    if moves:
        try:
            changes = selectors.teams_before_after(user, moves, on)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        except Http404:
            error = "所选干部或职位不存在，或不在您的管理范围内。"
    elif cadre_values:
        error = "请为每项调整选择干部。"
    cadre_ids = [c for c, _ in pairs]
    post_ids = [p for _, p in pairs if p is not None]
    cadre_names = {c.pk: c.name for c in cadres_for(user).filter(pk__in=cadre_ids).only("id", "name")}
    posts = {p.pk: p for p in registry_selectors.post_list(user=user).filter(pk__in=post_ids)}
    rows = [
        {
            "cadre": c,
            "cadre_label": cadre_names.get(c, ""),
            "post": p or "",
            "post_label": f"{posts[p].unit.name} {posts[p].title}" if p in posts else "",
        }
        for c, p in pairs
    ]
    blank = max(MIN_MOVE_ROWS - len(rows), BLANK_MOVE_ROWS)
    rows += [{"cadre": "", "cadre_label": "", "post": "", "post_label": ""}] * blank
    return render(
        request,
        "team_structure/what_if.html",
        {
            "rows": rows,
            "changes": changes,
            "error": error,
            "on": on,
            "date_error": date_error,
        },
    )
