"""The whole county in a fixed order: structure, careers, cadre rows, then family, 简历 and documents."""

from __future__ import annotations

import datetime as dt

from ganbu.registry.choices import (
    CadreStatus,
    Education,
    PoliticalStatus,
    PostKind,
)

from .. import data
from .records import _Records
from .rows import (
    BASE_CADRES,
    DemoData,
    DocumentRow,
    FamilyRow,
    ResumeRow,
)
from .tables import (
    _GRADUATION,
    _ISSUER_ORDER,
    _ISSUERS,
    _allocate,
    _month,
    _Person,
    _plain_strings,
    _span,
    _years,
)


class _Generator(_Records):
    """Builds a :class:`DemoData`; every random choice goes through ``self.rng``, in a fixed order."""

    # ------------------------------------------------------------ the whole county

    def build(self) -> DemoData:
        """Generate the whole county in a fixed order and return it."""
        out = self.out
        seats = self.build_structure()
        total = max(1, round(BASE_CADRES * self.scale))
        leaders = sum(h for _, _, h in seats)
        inactive = round(total * 0.05)
        staff_units = [u for top in self.top_units for u in self.internal_of[top]]
        staff_total = max(len(staff_units), total - leaders - inactive)
        staff = _allocate(staff_total, [self.weight[u] for u in staff_units])
        staff_of = dict(zip(staff_units, staff, strict=True))
        # Current holders in tree order: a unit's leaders, then each office's leaders and staff.
        slots: list[tuple[int, str]] = []
        by_unit: dict[int, list[tuple[int, str, int]]] = {}
        for post, kind, holders in seats:
            by_unit.setdefault(out.posts[post].unit, []).append((post, kind, holders))
        for unit in range(len(out.units)):
            for post, kind, holders in by_unit.get(unit, []):
                slots += [(post, kind)] * holders
            if unit in staff_of:
                slots += [(self.staff_post[unit], PostKind.STAFF)] * staff_of[unit]
        for post, kind in slots:
            p = self._person(kind)
            p.home = self.top_of[out.posts[post].unit]
            self._education(p, self.today)
            self._plan_career(p, post, self.today)
        # Histories only after every current post is reserved, so no history overlaps a holder.
        for p in self.people:
            self._place_history(p)
        self._leavers(inactive)
        for p in self.people:
            self._record_career(p)
            p.row = self._cadre_row(p)
            out.cadres.append(p.row)
        forestry = [
            p
            for p in self.people
            if p.status == CadreStatus.SERVING
            and p.kind == PostKind.STAFF
            and out.cadres[p.index].unit in self.forestry_units
        ]
        out.self_service_cadre = forestry[0].index
        self._reserve()
        sanctioned = self._rewards_and_sanctions()
        self._assessments(sanctioned)
        self._family()
        self._resume()
        self._finish_documents()
        _plain_strings(out)
        return out

    def _family(self) -> None:
        """Spouse, children and parents; a few relatives are demo cadres in the same unit (回避 cases)."""
        rng = self.rng
        out = self.out
        spouse_of: dict[int, int] = {}
        parent_of: dict[int, int] = {}  # child → parent
        serving = [p for p in self.people if p.status == CadreStatus.SERVING]
        by_top: dict[int, list[_Person]] = {}
        for p in serving:
            by_top.setdefault(self.top_of[out.cadres[p.index].unit], []).append(p)
        tops = [t for t in self.top_units if len(by_top.get(t, [])) >= 6]
        rng.shuffle(tops)
        for top in tops:
            people = by_top[top]
            if len(spouse_of) < 16:
                men = [
                    p
                    for p in people
                    if p.gender == "M" and p.index not in spouse_of and _span(p.birth, self.today) >= 27
                ]
                women = [p for p in people if p.gender == "F" and p.index not in spouse_of]
                for m in men:
                    w = next(
                        (
                            w
                            for w in women
                            if abs((w.birth - m.birth).days) < 5 * 365 and w.index not in spouse_of
                        ),
                        None,
                    )
                    if w is not None:
                        spouse_of[m.index] = w.index
                        spouse_of[w.index] = m.index
                        break
            elif len(parent_of) < 3:
                for parent in people:
                    if (
                        parent.gender != "M"
                        or parent.index in spouse_of
                        or parent.index in parent_of.values()
                    ):
                        continue
                    child = next(
                        (
                            c
                            for c in people
                            if c.surname == parent.surname
                            and c.index not in parent_of
                            and c.index not in spouse_of
                            and 24 <= _span(parent.birth, c.birth) <= 36
                        ),
                        None,
                    )
                    if child is not None:
                        parent_of[child.index] = parent.index
                        break
        children_of: dict[int, list[int]] = {}
        for child_index, parent_index in parent_of.items():
            children_of.setdefault(parent_index, []).append(child_index)
        for p in self.people:
            self._family_of(p, spouse_of.get(p.index), parent_of.get(p.index), children_of.get(p.index, []))

    def _relative(self, cadre: int, relation: str, other: _Person, order: int) -> FamilyRow:
        """A family row for a relative who is a demo cadre (linked for avoidance checks)."""
        row = self.out.cadres[other.index]
        status = row.democratic_party or PoliticalStatus(row.political_status).label
        work = f"示例县{row.current_post_text.removeprefix('县')}"
        return FamilyRow(
            cadre=cadre,
            relation=relation,
            name=other.name,
            birth_date=other.birth,
            political_status=status,
            work_unit_post=work,
            related_cadre=other.index,
            sort_order=order,
        )

    def _family_of(self, p: _Person, spouse: int | None, parent: int | None, children: list[int]) -> None:
        """Family rows of one cadre: spouse, children, parents (or the related cadres)."""
        rng = self.rng
        out = self.out
        age = _span(p.birth, self.today)
        rows: list[FamilyRow] = []
        spouse_surname: str | None = None
        married = spouse is not None or rng.random() < (0.9 if age >= 30 else 0.45 if age >= 25 else 0.1)
        if spouse is not None:
            other = self.people[spouse]
            rows.append(self._relative(p.index, "妻子" if p.gender == "M" else "丈夫", other, len(rows) + 1))
            spouse_surname = other.surname
        elif married:
            gender = "F" if p.gender == "M" else "M"
            spouse_surname = self._surname()
            born = _years(p.birth, rng.uniform(-3.5, 3.5) + (1.5 if gender == "F" else -1.5))
            rows.append(
                FamilyRow(
                    cadre=p.index,
                    relation="妻子" if gender == "F" else "丈夫",
                    name=spouse_surname + self._given(gender),
                    birth_date=born,
                    political_status="中共党员" if rng.random() < 0.4 else "群众",
                    work_unit_post="退休" if _span(born, self.today) > 58 else rng.choice(data.SPOUSE_WORK),
                    related_cadre=None,
                    sort_order=len(rows) + 1,
                )
            )
        father_surname = p.surname if p.gender == "M" else (spouse_surname or self._surname())
        for child in children:
            rows.append(
                self._relative(
                    p.index,
                    "儿子" if self.people[child].gender == "M" else "女儿",
                    self.people[child],
                    len(rows) + 1,
                )
            )
        if married and not children:
            born = _years(p.birth, rng.uniform(23, 33))
            for n in range(rng.choices((0, 1, 2), (10, 55, 35))[0]):
                if n:
                    born = _years(born, rng.uniform(1.5, 6.0))
                if born > self.today - dt.timedelta(days=60):
                    break
                gender = "M" if rng.random() < 0.52 else "F"
                child_age = _span(born, self.today)
                if child_age < 6:
                    work, status = "学龄前儿童", ""
                elif child_age < 18:
                    work, status = "示例县实验中学学生" if child_age >= 12 else "示例县实验小学学生", ""
                elif child_age < 23:
                    work, status = f"{rng.choice(data.UNIVERSITIES)}学生", "共青团员"
                else:
                    work, status = rng.choice(data.CHILD_WORK), "中共党员" if rng.random() < 0.3 else "群众"
                rows.append(
                    FamilyRow(
                        cadre=p.index,
                        relation="儿子" if gender == "M" else "女儿",
                        name=father_surname + self._given(gender),
                        birth_date=born,
                        political_status=status,
                        work_unit_post=work,
                        related_cadre=None,
                        sort_order=len(rows) + 1,
                    )
                )
        if parent is not None:
            rows.append(self._relative(p.index, "父亲", self.people[parent], len(rows) + 1))
        for relation, gender, gap in (("父亲", "M", (24, 33)), ("母亲", "F", (22, 31))):
            if parent is not None:
                continue  # the father is a demo cadre listed above; his spouse is on his own record
            born = _years(p.birth, -rng.uniform(*gap))
            if _span(born, self.today) > 88 or rng.random() > 0.75:
                continue
            surname = p.surname if relation == "父亲" else self._surname()
            rows.append(
                FamilyRow(
                    cadre=p.index,
                    relation=relation,
                    name=surname + self._given(gender),
                    birth_date=born,
                    political_status="中共党员" if rng.random() < 0.3 else "群众",
                    work_unit_post=rng.choice(data.PARENT_WORK),
                    related_cadre=None,
                    sort_order=len(rows) + 1,
                )
            )
        out.family.extend(rows)

    def _resume(self) -> None:
        """简历: full-time study, then every post in order (with in-service study noted), then leaving."""
        out = self.out
        for p in self.people:
            lines: list[tuple[dt.date, dt.date | None, str]] = []
            grad = p.graduated or p.work_start
            years = _GRADUATION[Education(p.ft_education)][1]
            if p.ft_education == Education.POSTGRADUATE:
                lines.append(
                    (dt.date(grad.year - 7, 9, 1), dt.date(grad.year - 3, 7, 1), f"{p.undergrad_school}学习")
                )
                lines.append((dt.date(grad.year - 3, 9, 1), grad, f"{p.ft_school}硕士研究生"))
            elif p.ft_education != Education.HIGH_SCHOOL:
                lines.append((dt.date(grad.year - years, 9, 1), grad, f"{p.ft_school}学习"))
            ip_noted = False
            for i, step in enumerate(p.steps):
                end = p.steps[i + 1].start if i + 1 < len(p.steps) else p.exit_on
                post = out.posts[step.post]
                text = f"{out.units[post.unit].name}{post.title}"
                if (
                    p.ip_period
                    and not ip_noted
                    and step.start <= p.ip_period[0]
                    and (end is None or p.ip_period[0] < end)
                ):
                    ps, pe = p.ip_period
                    level = (
                        "研究生"
                        if p.ip_education == Education.POSTGRADUATE
                        else Education(p.ip_education).label
                    )
                    text += f"（其间：{_month(ps)}--{_month(pe)}在{p.ip_school}在职{level}学习）"
                    ip_noted = True
                lines.append((step.start, end, text))
            if p.exit_on is not None:
                lines.append((p.exit_on, None, "离岗退养" if p.status == CadreStatus.EARLY_EXIT else "退休"))
            for n, (start, end, text) in enumerate(lines, start=1):
                out.resume.append(
                    ResumeRow(cadre=p.index, start_date=start, end_date=end, text=text[:300], sort_order=n)
                )

    def _finish_documents(self) -> None:
        """Number and title the documents that carry items, in date order, and link their items."""
        out = self.out
        docs = [d for pool in self.pools.values() for year in pool.values() for d in year if d.items]
        docs.sort(key=lambda d: (d.date, _ISSUER_ORDER[d.issuer], d.purpose, d.seq))
        numbers: dict[tuple[str, int], int] = {}
        for index, doc in enumerate(docs):
            body, prefix = _ISSUERS[doc.issuer]
            if doc.issuer == "hr" and doc.date.year < 2010:
                body, prefix = "示例县人事局", "示人"  # before the 2010 merger into 人力资源和社会保障局
            key = (prefix, doc.date.year)
            numbers[key] = numbers.get(key, 0) + 1
            names = list(dict.fromkeys(self.people[out.items[i].cadre].name for i in doc.items))
            who = f"{names[0]}同志" if len(names) == 1 else f"{names[0]}等{len(names)}名同志"
            title = {
                "recruit": f"关于录用{who}为机关事业单位工作人员的通知",
                "retire": f"关于{who}退休的通知",
                "early_exit": f"关于{who}离岗退养的通知",
            }.get(doc.purpose, f"关于{who}职务任免的通知")
            out.documents.append(
                DocumentRow(
                    number=f"{prefix}〔{doc.date.year}〕{numbers[key]}号",
                    title=title,
                    issued_on=doc.date,
                    issuing_body=body,
                )
            )
            doc.index = index
            for order, item in enumerate(doc.items, start=1):
                out.items[item].document = index
                out.items[item].sort_order = order
