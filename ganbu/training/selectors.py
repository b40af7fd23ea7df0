"""Training reads, scoped to the user, with fixed query counts.

Who sees what: ``Cap.TRAINING_VIEW`` (the department's officers and leaders, unit officers) sees
the county's programs and classes (the department's plan is public to them); the trainees, hours,
coverage and due lists are those of cadres in the user's scope (``cadres_for``: a unit officer
sees their own subtree). Every other role: 404.

Counting (``ganbu.rules.training``): a completed enrollment in a 脱产 class counts its hours
credited (the class's hours less leave) and the class's days; a class spanning a window's edge
counts the days inside and its hours prorated by them. The county's cycle (TRN-07) counts any
completed class (脱产, 网络 or 在职) that ended inside the cycle.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.policy.selectors import policy_value
from ganbu.registry.choices import CadreStatus, Rank
from ganbu.registry.models import Cadre, RankRecord, Unit
from ganbu.rules import training as rules
from ganbu.rules.retirement import add_age

from .choices import ClassStatus, EnrollmentStatus, Mode, Purpose
from .models import Enrollment, TrainingClass, TrainingProgram

MSG_NOT_FOUND = "页面不存在或无权访问。"
CYCLE_KEY = "training.cycle_years"
ONLINE_KEY = "training.online_hours"
#: Ranks whose start is a promotion to a leading post (提拔担任领导职务, TRN-03/06): 正科级 and 副科级.
LEADING_RANKS: tuple[str, ...] = (Rank.SECTION.value, Rank.DEPUTY_SECTION.value)
#: A promotion whose appointment training is still missing is listed for this many years after it
#: (the year it is due and a year overdue), so the list does not fill with decade-old promotions.
APPOINTMENT_LOOKBACK_YEARS = 2


def sees_training(user: User) -> bool:
    """Whether the user may read training at all."""
    return has_cap(user, Cap.TRAINING_VIEW)


def manages_training(user: User) -> bool:
    """Whether the user may arrange classes, record attendance and close classes."""
    return has_cap(user, Cap.TRAINING_VIEW) and has_cap(user, Cap.TRAINING_MANAGE)


def _require(user: User) -> None:
    if not sees_training(user):
        raise Http404(MSG_NOT_FOUND)


# ---------------------------------------------------------------- programs and classes


def program_years(*, user: User, today: dt.date) -> list[int]:
    """Years with a program, newest first, always including ``today``'s year."""
    _require(user)
    years = set(TrainingProgram.objects.values_list("year", flat=True).distinct())
    return sorted(years | {today.year}, reverse=True)


def programs_of_year(*, user: User, year: int) -> list[TrainingProgram]:
    """The year's plan: programs with their classes, each class with its enrolled count (two queries)."""
    _require(user)
    classes = TrainingClass.objects.annotate(
        enrolled=Count("enrollments", filter=~Q(enrollments__status=EnrollmentStatus.WITHDRAWN))
    ).order_by("start_date", "id")
    return list(
        TrainingProgram.objects.filter(year=year)
        .prefetch_related(Prefetch("classes", queryset=classes))
        .order_by("id")
    )


def program_get(*, user: User, program_id: int) -> TrainingProgram:
    """One program, or 404."""
    _require(user)
    found = TrainingProgram.objects.filter(pk=program_id).first()
    if found is None:
        raise Http404(MSG_NOT_FOUND)
    return found


def class_get(*, user: User, class_id: int) -> TrainingClass:
    """One class with its program, or 404."""
    _require(user)
    found = TrainingClass.objects.select_related("program").filter(pk=class_id).first()
    if found is None:
        raise Http404(MSG_NOT_FOUND)
    return found


def class_roster(*, user: User, training_class: TrainingClass) -> QuerySet[Enrollment]:
    """The class's trainees in the user's scope, in enrollment order (paginate in the database)."""
    _require(user)
    return (
        Enrollment.objects.filter(training_class=training_class, cadre__in=cadres_for(user))
        .select_related("cadre", "unit")
        .order_by("id")
    )


def enrollment_get(*, user: User, enrollment_id: int) -> Enrollment:
    """One trainee's enrollment of a cadre in scope, or 404."""
    _require(user)
    found = (
        Enrollment.objects.filter(pk=enrollment_id, cadre__in=cadres_for(user))
        .select_related("cadre", "unit", "training_class", "training_class__program")
        .first()
    )
    if found is None:
        raise Http404(MSG_NOT_FOUND)
    return found


def classes_to_close(*, user: User, on: dt.date) -> QuerySet[TrainingClass]:
    """Open classes whose last day has passed: their results are to be recorded (managers only)."""
    if not manages_training(user):
        return TrainingClass.objects.none()
    return (
        TrainingClass.objects.filter(status=ClassStatus.OPEN, end_date__lt=on)
        .select_related("program")
        .order_by("end_date", "id")
    )


def cadre_in_scope(*, user: User, cadre_id: int) -> Cadre:
    """A cadre in the user's scope (with the unit), or 404."""
    _require(user)
    found = cadres_for(user).select_related("unit").filter(pk=cadre_id).first()
    if found is None:
        raise Http404(MSG_NOT_FOUND)
    return found


def cadre_record(*, user: User, cadre_id: int) -> list[Enrollment]:
    """A cadre's training record (培训档案): every class, newest first; 404 outside scope."""
    _require(user)
    if not cadres_for(user).filter(pk=cadre_id).exists():
        raise Http404(MSG_NOT_FOUND)
    return list(
        Enrollment.objects.filter(cadre_id=cadre_id)
        .select_related("training_class", "training_class__program")
        .order_by("-training_class__start_date", "-id")
    )


# ---------------------------------------------------------------- hours against TRN-01/02


@dataclass(frozen=True)
class HoursRow:
    """One cadre's training in a year and in the five years to the check day, with the quota's verdict."""

    cadre: Cadre
    level: rules.TrainingLevel
    year_days: int
    year_hours: Fraction
    five_days: int
    five_hours: Fraction
    online_hours: Fraction
    shortfall: str

    @property
    def short(self) -> bool:
        """Whether the cadre misses the quota of their level."""
        return bool(self.shortfall)

    @property
    def year_hours_text(self) -> str:
        """The year's hours as written (24, 24.5, 24.33)."""
        return rules.hours_text(self.year_hours)

    @property
    def five_hours_text(self) -> str:
        """The five years' hours as written."""
        return rules.hours_text(self.five_hours)

    @property
    def online_hours_text(self) -> str:
        """The year's online hours as written."""
        return rules.hours_text(self.online_hours)


def check_day(year: int, today: dt.date) -> dt.date:
    """The day a year is checked on: today for the current year, its last day for a past one."""
    return min(today, dt.date(year, 12, 31))


def _spans(
    cadre_ids: Iterable[int], first: dt.date, last: dt.date
) -> tuple[dict[int, list[rules.ClassSpan]], dict[int, list[rules.ClassSpan]]]:
    """Completed classes overlapping [first, last] per cadre: 脱产 spans and 网络 spans (one query)."""
    off: dict[int, list[rules.ClassSpan]] = defaultdict(list)
    online: dict[int, list[rules.ClassSpan]] = defaultdict(list)
    rows = Enrollment.objects.filter(
        cadre_id__in=list(cadre_ids),
        status=EnrollmentStatus.COMPLETED,
        training_class__end_date__gte=first,
        training_class__start_date__lte=last,
        training_class__program__mode__in=[Mode.OFF_THE_JOB, Mode.ONLINE],
    ).values_list(
        "cadre_id",
        "training_class__start_date",
        "training_class__end_date",
        "hours_credited",
        "training_class__program__mode",
    )
    for cadre_id, start, end, hours, mode in rows:
        span = rules.ClassSpan(start, end, Fraction(hours))
        (off if mode == Mode.OFF_THE_JOB else online)[cadre_id].append(span)
    return off, online


def hours_rows(cadres: Sequence[Cadre], *, year: int, today: dt.date) -> list[HoursRow]:
    """Each cadre's hours in ``year`` and in the five years to the check day (one query for all)."""
    on = check_day(year, today)
    five_first, _ = rules.five_year_window(on)
    year_first, year_last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    off, online = _spans((c.pk for c in cadres), min(five_first, year_first), max(on, year_last))
    out: list[HoursRow] = []
    for cadre in cadres:
        level = rules.training_level(cadre.rank)
        spans = off.get(cadre.pk, [])
        in_year = rules.credit_within(spans, year_first, year_last)
        in_five = rules.credit_within(spans, five_first, on)
        web = rules.credit_within(online.get(cadre.pk, []), year_first, year_last)
        verdict = (
            rules.check_county_quota(spans, on)
            if level is rules.TrainingLevel.COUNTY
            else rules.check_section_quota(spans, year)
        )
        out.append(
            HoursRow(
                cadre=cadre,
                level=level,
                year_days=in_year.days,
                year_hours=in_year.hours,
                five_days=in_five.days,
                five_hours=in_five.hours,
                online_hours=web.hours,
                shortfall="" if verdict.ok else verdict.reasons[0].message,
            )
        )
    return out


def _roster(user: User, unit_id: int | None, rank: str) -> QuerySet[Cadre]:
    """Serving cadres in scope, filtered by a unit's subtree and a rank, in name order."""
    qs = cadres_for(user).filter(status=CadreStatus.SERVING)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit is not None else qs.none()
    if rank in Rank.values:
        qs = qs.filter(rank=rank)
    return qs.select_related("unit").order_by("name_pinyin", "id")


def hours_roster(
    *,
    user: User,
    year: int,
    today: dt.date,
    unit_id: int | None = None,
    rank: str = "",
    short_only: bool = False,
) -> QuerySet[Cadre]:
    """Serving cadres in scope for the hours page (paginate in the database, then ``hours_rows``).

    ``short_only`` keeps those missing their quota: the quota needs each class prorated by the
    rules, so it is computed for the whole filtered roster in two queries (ids, spans) and the
    page is then read by id in the database.
    """
    _require(user)
    qs = _roster(user, unit_id, rank)
    if not short_only:
        return qs
    everyone = list(qs.select_related(None).only("id", "rank", "name"))
    short_ids = [row.cadre.pk for row in hours_rows(everyone, year=year, today=today) if row.short]
    return qs.filter(pk__in=short_ids)


def online_required(on: dt.date) -> Fraction:
    """TRN-05: the county's yearly online hours in force on ``on``."""
    return policy_value(ONLINE_KEY, on).value


# ---------------------------------------------------------------- the county's cycle (TRN-07)


def cycle_years(on: dt.date) -> int:
    """The county's training cycle in years (``training.cycle_years``) in force on ``on``."""
    return int(policy_value(CYCLE_KEY, on).value)


def _trained_in(first: dt.date, last: dt.date) -> Exists:
    return Exists(
        Enrollment.objects.filter(
            cadre_id=OuterRef("pk"),
            status=EnrollmentStatus.COMPLETED,
            training_class__end_date__gte=first,
            training_class__end_date__lte=last,
        )
    )


@dataclass(frozen=True)
class Coverage:
    """The county's goal on a day: in-service cadres in scope, those trained within the cycle, the share."""

    on: dt.date
    cycle_years: int
    first: dt.date
    total: int
    trained: int

    @property
    def share(self) -> Fraction:
        """Trained ÷ total (0 with nobody)."""
        return rules.coverage_share(self.trained, self.total)

    @property
    def percent(self) -> str:
        """The share as a percentage with one decimal."""
        return f"{float(self.share * 100):.1f}%"

    @property
    def untrained(self) -> int:
        """How many are not yet trained within the cycle."""
        return self.total - self.trained


def coverage(*, user: User, on: dt.date, unit_id: int | None = None, rank: str = "") -> Coverage:
    """TRN-07 for the user's scope (and filters): one query for both counts (plus the policy value)."""
    _require(user)
    years = cycle_years(on)
    first, last = rules.cycle_window(on, years)
    counts = (
        _roster(user, unit_id, rank)
        .order_by()
        .annotate(trained=_trained_in(first, last))
        .aggregate(total=Count("id"), done=Count("id", filter=Q(trained=True)))
    )
    return Coverage(on=on, cycle_years=years, first=first, total=counts["total"], trained=counts["done"])


def not_trained(*, user: User, on: dt.date, unit_id: int | None = None, rank: str = "") -> QuerySet[Cadre]:
    """Serving cadres in scope not trained within the cycle ending on ``on``, with their last class's end.

    Paginate in the database; ``last_trained`` is ``None`` for one never trained.
    """
    _require(user)
    first, last = rules.cycle_window(on, cycle_years(on))
    latest = (
        Enrollment.objects.filter(cadre_id=OuterRef("pk"), status=EnrollmentStatus.COMPLETED)
        .values("cadre_id")
        .annotate(latest=Max("training_class__end_date"))
        .values("latest")
    )
    return (
        _roster(user, unit_id, rank)
        .annotate(trained=_trained_in(first, last))
        .filter(trained=False)
        .annotate(last_trained=Subquery(latest))
    )


# ---------------------------------------------------------------- appointment training (TRN-03/06)


@dataclass(frozen=True)
class AppointmentDue:
    """A promoted cadre without appointment training: promoted on, due on, overdue or not."""

    cadre: Cadre
    rank: str
    promoted_on: dt.date
    due_on: dt.date
    overdue: bool

    @property
    def rank_label(self) -> str:
        """The rank promoted to, in words."""
        return Rank(self.rank).label


def appointment_due(*, user: User, on: dt.date) -> list[AppointmentDue]:
    """Promotions to 正科级/副科级 in the look-back whose appointment training is missing, soonest due first.

    A promotion: a current rank record of a leading rank whose previous record (if any) was lower.
    Appointment training counts when a 任职培训 class was completed ending no earlier than a year
    before the promotion (TRN-03: trained before taking office, or within the year after; a class
    completed after the due day closes the item too, late). Two queries: the promotions, and the
    appointment classes their cadres completed. The list is short (promotions of two years), so
    it is not paginated.
    """
    _require(user)
    previous = (
        RankRecord.objects.filter(cadre_id=OuterRef("cadre_id"), start_date__lt=OuterRef("start_date"))
        .order_by("-start_date", "-id")
        .values("rank")[:1]
    )
    lower_than_section = [r for r in Rank.values if r != Rank.SECTION]
    lower_than_deputy = [r for r in Rank.values if r not in LEADING_RANKS]
    records = list(
        RankRecord.objects.filter(
            end_date__isnull=True,
            rank__in=LEADING_RANKS,
            start_date__gte=add_age(on, -APPOINTMENT_LOOKBACK_YEARS),
            start_date__lte=on,
            cadre__in=cadres_for(user).filter(status=CadreStatus.SERVING),
        )
        .annotate(previous_rank=Subquery(previous))
        .filter(
            Q(previous_rank__isnull=True)
            | Q(rank=Rank.SECTION, previous_rank__in=lower_than_section)
            | Q(rank=Rank.DEPUTY_SECTION, previous_rank__in=lower_than_deputy)
        )
        .select_related("cadre", "cadre__unit")
        .order_by("start_date", "id")
    )
    trained: dict[int, list[dt.date]] = defaultdict(list)
    for cadre_id, end in Enrollment.objects.filter(
        cadre_id__in=[r.cadre_id for r in records],
        status=EnrollmentStatus.COMPLETED,
        training_class__program__purpose=Purpose.APPOINTMENT,
    ).values_list("cadre_id", "training_class__end_date"):
        trained[cadre_id].append(end)
    out: list[AppointmentDue] = []
    for record in records:
        earliest = add_age(record.start_date, -rules.APPOINTMENT_YEARS)
        done = next((end for end in trained.get(record.cadre_id, []) if end >= earliest), None)
        state = rules.appointment_training_state(record.start_date, done, on)
        if state is rules.AppointmentState.DONE:
            continue
        out.append(
            AppointmentDue(
                cadre=record.cadre,
                rank=record.rank,
                promoted_on=record.start_date,
                due_on=rules.appointment_training_due(record.start_date),
                overdue=state is rules.AppointmentState.OVERDUE,
            )
        )
    return out
