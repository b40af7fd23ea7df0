"""The generator's third layer: the cadre row, leavers, reserve pool, rewards, sanctions, assessments."""

from __future__ import annotations

import datetime as dt

from ganbu.registry.choices import (
    AssessmentGrade,
    CadreCategory,
    CadreStatus,
    Education,
    ManagementAuthority,
    PoliticalStatus,
    PostKind,
    ReserveLevel,
    RewardSanctionKind,
    UnitKind,
)
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.rules.sanctions import SanctionType, impact_period

from .. import data
from .careers import _Careers
from .rows import (
    FIRST_ASSESSMENT_YEAR,
    LAST_ASSESSMENT_YEAR,
    AssessmentRow,
    CadreRow,
    ReserveRow,
    RewardSanctionRow,
)
from .tables import (
    _AUTHORITIES,
    _CATEGORIES,
    _EDU_LEVELS,
    _LEADER_KINDS,
    _MIDDLE_KINDS,
    _anniversary,
    _Person,
    _span,
    _years,
)


class _Records(_Careers):
    """The cadre rows, the leavers, the reserve pool, rewards, sanctions and assessments."""

    # ------------------------------------------------------------ the cadre row

    def _cadre_row(self, p: _Person) -> CadreRow:
        """The cadre's stored row: personal facts drawn now, derived fields from the career."""
        rng = self.rng
        last = p.steps[-1]
        post = self.out.posts[last.post]
        unit = post.unit
        top = self.top_of[unit]
        age = _span(p.birth, self.today)
        serving = p.status == CadreStatus.SERVING
        if rng.random() < 0.78:
            native, region = data.LOCAL_NATIVE_PLACE, data.COUNTY_REGION_CODE
        else:
            place, region = rng.choice(data.OTHER_PLACES)
            native = data.PROVINCE + place
        birthplace = native
        if native != data.LOCAL_NATIVE_PLACE and rng.random() < 0.1:
            birthplace, region = data.LOCAL_NATIVE_PLACE, data.COUNTY_REGION_CODE
        ethnicity = self._pick(data.ETHNICITIES)
        status, join, party = self._politics(p, age)
        ft_degree, ft_school = self._school(p)
        ip_degree = ""
        self._in_service(p)
        educations = [e for e in (p.ft_education, p.ip_education) if e]
        highest = min(educations, key=_EDU_LEVELS.index)
        title = ""
        kind_of_top = self.top_kind[top]
        if kind_of_top == UnitKind.INSTITUTION and rng.random() < 0.45:
            title = rng.choice(data.PROFESSIONAL_TITLES["institution"])
        elif unit in self.forestry_units and rng.random() < 0.4:
            title = rng.choice(data.PROFESSIONAL_TITLES["forestry"])
        elif kind_of_top == UnitKind.ENTERPRISE and rng.random() < 0.3:
            title = rng.choice(data.PROFESSIONAL_TITLES["enterprise"])
        category = _CATEGORIES.get(kind_of_top, CadreCategory.PARTY_GOVERNMENT)
        authority = _AUTHORITIES.get(post.kind, ManagementAuthority.ORG_DEPARTMENT)
        if p.name not in self.pinyin:
            self.pinyin[p.name] = (name_pinyin(p.name), name_initials(p.name))
        full, initials = self.pinyin[p.name]
        rank = next(r.rank for r in reversed(self.out.rank_records) if r.cadre == p.index)
        return CadreRow(
            name=p.name,
            name_pinyin=full,
            name_initials=initials,
            gender=p.gender,
            birth_date=p.birth,
            ethnicity=ethnicity,
            native_place=native,
            birthplace=birthplace,
            political_status=status,
            party_join_date=join,
            democratic_party=party,
            work_start_date=p.work_start,
            health="健康",
            professional_title=title,
            specialty="",
            ft_education=p.ft_education,
            ft_degree=ft_degree,
            ft_school=ft_school,
            ip_education=p.ip_education,
            ip_degree=ip_degree,
            ip_school=p.ip_school,
            highest_education=highest,
            id_number=self._id_number(region, p.birth, p.gender),
            unit=unit,
            status=p.status,
            category=category,
            management_authority=authority,
            rank=rank,
            is_leadership=serving and post.is_leadership,
            current_post_text=f"{self.out.units[unit].name}{post.title}" if serving else "",
            is_reserve=False,
        )

    def _politics(self, p: _Person, age: float) -> tuple[str, dt.date | None, str]:
        """Political status, party join date (at 18 or later) and democratic party."""
        rng = self.rng
        r = rng.random()
        leader = p.kind != PostKind.STAFF
        if leader:
            table: tuple[tuple[str, float], ...] = (
                (PoliticalStatus.CPC, 0.90),
                (PoliticalStatus.DEMOCRATIC_PARTY, 0.05),
                (PoliticalStatus.NON_PARTY, 0.02),
                (PoliticalStatus.MASSES, 0.03),
            )
        else:
            table = (
                (PoliticalStatus.CPC, 0.62),
                (PoliticalStatus.CPC_PROBATIONARY, 0.02),
                (PoliticalStatus.LEAGUE, 0.10 if age <= 28 else 0.0),
                (PoliticalStatus.DEMOCRATIC_PARTY, 0.02),
                (PoliticalStatus.NON_PARTY, 0.01),
                (PoliticalStatus.MASSES, 0.20),
            )
        total = sum(w for _, w in table)
        acc = 0.0
        status: str = PoliticalStatus.MASSES
        for value, w in table:
            acc += w / total
            if r < acc:
                status = value
                break
        adult = _anniversary(p.birth, 18)
        if status == PoliticalStatus.CPC:
            latest = min(_years(self.today, -1.1), _years(p.birth, 45))
            if latest <= adult:
                status = PoliticalStatus.LEAGUE if age <= 28 else PoliticalStatus.MASSES
                return status, None, ""
            span = _span(adult, latest)
            join = _years(adult, rng.triangular(0.2, span, min(span, 4.5)))
            party = rng.choice(data.DEMOCRATIC_PARTIES) if rng.random() < 0.005 else ""
            return status, max(join, adult + dt.timedelta(days=1)), party
        if status == PoliticalStatus.CPC_PROBATIONARY:
            return status, max(adult, self.today - dt.timedelta(days=rng.randrange(30, 330))), ""
        if status == PoliticalStatus.DEMOCRATIC_PARTY:
            return status, None, rng.choice(data.DEMOCRATIC_PARTIES)
        return status, None, ""

    def _school(self, p: _Person) -> tuple[str, str]:
        """Degree and school-with-major of the full-time education (also noted on the person)."""
        rng = self.rng
        major, discipline = rng.choice(data.MAJORS)
        level = p.ft_education
        if level == Education.POSTGRADUATE:
            p.undergrad_school = f"{rng.choice(data.UNIVERSITIES)}{major}专业"
            p.ft_school = f"{rng.choice(data.UNIVERSITIES[:8])}{major}专业"
            return f"{discipline}硕士", p.ft_school
        if level == Education.UNIVERSITY:
            p.ft_school = f"{rng.choice(data.UNIVERSITIES)}{major}专业"
            return (f"{discipline}学士" if rng.random() < 0.92 else ""), p.ft_school
        if level == Education.COLLEGE:
            p.ft_school = f"{rng.choice(data.COLLEGES)}{major}专业"
            return "", p.ft_school
        if level == Education.TECHNICAL:
            school, speciality = rng.choice(data.TECHNICAL_SCHOOLS)
            p.ft_school = f"{school}{speciality}专业"
            return "", p.ft_school
        p.ft_school = rng.choice(data.HIGH_SCHOOLS)
        return "", p.ft_school

    def _in_service(self, p: _Person) -> None:
        """In-service education (在职教育) for some cadres who studied less full-time."""
        rng = self.rng
        level = p.ft_education
        end = p.exit_on or self.today
        years_worked = _span(p.work_start, end)
        if years_worked < 4:
            return
        leader = p.kind != PostKind.STAFF
        if level in (Education.COLLEGE, Education.TECHNICAL, Education.HIGH_SCHOOL):
            if rng.random() > (0.85 if leader else 0.5):
                return
            target = (
                Education.UNIVERSITY
                if (level == Education.COLLEGE or rng.random() < 0.6)
                else Education.COLLEGE
            )
        elif level == Education.UNIVERSITY and leader and rng.random() < 0.12:
            target = Education.POSTGRADUATE
        else:
            return
        p.ip_education = target
        p.ip_school = rng.choice(data.IN_SERVICE[target])
        start = _years(p.work_start, rng.uniform(1.5, max(1.6, years_worked - 3)))
        p.ip_period = (
            dt.date(start.year, 9, 1),
            dt.date(start.year + (3 if target != Education.COLLEGE else 2), 7, 1),
        )
        if p.ip_period[1] > end:
            p.ip_period = None
            p.ip_education = ""
            p.ip_school = ""

    def _leavers(self, count: int) -> None:
        """Cadres who have left: 离岗退养 at the county's age threshold, or retired on reaching age."""
        rng = self.rng
        tops = self.top_units
        weights = [data.TOWN_WEIGHT if self.top_kind[t] == UnitKind.TOWN else 2.0 for t in tops]
        early = round(count * 0.35)
        for n in range(count):
            if n < early:
                kind: str = PostKind.HEAD if rng.random() < 0.3 else PostKind.DEPUTY
                gender = "F" if rng.random() < 0.2 else "M"
                threshold = 50 if gender == "F" else 55
                exit_target = _years(self.today, -rng.uniform(0.1, 4.8))
                birth = _years(exit_target, -threshold)
                status = CadreStatus.EARLY_EXIT
            else:
                kind = self._pick(
                    (
                        (PostKind.STAFF, 55),
                        (PostKind.MIDDLE_HEAD, 15),
                        (PostKind.MIDDLE_DEPUTY, 10),
                        (PostKind.DEPUTY, 10),
                        (PostKind.NON_LEADERSHIP, 10),
                    )
                )
                gender = "F" if rng.random() < 0.3 else "M"
                threshold = 55 if gender == "F" else 60
                exit_target = _years(self.today, -rng.uniform(0.1, 0.9))
                birth = _years(exit_target, -threshold)
                status = CadreStatus.RETIRED
            p = self._person(kind, gender=gender, birth=birth)
            p.status = status
            reached = _anniversary(birth, threshold)
            doc = self._doc(
                "org",
                "early_exit" if status == CadreStatus.EARLY_EXIT else "retire",
                reached + dt.timedelta(days=20),
                reached,
                min(self.today, reached + dt.timedelta(days=75)),
            )
            p.exit_on = doc.date
            p.home = rng.choices(tops, weights)[0]
            self._education(p, _years(p.exit_on, -2))
            self._plan_career(p, None, p.exit_on)
            self._place_history(p)

    def _reserve(self) -> None:
        """About 150 current reserve cadres (scaled), and ended memberships of those since promoted."""
        rng = self.rng
        out = self.out
        serving = [p for p in self.people if p.status == CadreStatus.SERVING]

        def age(p: _Person) -> float:
            """Age in years on the generator's ``today``."""
            return _span(p.birth, self.today)

        pools = [
            (ReserveLevel.SECTION, 0.25, [p for p in serving if p.kind == PostKind.DEPUTY and age(p) <= 48]),
            (
                ReserveLevel.DEPUTY_SECTION,
                0.5,
                [
                    p
                    for p in serving
                    if (p.kind in _MIDDLE_KINDS and age(p) <= 42)
                    or (
                        p.kind == PostKind.STAFF
                        and 28 <= age(p) <= 38
                        and p.ft_education in (Education.UNIVERSITY, Education.POSTGRADUATE)
                    )
                ],
            ),
            (ReserveLevel.MIDDLE, 0.25, [p for p in serving if p.kind == PostKind.STAFF and age(p) <= 35]),
        ]
        target = round(150 * self.scale)
        chosen: dict[int, bool] = {}
        for level, share, pool in pools:
            pool = [p for p in pool if p.index not in chosen]
            for p in rng.sample(pool, min(len(pool), round(target * share))):
                chosen[p.index] = True
                start = max(_years(p.work_start, 1.0), _years(self.today, -rng.uniform(0.1, 4.0)))
                source = self._pick(data.RESERVE_SOURCES)
                out.reserve.append(
                    ReserveRow(
                        cadre=p.index,
                        level=level,
                        source=source,
                        start_date=min(start, self.today),
                        end_date=None,
                        end_reason="",
                    )
                )
                out.cadres[p.index].is_reserve = True
        # Promoted since 2020 from the pool, and the 2002 women's open selection (seed report).
        for p in serving:
            if p.index in chosen or p.kind not in _LEADER_KINDS:
                continue
            promoted = next((s.start for s in p.steps if s.kind == PostKind.DEPUTY), None)
            if promoted is None:
                continue
            if promoted.year >= 2020 and rng.random() < 0.3:
                start = max(_years(promoted, -rng.uniform(1.0, 3.0)), _years(p.work_start, 1.0))
                out.reserve.append(
                    ReserveRow(
                        cadre=p.index,
                        level=ReserveLevel.DEPUTY_SECTION,
                        source=self._pick(data.RESERVE_SOURCES),
                        start_date=start,
                        end_date=promoted,
                        end_reason="已提拔任用",
                    )
                )
            elif (
                p.gender == "F"
                and 22 <= _span(p.birth, dt.date(2002, 10, 15)) <= 34
                and p.work_start.year < 2002
            ):
                end = promoted if promoted > dt.date(2002, 10, 15) else dt.date(2007, 10, 15)
                out.reserve.append(
                    ReserveRow(
                        cadre=p.index,
                        level=ReserveLevel.DEPUTY_SECTION,
                        source=data.WOMEN_SELECTION_2002,
                        start_date=dt.date(2002, 10, 15),
                        end_date=end,
                        end_reason="已提拔任用" if promoted > dt.date(2002, 10, 15) else "届满出库",
                    )
                )

    def _rewards_and_sanctions(self) -> dict[tuple[int, int], str]:
        """Rewards for about one cadre in ten, sanctions for one in seventy.

        Returns (cadre, year) → sanction name, which caps that year's assessment grade.
        """
        rng = self.rng
        out = self.out
        sanctioned: dict[tuple[int, int], str] = {}
        rewards = [(n, b) for n, b, _ in data.REWARDS]
        reward_w = [w for _, _, w in data.REWARDS]
        sanction_w = [s[3] for s in data.SANCTIONS]
        for p in self.people:
            row = out.cadres[p.index]
            end = p.exit_on or self.today
            earliest = max(p.work_start + dt.timedelta(days=200), dt.date(2012, 1, 1))
            if earliest >= end:
                continue
            if rng.random() < 0.10:
                name, body = rng.choices(rewards, reward_w)[0]
                if name == "三八红旗手" and p.gender != "F":
                    name, body = "先进工作者", "示例县人民政府"
                decided = earliest + dt.timedelta(days=rng.randrange((end - earliest).days))
                out.rewards_sanctions.append(
                    RewardSanctionRow(
                        cadre=p.index,
                        kind=RewardSanctionKind.REWARD,
                        name=name,
                        decided_on=decided,
                        approving_body=body,
                        effective_until=None,
                        reason=f"{decided.year - 1}年度工作成绩突出",
                    )
                )
            if (
                p.status == CadreStatus.SERVING
                and earliest < self.today - dt.timedelta(days=60)
                and rng.random() < 0.015
            ):
                kind, body, party, _ = rng.choices(data.SANCTIONS, sanction_w)[0]
                if party and row.political_status not in (
                    PoliticalStatus.CPC,
                    PoliticalStatus.CPC_PROBATIONARY,
                ):
                    kind, body = SanctionType.WARNING, "示例县监察委员会"
                name = kind.label
                # A third within the last year, so that some are still in effect (影响期) today.
                recent = _years(self.today, -1.0) if rng.random() < 0.35 else dt.date(2019, 1, 1)
                start = min(max(earliest, recent), self.today - dt.timedelta(days=30))
                decided = start + dt.timedelta(days=rng.randrange(max(1, (self.today - start).days - 7)))
                # The services' own rule: the last day of the 影响期, not decision + N months.
                until = impact_period(kind, decided).until
                out.rewards_sanctions.append(
                    RewardSanctionRow(
                        cadre=p.index,
                        kind=RewardSanctionKind.SANCTION,
                        name=name,
                        decided_on=decided,
                        approving_body=body,
                        effective_until=until,
                        reason=rng.choice(data.SANCTION_REASONS),
                        sanction_type=kind.value,
                    )
                )
                sanctioned[(p.index, decided.year)] = name
        return sanctioned

    def _assessments(self, sanctioned: dict[tuple[int, int], str]) -> None:
        """Annual assessments 2021–2025: mostly 称职, about 15% 优秀, a few 基本称职/不称职."""
        rng = self.rng
        out = self.out
        for p in self.people:
            end = p.exit_on or self.today
            streak = 0
            for year in range(FIRST_ASSESSMENT_YEAR, LAST_ASSESSMENT_YEAR + 1):
                if p.work_start.year > year or end.year <= year:
                    streak = 0
                    continue
                note = ""
                sanction = sanctioned.get((p.index, year))
                if p.work_start.year == year:
                    grade, note = AssessmentGrade.UNGRADED, "新录用人员，当年不定等次"
                elif sanction in ("警告", "党内警告"):
                    grade, note = AssessmentGrade.COMPETENT, f"受{sanction}处分，不得确定为优秀等次"
                elif sanction is not None:
                    grade, note = AssessmentGrade.BASIC, f"受{sanction}处分"
                else:
                    r = rng.random()
                    excellent = 0.20 if p.kind != PostKind.STAFF else 0.14
                    if r < excellent:
                        grade = AssessmentGrade.EXCELLENT
                    elif r < 0.972:
                        grade = AssessmentGrade.COMPETENT
                    elif r < 0.995:
                        grade = AssessmentGrade.BASIC
                    else:
                        grade = AssessmentGrade.INCOMPETENT
                out.assessments.append(AssessmentRow(cadre=p.index, year=year, grade=grade, note=note))
                streak = streak + 1 if grade == AssessmentGrade.EXCELLENT else 0
                if streak == 3 and dt.date(year + 1, 3, 15) <= end:
                    # 《公务员奖励规定》: three consecutive 优秀 years earn a third-class merit.
                    out.rewards_sanctions.append(
                        RewardSanctionRow(
                            cadre=p.index,
                            kind=RewardSanctionKind.REWARD,
                            name="记三等功",
                            decided_on=dt.date(year + 1, 3, 15),
                            approving_body="示例县人民政府",
                            effective_until=None,
                            reason=f"{year - 2}—{year}年度连续三年考核优秀",
                        )
                    )
