"""The workflows' third layer: the demo's selection records and ballots, each at its own step."""

from __future__ import annotations

import datetime as dt

from ganbu.core.errors import ServiceError
from ganbu.registry import services as registry
from ganbu.registry.choices import (
    DocumentItemKind,
    PostKind,
    Rank,
    UnitKind,
)
from ganbu.registry.models import (
    Tenure,
)
from ganbu.registry.services import ItemInput
from ganbu.selection import services as selection
from ganbu.selection.choices import REMINDER_ITEMS
from ganbu.selection.models import SelectionRecord
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind, BallotStatus, Channel
from ganbu.voting.models import BallotResult

from .common import (
    _LEADERS,
    _SENSITIVE_UNITS,
    MSG_NOTHING,
    NOTICE_WORKDAYS,
    ORG,
)
from .steps import _Steps


class _Selections(_Steps):
    """The five selection records, the team evaluation and the paper ballot."""

    # ------------------------------------------------------------ the workflows

    def complete_selection(self) -> None:
        """A 副局长 selection of 2024 taken to 试用期满 in 2025: every step, three ballots, the documents.

        When no unit had a deputy seat free from March 2024 on (another seed), the same selection
        runs a year later.
        """
        days = self.days
        for year in (2024, 2025):
            proposed = days.after(dt.date(year, 3, 4))
            post = self.deputy_seat(proposed, exclude=set())
            if post is not None:
                break
        else:
            raise ServiceError(MSG_NOTHING.format(what="2024 年以来有空余副职职数的县直单位"))
        unit = self.top(post.unit_id)
        record = self.propose(
            post=post, on=proposed, reason=f"{unit.name}副职职数空缺一名，拟通过民主推荐选拔补充。"
        )
        self.talks(record, days.on(proposed, 7), 28, days.on(proposed, 10))
        on = days.on(proposed, 16)
        since = proposed - dt.timedelta(days=365)
        pools = self.deputy_pools(unit, since=since, on=on, ages=(30, 45), scope=None)
        cadres = self.eligible(record, post, on, pools, 2)
        candidates = self.choose(record, post, cadres, on)
        team = self.team()
        self.preannounce(record, cadres, team, days.on(proposed, 21), days.on(proposed, 25))
        evaluation = self.inspection_evaluation(record, cadres, finish=BallotStatus.PUBLISHED)
        self.inspect(
            record,
            candidates,
            team,
            started_on=days.on(proposed, 22),
            checks_on=days.on(proposed, 29),
            evaluation=evaluation,
            finished_on=days.on(proposed, 36),
        )
        self.opinions(record, days.on(proposed, 37), days.on(proposed, 42), wait_for_discipline=False)
        selection.department_meeting_record(
            actor=self.officer,
            record=record,
            held_on=days.on(proposed, 45),
            minutes=f"部务会研究，同意推荐{cadres[0].name}同志为{post}拟任人选，提交县委常委会讨论。",
            proposed=[candidates[0]],
        )
        decided = days.on(proposed, 50)
        self.committee(record, decided_on=decided, present=11, agree=10, publish=True)
        appointee = cadres[0]
        calendar = days.calendar
        start = calendar.add_workdays(decided, 1)
        end = calendar.add_workdays(start, NOTICE_WORKDAYS - 1)
        self.notice(record, appointee, post, start, end)
        appointed = calendar.add_workdays(end, 1)
        selection.appointment_record(
            actor=self.officer,
            record=record,
            number=self.number("示委", appointed.year),
            title=f"关于{appointee.name}同志任职的通知",
            issued_on=appointed,
        )
        # The new post's rank (副科级) comes with the appointment: a 确定职级 document of the same day.
        registry.document_issue(
            actor=self.officer,
            number=self.number("示组字", appointed.year),
            title=f"关于{appointee.name}同志确定职级的通知",
            issued_on=appointed,
            issuing_body=ORG,
            items=[
                ItemInput(
                    kind=DocumentItemKind.RANK,
                    cadre=appointee,
                    rank=Rank.DEPUTY_SECTION,
                    effective_on=appointed,
                )
            ],
        )
        self.resume(appointee, appointed, str(post))
        selection.feedback_record(
            actor=self.officer,
            record=record,
            collected_on=days.on(appointed, 20),
            sources=f"{unit.name}干部职工、服务对象和分管县领导",
            report="任职一个月来，该同志进入角色快，分管工作推进有序，干部群众反映良好。",
        )
        grades = [13, 15, 2, 0]
        ballot = self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{appointee.name}同志试用期满民主测评",
            unit=unit,
            items=[{"cadre": appointee}],
            sheets=self.evaluation_sheets(
                (("单位领导班子成员", 5), ("中层干部", 10), ("干部职工代表", 15)), [grades]
            ),
        )
        share = (grades[0] + grades[1]) / sum(grades) * 100
        probation = record.probations.get()
        selection.probation_conclude(
            actor=self.officer,
            probation=probation,
            confirmed=True,
            conclusion=(
                f"试用期满，经考核，该同志胜任现职，民主测评“优秀+称职”票占 {share:.2f}%，同意正式任职。"
            ),
            concluded_on=days.on(probation.end_date, 7),
            evaluation_ballot=ballot,
        )

    def team_evaluation(self) -> BallotResult:
        """The published 年度民主测评 of a bureau's leadership team; one deputy above the 不称职 threshold.

        Returns the flagged deputy's result, from which the incompetence case starts.
        """
        by_unit: dict[int, list[Tenure]] = {}
        for t in self.current.values():
            if t.post.kind in _LEADERS:
                by_unit.setdefault(t.post.unit_id, []).append(t)
        options = []
        for unit_id, team in sorted(by_unit.items()):
            unit = self.units[unit_id]
            heads = [t for t in team if t.post.kind == PostKind.HEAD]
            if unit.kind != UnitKind.COUNTY_ORGAN or not 4 <= len(team) <= 6 or len(heads) != 1:
                continue
            if any(t.cadre_id in self.busy for t in team) or any(w in unit.name for w in _SENSITIVE_UNITS):
                continue
            options.append(unit)
        if not options:
            raise ServiceError(MSG_NOTHING.format(what="领导班子为 4 至 6 人的县直单位"))
        # A team of five when the county has one, the size the demo describes.
        five = [u for u in options if len(by_unit[u.pk]) == 5]
        unit = self.rng.choice(five or options)
        team = sorted(
            by_unit[unit.pk], key=lambda t: (t.post.kind != PostKind.HEAD, t.post.sort_order, t.cadre_id)
        )
        cadres = [t.cadre for t in team]
        self.take(cadres)
        deputies = [t for t in team[1:] if t.start_date <= self.past - dt.timedelta(days=400)]
        flagged = self.rng.choice(deputies or team[1:]).cadre
        per_item = [[6, 24, 9, 21] if c.pk == flagged.pk else self._favourable(60) for c in cadres]
        year = (self.past - dt.timedelta(days=250)).year - 1
        ballot = self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{unit.name}领导班子和领导干部{year}年度民主测评",
            unit=unit,
            items=[{"cadre": c} for c in cadres],
            sheets=self.evaluation_sheets(
                (("班子成员", 5), ("中层干部", 15), ("干部职工代表", 40)), per_item
            ),
            issued={"班子成员": 5, "中层干部": 16, "干部职工代表": 41},
            attendance=(65, 62),
        )
        return BallotResult.objects.get(ballot=ballot, item__cadre=flagged)

    def notice_selection(self) -> None:
        """A bureau head selection at 任前公示, the notice running today; decided by the committee (11)."""
        start, end, current = self.days.notice_window(self.today)
        self.notice_current = current
        decided = self.days.workdays_back(start, 1)
        proposed = self.days.back(decided, 60)
        heads = self.vacant(PostKind.HEAD, proposed, UnitKind.COUNTY_ORGAN, exclude=set())
        heads = [p for p in heads if p.unit.name.endswith("局")] or heads
        exclude = {r.unit_id for r in self._selected()}
        # A bureau head (第一时间公告提醒 applies) when one is vacant, else another deputy seat.
        post = self.rng.choice(heads) if heads else self.deputy_seat(proposed, exclude)
        if post is None:
            raise ServiceError(MSG_NOTHING.format(what="空缺的县直局局长职位或副职职数"))
        head = post.kind == PostKind.HEAD
        unit = self.top(post.unit_id)
        record = self.propose(
            post=post,
            on=proposed,
            reason=f"{unit.name}{'主要负责人' if head else '副职'}职位空缺，为加强领导班子建设，拟选拔配备。",
            announcement=head,
        )
        self.talks(record, self.days.on(proposed, 6), 41, self.days.on(proposed, 9))
        on = self.days.on(proposed, 14)
        organs = [u.pk for u in self.units.values() if u.kind == UnitKind.COUNTY_ORGAN]
        if head:
            since = on - dt.timedelta(days=900)
            deputies = (PostKind.DEPUTY,)
            pools = [
                self.pool(kinds=deputies, since=since, on=on, ages=(38, 50), units=[unit.pk]),
                self.pool(kinds=deputies, since=since, on=on, ages=(38, 50), units=organs),
            ]
        else:
            since = on - dt.timedelta(days=365)
            pools = self.deputy_pools(unit, since=since, on=on, ages=(30, 45), scope=organs)
        cadres = self.eligible(record, post, on, pools, 2)
        candidates = self.choose(record, post, cadres, on)
        team = self.team()
        self.preannounce(record, cadres, team, self.days.on(on, 2), self.days.on(on, 8))
        evaluation = self.inspection_evaluation(record, cadres)
        self.inspect(
            record,
            candidates,
            team,
            started_on=self.days.on(on, 3),
            checks_on=self.days.on(on, 12),
            evaluation=evaluation,
            finished_on=self.days.on(on, 18),
        )
        self.opinions(record, self.days.on(on, 19), self.days.on(on, 24), wait_for_discipline=False)
        appointee = cadres[0]
        selection.department_meeting_record(
            actor=self.officer,
            record=record,
            held_on=self.days.back(decided, 5),
            minutes=f"部务会研究，同意推荐{appointee.name}同志为{post}拟任人选，提交县委常委会讨论。",
            proposed=[candidates[0]],
        )
        self.committee(record, decided_on=decided, present=10, agree=9, publish=False)
        if head:
            selection.announcement_record(
                actor=self.officer,
                record=record,
                announced_on=decided,
                place=f"{unit.name}干部职工大会",
                announced_by="县委常委、组织部部长",
                reminders=[key for key, _ in REMINDER_ITEMS],
                acknowledged_by=appointee.name,
            )
        self.notice(record, appointee, post, start, end)

    def inspection_selection(self) -> None:
        """A 副局长 selection at 考察, with the county's published meeting recommendation (民主推荐).

        The 考察预告 runs today and the inspection's 民主测评 is open, some of its codes used.
        """
        today, days = self.today, self.days
        preannounced = days.workdays_back(today, 2)
        chosen_on = days.back(preannounced, 5)
        recommended = days.back(chosen_on, 6)
        proposed = days.back(recommended, 10)
        post = self.deputy_seat(proposed, exclude={r.unit_id for r in self._selected()})
        if post is None:
            raise ServiceError(MSG_NOTHING.format(what="有空余副职职数的县直单位"))
        unit = self.top(post.unit_id)
        record = self.propose(
            post=post, on=proposed, reason=f"{unit.name}副职职数空缺一名，拟通过会议推荐和谈话调研推荐选拔。"
        )
        since = proposed - dt.timedelta(days=365)
        pools = self.deputy_pools(unit, since=since, on=chosen_on, ages=(30, 45), scope=None)
        names = self.eligible(record, post, chosen_on, pools, 4)
        a, b, c, d = (x.name for x in names)
        votes = [a] * 21 + [b] * 11 + [c] * 4 + [d] * 3 + [""]
        self.rng.shuffle(votes)
        categories = [("单位领导班子成员", 5), ("中层干部", 13), ("干部职工代表", 22)]
        labels = [category for category, n in categories for _ in range(n)]
        recommendation = self.mass_ballot(
            kind=BallotKind.RECOMMENDATION,
            title=f"{post}会议推荐",
            unit=unit,
            items=[{"post": post, "reference": [a, b, c, d], "posts": 1, "label": str(post)}],
            sheets=[
                (label, [{"choices": [vote] if vote else []}])
                for label, vote in zip(labels, votes, strict=True)
            ],
            issued={"单位领导班子成员": 5, "中层干部": 14, "干部职工代表": 23},
            attendance=(45, 42),
        )
        selection.recommendation_ballot_link(actor=self.officer, record=record, ballot=recommendation)
        selection.recommendation_complete(actor=self.officer, record=record, on=recommended)
        # The officers choose from the votes, they do not elect (REC-07): the two most recommended.
        chosen = names[:2]
        self.busy.difference_update(x.pk for x in names[2:])
        candidates = self.choose(record, post, chosen, chosen_on)
        team = self.team()
        self.preannounce(record, chosen, team, preannounced, max(days.on(preannounced, 7), today))
        categories = [("单位领导班子成员", 5), ("中层干部", 12), ("干部职工代表", 18)]
        sheets = self.evaluation_sheets(categories, [self._favourable(35) for _ in chosen])
        # Who has voted so far: most of the leaders, about half of the others.
        order = [0, 1, 2, 3, *range(5, 13, 2), *range(17, 35, 2)]
        evaluation = self.mass_ballot(
            kind=BallotKind.EVALUATION,
            title=f"{record.title}考察民主测评",
            unit=unit,
            items=[{"cadre": x} for x in chosen],
            sheets=[sheets[i] for i in order] + [s for i, s in enumerate(sheets) if i not in order],
            finish=BallotStatus.OPEN,
            cast=len(order),
        )
        self.inspect(
            record,
            candidates,
            team,
            started_on=min(days.on(preannounced, 1), today),
            checks_on=min(days.on(preannounced, 1), today),
            evaluation=evaluation,
            checks=2,
        )

    def opinion_selection(self) -> None:
        """A town deputy selection waiting for the 县纪委's answer (addressed to ``jiwei``)."""
        days = self.days
        sent = days.workdays_back(self.today, 6)
        finished = days.back(sent, 2)
        chosen_on = days.back(finished, 21)
        proposed = days.back(chosen_on, 14)
        posts = self.vacant(
            PostKind.DEPUTY, proposed, UnitKind.TOWN, exclude={r.unit_id for r in self._selected()}
        )
        if not posts:
            posts = self.vacant(PostKind.MIDDLE_HEAD, proposed, UnitKind.COUNTY_ORGAN, exclude=set())
        if not posts:
            raise ServiceError(MSG_NOTHING.format(what="空缺的镇副职或中层职位"))
        post = self.rng.choice([p for p in posts if "人武" not in p.title] or posts)
        town = self.top(post.unit_id)
        record = self.propose(post=post, on=proposed, reason=f"{town.name}{post.title}空缺，拟选拔配备。")
        self.talks(record, days.on(proposed, 4), 33, days.on(proposed, 7))
        since = proposed - dt.timedelta(days=365)
        towns = [u.pk for u in self.units.values() if u.kind == UnitKind.TOWN]
        pools = self.deputy_pools(town, since=since, on=chosen_on, ages=(28, 45), scope=towns)
        cadres = self.eligible(record, post, chosen_on, pools, 2)
        candidates = self.choose(record, post, cadres, chosen_on)
        team = self.team()
        self.preannounce(record, cadres, team, days.on(chosen_on, 2), days.on(chosen_on, 8))
        evaluation = self.inspection_evaluation(record, cadres)
        self.inspect(
            record,
            candidates,
            team,
            started_on=days.on(chosen_on, 3),
            checks_on=days.on(chosen_on, 14),
            evaluation=evaluation,
            finished_on=finished,
        )
        self.opinions(record, sent, days.on(sent, 3), wait_for_discipline=True)

    def withdrawn_selection(self) -> None:
        """A town 人武部部长 selection ended (终止) after the recommendation, with the reason."""
        days = self.days
        proposed = days.back(self.past, 210)
        exclude = {r.unit_id for r in self._selected()}
        posts = [
            p for p in self.vacant(PostKind.DEPUTY, proposed, UnitKind.TOWN, exclude) if "人武" in p.title
        ]
        reason = "县人武部来函，{title}人选按照军地双重领导的有关规定由上级军事机关统一调配，本次选拔终止。"
        if not posts:
            posts = self.vacant(PostKind.DEPUTY, proposed, UnitKind.TOWN, exclude) or self.vacant(
                PostKind.MIDDLE_HEAD, proposed, UnitKind.COUNTY_ORGAN, exclude=set()
            )
            reason = "因机构改革，{title}职位职责调整，经部务会研究，本次选拔终止。"
        if not posts:
            raise ServiceError(MSG_NOTHING.format(what="可以动议的空缺职位"))
        post = self.rng.choice(posts)
        record = self.propose(post=post, on=proposed, reason=f"{post}空缺，拟选拔配备。")
        self.talks(record, days.on(proposed, 5), 26, days.on(proposed, 8))
        selection.selection_withdraw(
            actor=self.officer,
            record=record,
            reason=reason.format(title=post.title),
            on=days.on(proposed, 16),
        )

    def paper_ballot(self) -> None:
        """A town's 年度民主测评 on paper: closed, counts entered by one officer and confirmed by another."""
        towns = [
            u
            for u in sorted(self.units.values(), key=lambda u: u.pk)
            if u.parent_id == self.root.pk and u.kind == UnitKind.TOWN
        ]
        by_unit: dict[int, list[Tenure]] = {}
        for t in self.current.values():
            if t.post.kind in _LEADERS and t.cadre_id not in self.busy:
                by_unit.setdefault(t.post.unit_id, []).append(t)
        towns = [u for u in towns if len(by_unit.get(u.pk, [])) >= 4]
        if not towns:
            raise ServiceError(MSG_NOTHING.format(what="领导班子成员齐全的镇"))
        town = self.rng.choice(towns)
        team = sorted(
            by_unit[town.pk], key=lambda t: (t.post.kind != PostKind.HEAD, t.post.sort_order, t.cadre_id)
        )
        cadres = [t.cadre for t in team[:4]]
        self.take(cadres)
        o = self.officer
        ballot = voting.ballot_create(
            actor=o,
            kind=BallotKind.EVALUATION,
            title=f"{town.name}领导班子和领导干部{self.past.year}年度民主测评（纸质票）",
            unit=town,
            channel=Channel.PAPER,
        )
        items = [voting.ballot_item_add(actor=o, ballot=ballot, cadre=c) for c in cadres]
        voting.ballot_attendance_record(actor=o, ballot=ballot, expected=52, present=48)
        voting.ballot_open(actor=o, ballot=ballot)
        voting.ballot_close(actor=o, ballot=ballot)
        for item in items:
            excellent, competent, basic, _ = self._favourable(47)
            voting.paper_counts_enter(
                actor=o,
                ballot=ballot,
                item=item,
                counts={"excellent": excellent, "competent": competent, "basic": basic, "incompetent": 0},
                issued=48,
                returned=48,
            )
        # 监票: a second member of staff, not the one who entered the counts.
        for item in items:
            voting.paper_counts_confirm(actor=self.leader, ballot=ballot, item=item)

    def _selected(self) -> list[SelectionRecord]:
        """The selection records made so far (their units are left to other workflows)."""
        return list(SelectionRecord.objects.order_by("id"))
