"""Exit reads, always scoped to the user (``ganbu.core.access.cadres_for``), with fixed query counts.

Secrecy: proceedings (审计、纪律审查、监察调查、司法程序) are supervision records; only roles with
``Cap.SENSITIVE_SUPERVISION`` learn that one exists — for everyone else the selectors return
nothing or 404, the same as for a proceeding that does not exist. Incompetence cases are built on
evaluation results, so they are shown to the roles that read results (``Cap.BALLOT_RESULTS``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.policy.keys import KEYS
from ganbu.policy.models import PolicyValue
from ganbu.policy.selectors import policy_table
from ganbu.registry.choices import CadreStatus, Gender
from ganbu.registry.models import Cadre, DocumentItem
from ganbu.rules.exits import AgeThresholds, age_text, cadre_retirement_category, early_exit_reach_date
from ganbu.rules.retirement import (
    RetirementCategory,
    statutory_retirement_age,
    statutory_retirement_date,
    statutory_retirement_month,
)
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import BallotResult
from ganbu.voting.selectors import RESULT_STATUSES

from .models import ExitRecord, IncompetenceCase, Proceeding

MSG_EXIT_NOT_FOUND = "记录不存在或不在您的管理范围内。"
MSG_PROCEEDING_NOT_FOUND = "记录不存在或无权查看。"
MSG_CASE_NOT_FOUND = "不称职调整程序不存在或无权查看。"
MSG_RESULT_NOT_FOUND = "测评结果不存在或无权查看。"


# ---------------------------------------------------------------- exits


def exit_list(*, user: User, kind: str = "", year: int | None = None) -> QuerySet[ExitRecord]:
    """Exits of cadres the user may see, newest effective date first; paginate in the database.

    One query per page whatever its size: the cadre, unit, document, new post and the concluded
    incompetence case come joined.
    """
    if not has_cap(user, Cap.REGISTRY_VIEW):
        return ExitRecord.objects.none()
    qs = ExitRecord.objects.filter(cadre__in=cadres_for(user)).select_related(
        "cadre__unit", "document", "new_post__unit", "created_by", "incompetence_case"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(effective_on__year=year)
    return qs.order_by("-effective_on", "-id")


def exit_get_for_user(*, user: User, exit_id: int) -> ExitRecord:
    """One exit of a cadre the user may see, or 404."""
    record = exit_list(user=user).filter(pk=exit_id).first()
    if record is None:
        raise Http404(MSG_EXIT_NOT_FOUND)
    return record


def exit_items(*, user: User, record: ExitRecord) -> list[DocumentItem]:
    """The items of the exit's document that concern cadres the user may see (the tenures ended, the
    new post and rank), in document order; none when no document was needed."""
    if record.document_id is None:
        return []
    return list(
        DocumentItem.objects.filter(document_id=record.document_id, cadre__in=cadres_for(user))
        .select_related("cadre", "post__unit")
        .order_by("sort_order", "id")
    )


# ---------------------------------------------------------------- due lists


@dataclass(frozen=True)
class DueEarlyExit:
    """A leader who reaches the county's 离岗退养 age in the year: on which day, at which age."""

    cadre: Cadre
    reaches_on: dt.date
    age: int


@dataclass(frozen=True)
class DueRetirement:
    """A cadre whose statutory retirement date falls in the year, with the age that gives it."""

    cadre: Cadre
    retires_on: dt.date
    age: str
    category: str


def _age_versions(year: int) -> list[AgeThresholds]:
    """The county's 离岗退养 ages as versions, the first in force at the end of the previous year.

    One query (``policy_table`` reads every version). A version starts wherever either age changes;
    each carries both ages in force from then.
    """
    eve = dt.date(year - 1, 12, 31)
    rows = {row.key.key: row.versions for row in policy_table(eve)}
    men_rows, women_rows = rows["exit.age_men"], rows["exit.age_women"]

    def in_force(versions: list[PolicyValue], default: str, on: dt.date) -> int:
        for version in versions:  # newest first
            if version.effective_from <= on:
                return int(version.value)
        return int(default)

    starts = sorted({v.effective_from for v in [*men_rows, *women_rows] if v.effective_from > eve})
    men_default, women_default = KEYS["exit.age_men"].default, KEYS["exit.age_women"].default
    versions = [
        AgeThresholds(
            start=dt.date.min,
            men=in_force(men_rows, men_default, eve),
            women=in_force(women_rows, women_default, eve),
        )
    ]
    for start in starts:
        versions.append(
            AgeThresholds(
                start=start,
                men=in_force(men_rows, men_default, start),
                women=in_force(women_rows, women_default, start),
            )
        )
    return versions


#: The cadre fields the due lists and their pages, to-dos and API read (``only()``): a due list at
#: province scale reads thousands of rows, and the full row (education, résumé text…) is most of it.
DUE_FIELDS = (
    "id",
    "name",
    "name_pinyin",
    "gender",
    "birth_date",
    "status",
    "is_leadership",
    "current_post_text",
    "unit_id",
    "unit__id",
    "unit__name",
)


def _month_start(index: int) -> dt.date:
    """The first day of the month numbered ``index`` (year × 12 + month − 1)."""
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def _month_end(index: int) -> dt.date:
    """The last day of the month numbered ``index`` (year × 12 + month − 1)."""
    return _month_start(index + 1) - dt.timedelta(days=1)


def _retirement_births(year: int, category: RetirementCategory, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last birth dates whose statutory retirement month falls in ``year``.

    Derived from the rule itself (``statutory_retirement_month``), not from its constants: the
    retirement month grows strictly with the birth month (the age never falls for a later cohort),
    so the births retiring in the year are one run of months, found by two binary searches over a
    century of birth months. The day of birth plays no part in the month (RET-03's 对照表).
    """
    target_first, target_last = year * 12, year * 12 + 11

    def retires(index: int) -> int:
        month = statutory_retirement_month(_month_start(index), category, as_of=as_of)
        return month.year * 12 + month.month - 1

    def first_at_least(target: int) -> int:
        low, high = (year - 100) * 12, year * 12  # born in the year itself retires long after it
        while low < high:
            middle = (low + high) // 2
            if retires(middle) >= target:
                high = middle
            else:
                low = middle + 1
        return low

    first = first_at_least(target_first)
    after = first_at_least(target_last + 1)
    return _month_start(first), _month_end(after - 1)


def _early_exit_births(year: int, ages: list[int], eve_age: int) -> tuple[dt.date, dt.date]:
    """Birth dates of leaders who can reach one of ``ages`` (周岁) in ``year`` and had not reached
    ``eve_age`` (the age in force the day before the year) by then.

    Someone who had reached ``eve_age`` on 31 December was due that year, not this one
    (``early_exit_reach_date``); someone born after ``year − min(ages)`` reaches no age in time.
    """
    return dt.date(year - eve_age, 1, 1), dt.date(year - min(ages), 12, 31)


def _early_exit_candidates(user: User, year: int) -> tuple[list[AgeThresholds], QuerySet[Cadre]]:
    """The county ages in force during ``year`` and the serving leaders in scope who can reach one.

    Narrowed in the database by birth date (:func:`_early_exit_births`), a safe superset that the
    rule (``early_exit_reach_date``) then dates exactly. Shared by the whole list and its pages.
    """
    versions = _age_versions(year)
    men_from, men_to = _early_exit_births(year, [v.men for v in versions], versions[0].men)
    women_from, women_to = _early_exit_births(year, [v.women for v in versions], versions[0].women)
    candidates = (
        cadres_for(user)
        .filter(status=CadreStatus.SERVING, is_leadership=True)
        .filter(
            Q(gender=Gender.MALE, birth_date__gte=men_from, birth_date__lte=men_to)
            | Q(gender=Gender.FEMALE, birth_date__gte=women_from, birth_date__lte=women_to)
        )
    )
    return versions, candidates


def _retirement_candidates(user: User, year: int) -> QuerySet[Cadre]:
    """Cadres in scope (在职 or 离岗退养) born in the months that retire in ``year``.

    Under the law in force at the end of ``year`` (:func:`_retirement_births`); the rule
    (``statutory_retirement_date``) dates them exactly. Shared by the whole list and its pages.
    """
    as_of = dt.date(year, 12, 31)
    men_from, men_to = _retirement_births(year, cadre_retirement_category("M"), as_of)
    women_from, women_to = _retirement_births(year, cadre_retirement_category("F"), as_of)
    return (
        cadres_for(user)
        .filter(status__in=[CadreStatus.SERVING, CadreStatus.EARLY_EXIT])
        .filter(
            Q(gender=Gender.MALE, birth_date__gte=men_from, birth_date__lte=men_to)
            | Q(gender=Gender.FEMALE, birth_date__gte=women_from, birth_date__lte=women_to)
        )
    )


def due_early_exit(*, user: User, year: int) -> list[DueEarlyExit]:
    """Serving leaders in scope who reach the county's 离岗退养 age in ``year`` (RET-06), by date.

    The age applied on each day is the county policy in force that day, so a change of policy
    during the year moves the dates (see ``ganbu.rules.exits.early_exit_reach_date``). Leaders who
    were already due before the year are not listed again. Two queries: the policy versions and
    the candidates (filtered by birth date in the database to those who can be due, reading only
    :data:`DUE_FIELDS`; exact dates computed here).
    """
    versions, candidates = _early_exit_candidates(user, year)
    candidates = candidates.select_related("unit").only(*DUE_FIELDS).order_by("birth_date", "id")
    rows = []
    for cadre in candidates:
        reaches_on = early_exit_reach_date(cadre.birth_date, cadre.gender, year, versions)
        if reaches_on is not None:
            rows.append(DueEarlyExit(cadre=cadre, reaches_on=reaches_on, age=cadre.age_on(reaches_on)))
    return sorted(rows, key=lambda r: (r.reaches_on, r.cadre.name_pinyin, r.cadre.pk))


def due_retirement(*, user: User, year: int) -> list[DueRetirement]:
    """Cadres in scope (在职 or 离岗退养) whose statutory retirement date falls in ``year``, by date.

    The date follows RET-01/RET-03 under the law in force at the end of ``year`` (the 2025 gradual
    schedule by birth month from 2025 on). One query: candidates are filtered in the database to
    the exact birth months that retire in the year under that law (:func:`_retirement_births`), only
    :data:`DUE_FIELDS` are read, and the exact date is computed here.
    """
    as_of = dt.date(year, 12, 31)
    candidates = _retirement_candidates(user, year).select_related("unit").only(*DUE_FIELDS)
    candidates = candidates.order_by("birth_date", "id")
    rows = []
    for cadre in candidates:
        category = cadre_retirement_category(cadre.gender)
        retires_on = statutory_retirement_date(cadre.birth_date, category, as_of=as_of)
        if retires_on.year != year:
            continue
        years, months = statutory_retirement_age(cadre.birth_date, category, as_of=as_of)
        rows.append(
            DueRetirement(
                cadre=cadre, retires_on=retires_on, age=age_text(years, months), category=category.label
            )
        )
    return sorted(rows, key=lambda r: (r.retires_on, r.cadre.name_pinyin, r.cadre.pk))


# ---------------------------------------------------------------- due lists a page at a time

T = TypeVar("T")

#: Rows a due list shows on a page (the same as the other lists).
DUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class DuePage(Generic[T]):
    """One page of a due list (rows in the list's order), the list's exact total and where we are."""

    rows: list[T]
    total: int
    number: int
    size: int

    @property
    def num_pages(self) -> int:
        """Pages in the list (one when it is empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        """The previous page's number."""
        return self.number - 1

    @property
    def next_number(self) -> int:
        """The next page's number."""
        return self.number + 1


def _due_page(
    candidates: QuerySet[Cadre],
    due_on: Callable[[str, dt.date], dt.date | None],
    number: int,
    size: int,
) -> tuple[list[tuple[Cadre, dt.date]], int, int]:
    """Page ``number`` of ``candidates`` that are due, by (due date, 拼音, id): the rows with their
    dates, the exact total and the page number actually shown (clamped to the list).

    Why it works without reading everyone: a due date depends on nothing but the gender and the
    birth date, so the database counts the candidates per (gender, birth date) — at most a few
    hundred groups a year whatever the registry — and the rule (``due_on``, the authority) dates
    each group once. The groups give the exact total and which due dates the page spans; only the
    cadres born on those days are read. Two queries (none for the rows of an empty list).
    """
    groups = candidates.order_by().values_list("gender", "birth_date").annotate(n=Count("id"))
    counts: dict[dt.date, int] = defaultdict(int)
    births: dict[dt.date, list[tuple[str, dt.date]]] = defaultdict(list)
    for gender, birth, n in groups:
        due = due_on(gender, birth)
        if due is not None:
            counts[due] += n
            births[due].append((gender, birth))
    total = sum(counts.values())
    number = min(max(1, number), max(1, -(-total // size)))
    start, end = (number - 1) * size, number * size
    seen, skip = 0, 0
    wanted: list[dt.date] = []
    for due in sorted(counts):
        if seen + counts[due] > start:
            if not wanted:
                skip = start - seen  # the page starts inside this day's rows
            wanted.append(due)
        seen += counts[due]
        if seen >= end:
            break
    if not wanted:
        return [], total, number
    days: dict[str, list[dt.date]] = defaultdict(list)
    for due in wanted:
        for gender, birth in births[due]:
            days[gender].append(birth)
    condition = Q()
    for gender, dates in days.items():
        condition |= Q(gender=gender, birth_date__in=dates)
    rows = []
    for cadre in candidates.filter(condition).select_related("unit").only(*DUE_FIELDS):
        due = due_on(cadre.gender, cadre.birth_date)
        if due is not None:
            rows.append((cadre, due))
    rows.sort(key=lambda row: (row[1], row[0].name_pinyin, row[0].pk))
    return rows[skip : skip + size], total, number


def due_early_exit_page(
    *, user: User, year: int, number: int = 1, size: int = DUE_PAGE_SIZE
) -> DuePage[DueEarlyExit]:
    """Page ``number`` of :func:`due_early_exit` (the same rows in the same order) and its total.

    Three queries whatever the registry's size (the policy versions, the count per birth date, the
    page's cadres); the dates come from ``early_exit_reach_date`` as in the whole list.
    """
    versions, candidates = _early_exit_candidates(user, year)

    def due_on(gender: str, birth: dt.date) -> dt.date | None:
        return early_exit_reach_date(birth, gender, year, versions)

    rows, total, number = _due_page(candidates, due_on, number, size)
    return DuePage(
        rows=[DueEarlyExit(cadre=c, reaches_on=on, age=c.age_on(on)) for c, on in rows],
        total=total,
        number=number,
        size=size,
    )


def due_retirement_page(
    *, user: User, year: int, number: int = 1, size: int = DUE_PAGE_SIZE
) -> DuePage[DueRetirement]:
    """Page ``number`` of :func:`due_retirement` (the same rows in the same order) and its total.

    Two queries whatever the registry's size (the count per birth date, the page's cadres); the
    dates come from ``statutory_retirement_date`` under the law in force at the end of ``year``.
    """
    as_of = dt.date(year, 12, 31)
    candidates = _retirement_candidates(user, year)

    def due_on(gender: str, birth: dt.date) -> dt.date | None:
        retires_on = statutory_retirement_date(birth, cadre_retirement_category(gender), as_of=as_of)
        return retires_on if retires_on.year == year else None

    rows, total, number = _due_page(candidates, due_on, number, size)
    page = []
    for cadre, retires_on in rows:
        category = cadre_retirement_category(cadre.gender)
        years, months = statutory_retirement_age(cadre.birth_date, category, as_of=as_of)
        page.append(
            DueRetirement(
                cadre=cadre, retires_on=retires_on, age=age_text(years, months), category=category.label
            )
        )
    return DuePage(rows=page, total=total, number=number, size=size)


# ---------------------------------------------------------------- proceedings (secret)


def may_see_proceedings(user: User) -> bool:
    """Whether the user may learn that proceedings exist (``Cap.SENSITIVE_SUPERVISION``)."""
    return has_cap(user, Cap.SENSITIVE_SUPERVISION)


def proceeding_list(*, user: User, open_only: bool = False) -> QuerySet[Proceeding]:
    """Proceedings of cadres in scope, open ones first then newest; nothing without the capability."""
    if not may_see_proceedings(user):
        return Proceeding.objects.none()
    qs = Proceeding.objects.filter(cadre__in=cadres_for(user)).select_related(
        "cadre__unit", "recorded_by", "closed_by"
    )
    if open_only:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id")


def proceeding_get_for_user(*, user: User, proceeding_id: int) -> Proceeding:
    """One proceeding the user may see, or 404 (also for a role that may not know it exists)."""
    proceeding = proceeding_list(user=user).filter(pk=proceeding_id).first()
    if proceeding is None:
        raise Http404(MSG_PROCEEDING_NOT_FOUND)
    return proceeding


def cadre_open_proceedings(*, user: User, cadre_id: int) -> list[Proceeding]:
    """The open proceedings of one cadre in scope; 404 for a role without the capability, so that
    the answer "none" and "you may not know" cannot be told apart by anyone who may not know."""
    if not may_see_proceedings(user) or not cadres_for(user).filter(pk=cadre_id).exists():
        raise Http404(MSG_PROCEEDING_NOT_FOUND)
    return list(proceeding_list(user=user, open_only=True).filter(cadre_id=cadre_id))


# ---------------------------------------------------------------- incompetence cases


def may_see_cases(user: User) -> bool:
    """Whether the user may see incompetence cases: those who read evaluation results."""
    return has_cap(user, Cap.BALLOT_RESULTS) and has_cap(user, Cap.REGISTRY_VIEW)


def case_list(*, user: User, open_only: bool = False) -> QuerySet[IncompetenceCase]:
    """Incompetence cases of cadres in scope, newest first; nothing for roles that may not see them."""
    if not may_see_cases(user):
        return IncompetenceCase.objects.none()
    qs = IncompetenceCase.objects.filter(cadre__in=cadres_for(user)).select_related(
        "cadre__unit", "evaluation__ballot", "outcome__document", "created_by"
    )
    if open_only:
        qs = qs.filter(step__in=["opened", "confirmed"])
    return qs.order_by("-opened_on", "-id")


def case_get_for_user(*, user: User, case_id: int) -> IncompetenceCase:
    """One incompetence case the user may see, or 404."""
    case = case_list(user=user).filter(pk=case_id).first()
    if case is None:
        raise Http404(MSG_CASE_NOT_FOUND)
    return case


def _visible_evaluation_results(user: User) -> QuerySet[BallotResult]:
    if not may_see_cases(user):
        return BallotResult.objects.none()
    return BallotResult.objects.filter(
        ballot__kind=BallotKind.EVALUATION,
        ballot__status__in=RESULT_STATUSES,
        ballot__unit__in=units_for(user),
        item__cadre__in=cadres_for(user),
    ).select_related("ballot", "item__cadre__unit")


def flagged_evaluations(*, user: User, limit: int = 50) -> list[BallotResult]:
    """Counted evaluation results the user may read that flagged a cadre (不称职 share above the
    threshold, EVAL-10) and have no case yet: the cases waiting to be opened. One query."""
    used = IncompetenceCase.objects.filter(evaluation__isnull=False).values("evaluation_id")
    qs = _visible_evaluation_results(user).filter(data__incompetent_flag=True).exclude(pk__in=used)
    return list(qs.order_by("-ballot__tallied_at", "-id")[:limit])


def evaluation_result_get(*, user: User, result_id: int) -> BallotResult:
    """One counted evaluation result the user may read, or 404 (the service re-checks the flag)."""
    result = _visible_evaluation_results(user).filter(pk=result_id).first()
    if result is None:
        raise Http404(MSG_RESULT_NOT_FOUND)
    return result
