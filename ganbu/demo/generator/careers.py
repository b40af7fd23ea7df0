"""The generator's second layer: people, their education and careers (tenures, rank records)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

from ganbu.registry.choices import (
    CadreStatus,
    DocumentItemKind,
    PostKind,
)
from ganbu.rules.idcard import check_char

from .. import data
from .rows import (
    RankRecordRow,
    TenureRow,
)
from .structure import _Structure
from .tables import (
    _AGES,
    _EDU_LEVELS,
    _FALLBACK,
    _FEMALE_SHARE,
    _FINAL_MAX_YEARS,
    _GRADUATION,
    _LEADER_KINDS,
    _MIDDLE_KINDS,
    _STEP_ISSUER,
    _anniversary,
    _Person,
    _span,
    _Step,
    _years,
)

# Beyond scale 1, deputy seats drawn free are not given to past careers from this day on.
KEEP_FREE_FROM = dt.date(2024, 1, 1)


class _Careers(_Structure):
    """People and their careers: names, education, the ladder of posts, tenures and rank records."""

    # ------------------------------------------------------------ people

    def _pick(self, weighted: Sequence[tuple[str, float]]) -> str:
        """A value chosen by weight."""
        values, weights = zip(*weighted, strict=True)
        choice: str = self.rng.choices(values, weights)[0]
        return choice

    def _surname(self) -> str:
        """A surname by the weighted 湖南 distribution."""
        return self.surnames[bisect.bisect_right(self.surname_cum, self.rng.random() * self.surname_cum[-1])]

    def _given(self, gender: str) -> str:
        """A given name of one or two characters suited to the gender."""
        chars = data.FEMALE_CHARS if gender == "F" else data.MALE_CHARS
        if self.rng.random() < 0.3:
            return self.rng.choice(chars)
        first = self.rng.choice(data.NEUTRAL_CHARS) if self.rng.random() < 0.3 else self.rng.choice(chars)
        second = self.rng.choice(chars)
        if second == first and gender == "M":  # 叠字 names are common for women, rare for men
            second = self.rng.choice(chars)
        return first + second

    def _id_number(self, region: str, birth: dt.date, gender: str) -> str:
        """A unique GB 11643 number: region, birth date, sequence of the gender's parity, check digit."""
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            if first17 not in self.ids:
                self.ids[first17] = 1
                return first17 + check_char(first17)

    def _person(self, kind: str, *, gender: str | None = None, birth: dt.date | None = None) -> _Person:
        """A new person for a post of ``kind``: gender, birth date (by the kind's age range) and name."""
        rng = self.rng
        if gender is None:
            gender = "F" if rng.random() < _FEMALE_SHARE[kind] else "M"
        if birth is None:
            low, high, mode = _AGES[kind]
            if gender == "F":
                high = min(high, 54.9)
                mode = min(mode, high - 1)
            birth = _years(self.today, -rng.triangular(low, high, mode))
        surname = self._surname()
        person = _Person(
            index=len(self.people),
            kind=kind,
            gender=gender,
            birth=birth,
            surname=surname,
            name=surname + self._given(gender),
        )
        self.people.append(person)
        return person

    def _education(self, p: _Person, horizon: dt.date) -> None:
        """Full-time education, graduation and the work start date, consistent with age."""
        rng = self.rng
        age = _span(p.birth, self.today)
        if age < 30:
            weights = [0.10, 0.68, 0.18, 0.04, 0.0]
        elif age < 40:
            weights = [0.06, 0.52, 0.30, 0.10, 0.02]
        elif age < 50:
            weights = [0.03, 0.35, 0.37, 0.20, 0.05]
        else:
            weights = [0.01, 0.22, 0.37, 0.30, 0.10]
        if p.kind in (*_LEADER_KINDS, *_MIDDLE_KINDS):
            weights = [w * f for w, f in zip(weights, (2.0, 1.4, 1.0, 0.5, 0.2), strict=True)]
        room = _span(p.birth, horizon)
        options = [
            (lvl, w) for lvl, w in zip(_EDU_LEVELS, weights, strict=True) if room >= _GRADUATION[lvl][0] + 0.5
        ]
        level = self._pick(options)
        grad_age, _ = _GRADUATION[level]
        graduated = dt.date(p.birth.year + grad_age, 7, 1)
        if graduated < _years(p.birth, grad_age - 0.6):
            graduated = dt.date(graduated.year + 1, 7, 1)
        graduated = min(graduated, _years(horizon, -0.3))
        p.graduated = graduated
        p.ft_education = level
        slack = max(0.0, min(2.0, _span(graduated, horizon) - 0.3))
        start = graduated + dt.timedelta(days=30 + int(rng.random() * slack * 365))
        adult = _anniversary(p.birth, 18)
        doc = self._doc("hr", "recruit", max(start, adult), max(graduated, adult), _years(horizon, -0.1))
        p.work_start = doc.date
        p.steps.append(_Step(kind=PostKind.STAFF, post=-1, start=doc.date, doc=doc))

    def _ladder(self, kind: str) -> list[str]:
        """The kinds of post a career passes through on its way to ``kind``."""
        r = self.rng.random
        S, MH, MD, D, H, NL = (
            PostKind.STAFF,
            PostKind.MIDDLE_HEAD,
            PostKind.MIDDLE_DEPUTY,
            PostKind.DEPUTY,
            PostKind.HEAD,
            PostKind.NON_LEADERSHIP,
        )
        if kind == S:
            return [S, S] if r() < 0.35 else [S]
        if kind == MD:
            return [S, MD]
        if kind == MH:
            return [S, *([MD] if r() < 0.6 else []), MH]
        if kind == D:
            return [
                S,
                *([MD] if r() < 0.3 else []),
                *([MH] if r() < 0.8 else []),
                *([D] if r() < 0.25 else []),
                D,
            ]
        if kind == H:
            return [
                S,
                *([MH] if r() < 0.7 else []),
                D,
                *([D] if r() < 0.3 else []),
                *([H] if r() < 0.15 else []),
                H,
            ]
        if r() < 0.5:
            return [S, MH, D, NL]  # 改任非领导职务
        return [S, *([MH] if r() < 0.5 else []), NL]

    def _plan(self, p: _Person, ladder: list[str], horizon: dt.date) -> list[dt.date]:
        """Start dates of the career steps after the first (which starts at work start)."""
        rng = self.rng
        total = _span(p.work_start, horizon)
        while len(ladder) > 2 and total < (len(ladder) - 1) * 1.0 + 0.6:
            del ladder[-2]
        if len(ladder) == 2 and total < 1.2:
            del ladder[0]
        if len(ladder) == 1:
            return []
        final_max = min(_FINAL_MAX_YEARS[ladder[-1]], total - (len(ladder) - 1) * 0.9)
        last = _years(horizon, -rng.uniform(0.25, max(0.3, final_max)))
        # Intermediate steps spread over the time before the last one, each jittered within its
        # own segment so that the dates always increase with gaps of months, not days.
        segments = len(ladder) - 1
        segment = _span(p.work_start, last) / segments
        cuts = [segment * (i + rng.uniform(0.7, 1.3)) for i in range(segments - 1)]
        return [_years(p.work_start, c) for c in cuts] + [last]

    def _free(self, post: int, start: dt.date, end: dt.date | None) -> bool:
        """Whether ``post`` has a free seat over the whole of [start, end)."""
        cap = self.capacity.get(post)
        if cap is None:
            return True
        if self.scale > 1 and post in self.kept_free and (end is None or end > KEEP_FREE_FROM):
            # The vacancies the county was drawn with stay vacant in recent years: beyond its own
            # size, past careers would otherwise fill every one of them, and the workflows (like a
            # department planning a selection) look for a deputy seat free since 2024. At scale 1
            # and below nothing changes, so the county is the same for the same seed.
            return False
        end_ = end or dt.date.max
        busy = sum(1 for s, e in self.occupied.get(post, []) if s < end_ and start < (e or dt.date.max))
        return busy < cap

    def _occupy(self, post: int, start: dt.date, end: dt.date | None) -> None:
        """Record that someone holds ``post`` over [start, end)."""
        self.occupied.setdefault(post, []).append((start, end))

    def _staff_post_near(self, home: int, *, avoid: int, elsewhere: bool = False) -> int:
        """A staff post in the home unit (usually) or anywhere, other than ``avoid``."""
        while True:
            top = home if (not elsewhere and self.rng.random() < 0.6) else self.rng.choice(self.top_units)
            post = self.staff_post[self.rng.choice(self.internal_of[top])]
            if post != avoid:
                return post

    def _place(
        self, kind: str, home: int, start: dt.date, end: dt.date | None, avoid: int
    ) -> tuple[str, int]:
        """A post of ``kind`` (or the next kind down) with room over [start, end)."""
        while kind != PostKind.STAFF:
            for attempt in range(14):
                top = home if attempt < 6 else self.rng.choice(self.top_units)
                unit = self.rng.choice(self.internal_of[top]) if kind in _MIDDLE_KINDS else top
                candidates = self.posts_of.get((unit, kind), [])
                if not candidates:
                    continue
                post = self.rng.choice(candidates)
                if post != avoid and self._free(post, start, end):
                    self._occupy(post, start, end)
                    return kind, post
            kind = _FALLBACK[kind]
        return PostKind.STAFF, self._staff_post_near(home, avoid=avoid)

    def _plan_career(self, p: _Person, final: int | None, horizon: dt.date) -> None:
        """Career steps with their documents; a current holder's last post is reserved at once."""
        ladder = self._ladder(p.kind)
        dates = self._plan(p, ladder, horizon)
        first = p.steps[0]
        first.kind = ladder[0]
        steps = [first]
        prev = first.start
        for kind, target in zip(ladder[1:], dates, strict=True):
            doc = self._doc(
                _STEP_ISSUER[kind], "appoint", target, prev + dt.timedelta(days=30), _years(horizon, -0.05)
            )
            steps.append(_Step(kind=kind, post=-1, start=doc.date, doc=doc))
            prev = doc.date
        if final is not None:
            steps[-1].post = final
            self._occupy(final, steps[-1].start, None)
        p.steps = steps

    def _place_history(self, p: _Person) -> None:
        """Posts for the steps not yet placed, latest first, never the same post twice in a row."""
        steps = p.steps
        ends = [s.start for s in steps[1:]] + [p.exit_on]
        last = steps[-1]
        if last.post < 0:
            last.kind, last.post = self._place(last.kind, p.home, last.start, p.exit_on, -1)
        for i in range(len(steps) - 2, -1, -1):
            step = steps[i]
            if i == 0 and step.kind == PostKind.STAFF:
                step.post = self._staff_post_near(
                    p.home, avoid=steps[i + 1].post, elsewhere=p.kind == PostKind.STAFF
                )
            else:
                step.kind, step.post = self._place(step.kind, p.home, step.start, ends[i], steps[i + 1].post)

    def _record_career(self, p: _Person) -> None:
        """Items, tenures and rank records for the person's career."""
        out = self.out
        prev_tenure: TenureRow | None = None
        prev_rank: RankRecordRow | None = None
        for i, step in enumerate(p.steps):
            post = out.posts[step.post]
            if i > 0 and prev_tenure is not None:
                end_item = self._item(step.doc, DocumentItemKind.REMOVE, p.index, prev_tenure.post)
                prev_tenure.end_date = step.start
                prev_tenure.end_item = end_item
            start_item = self._item(step.doc, DocumentItemKind.APPOINT, p.index, step.post)
            prev_tenure = TenureRow(
                cadre=p.index,
                post=step.post,
                start_date=step.start,
                end_date=None,
                start_item=start_item,
                end_item=None,
            )
            out.tenures.append(prev_tenure)
            if prev_rank is None or prev_rank.rank != post.rank:
                rank_item = self._item(step.doc, DocumentItemKind.RANK, p.index, None, post.rank)
                if prev_rank is not None:
                    prev_rank.end_date = step.start
                prev_rank = RankRecordRow(
                    cadre=p.index, rank=post.rank, start_date=step.start, end_date=None, item=rank_item
                )
                out.rank_records.append(prev_rank)
        if p.exit_on is not None and prev_tenure is not None:
            purpose = "early_exit" if p.status == CadreStatus.EARLY_EXIT else "retire"
            doc = self._doc("org", purpose, p.exit_on, p.exit_on, p.exit_on)
            prev_tenure.end_item = self._item(doc, DocumentItemKind.REMOVE, p.index, prev_tenure.post)
            prev_tenure.end_date = p.exit_on
