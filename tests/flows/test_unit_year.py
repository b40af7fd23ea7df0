"""One year of 县财政局 through issue 14's services, as the department and the 纪委 would live it.

- The annual assessment with its 民主测评 through the voting engine: one cadre graded 不称职, the grade
  written onto the registry (the 任免审批表's 年度考核 row), the demotion path opened as a to-do and
  carried out by the exits' 降职, which closes it.
- A letter about a cadre taken in by the 纪委, verified and concluded with a 诫勉: the cadre is refused
  as a candidate of a selection on the last day of the 诫勉's impact period, with the period and the
  regulation cited, and accepted the day after it ends.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.assessment import selectors as assessment_selectors
from ganbu.assessment import services as assessment
from ganbu.assessment.models import Consequence, ConsequenceKind, ConsequenceStatus
from ganbu.core.errors import ServiceError
from ganbu.exits import selectors as exits_selectors
from ganbu.exits import services as exits
from ganbu.petitions import services as petitions
from ganbu.petitions.choices import Conclusion, PetitionStatus
from ganbu.registry.choices import AssessmentGrade, Rank
from ganbu.registry.models import Assessment, Cadre, RankRecord, RewardSanction
from ganbu.registry.tests.factories import CadreFactory
from ganbu.selection import services as selection
from ganbu.selection.tests.fixtures import drive
from ganbu.talks.choices import TalkKind
from ganbu.talks.models import Talk
from ganbu.voting import services as voting

pytestmark = pytest.mark.django_db
D = dt.date


def run_evaluation(officer, ballot, answers) -> None:
    """Run the round's 民主测评 in the voting engine: one code per answer, cast, closed, counted."""
    items = list(ballot.items.order_by("id"))
    codes = voting.credentials_issue(actor=officer, ballot=ballot, category="干部职工", count=len(answers))
    shares = voting.ballot_open(actor=officer, ballot=ballot)
    for code, answer in zip(codes, answers, strict=True):
        content = {items[i].pk: {"grade": grade} for i, grade in enumerate(answer)}
        voting.ballot_cast_with_credential(code=code, ballot=ballot, content=content)
    voting.ballot_close(actor=officer, ballot=ballot)
    voting.ballot_tally(actor=officer, ballot=ballot, key_shares=shares)


def test_the_annual_assessment_with_its_ballot_sends_one_incompetent_down_the_demotion_path(scene):
    officer = scene.officer
    sitting = Cadre.objects.get(name="钱在任")  # 副局长（甲）since 2020
    RankRecord.objects.create(cadre=sitting, rank=Rank.DEPUTY_SECTION, start_date=D(2020, 1, 1))
    others = [CadreFactory(unit=scene.unit, name=n) for n in ("周一", "吴二")]
    round_ = assessment.round_create(actor=officer, unit=scene.unit, year=2024, held_on=D(2025, 1, 15))
    entries = assessment.entries_add(actor=officer, assessment_round=round_, cadres=[sitting, *others])

    ballot = assessment.round_ballot_create(actor=officer, assessment_round=round_)
    assert [item.cadre_id for item in ballot.items.order_by("id")] == [e.cadre_id for e in entries]
    # Six of ten sheets find 钱在任 不称职: more than a third (EVAL-10's threshold) and a majority.
    run_evaluation(
        officer,
        ballot,
        [("incompetent", "competent", "competent")] * 6 + [("competent", "excellent", "competent")] * 4,
    )
    # The same evaluation is on the incompetence path's list (EVAL-10: 不称职 above a third).
    flagged = exits_selectors.flagged_evaluations(user=officer)
    assert [(r.ballot_id, r.item.cadre_id) for r in flagged] == [(ballot.pk, sitting.pk)]
    for entry in entries:
        grade = AssessmentGrade.INCOMPETENT if entry.cadre == sitting else AssessmentGrade.COMPETENT
        assessment.entry_set(
            actor=officer, entry=entry, data=assessment.EntryInput(proposed_grade=grade, final_grade=grade)
        )
    assessment.round_close(actor=officer, assessment_round=round_, data=assessment.CloseInput(D(2025, 1, 20)))

    # The grade is on the registry, where the 任免审批表 reads its 年度考核 row.
    assert Assessment.objects.get(cadre=sitting, year=2024).grade == AssessmentGrade.INCOMPETENT
    assert {a.cadre.name for a in Assessment.objects.filter(year=2024, cadre__in=others)} == {"周一", "吴二"}
    # One 不称职: the demotion path, open, on the officer's to-do list.
    consequence = Consequence.objects.get(cadre=sitting)
    assert consequence.kind == ConsequenceKind.DEMOTION and consequence.status == ConsequenceStatus.OPEN
    todo = assessment_selectors.todo_consequences_open(officer, D(2025, 1, 21), 10)
    assert todo.count == 1 and "钱在任" in todo.items[0].text

    demotion = exits.demotion_record(
        actor=officer,
        cadre=sitting,
        decision=exits.Decision(
            decided_on=D(2025, 2, 10),
            effective_on=D(2025, 2, 10),
            reason="2024年度考核确定为不称职",
            document_number="示委〔2025〕7号",
        ),
        new_rank=Rank.STAFF,
    )
    assessment.consequence_handle(
        actor=officer,
        consequence=consequence,
        handled_on=D(2025, 2, 10),
        note="经县委研究，降为一般干部",
        exit_record=demotion,
    )
    consequence.refresh_from_db()
    assert consequence.status == ConsequenceStatus.HANDLED and consequence.exit_record == demotion
    assert RankRecord.objects.get(cadre=sitting, end_date__isnull=True).rank == Rank.STAFF
    assert assessment_selectors.todo_consequences_open(officer, D(2025, 2, 11), 10).count == 0


def test_a_letter_verified_into_an_admonishment_keeps_the_cadre_out_of_a_selection_for_its_period(scene):
    jiwei = scene.supervisor
    zhao = scene.people[0]
    letter = petitions.petition_intake(
        actor=jiwei,
        channel="letter",
        received_on=D(2024, 1, 20),
        content="反映县财政局赵甲在项目资金拨付中推诿拖延、作风漂浮。",
        about="县财政局 赵甲",
        anonymous=True,
    )
    petitions.petition_assign(actor=jiwei, petition=letter, assignee=jiwei)
    petitions.petition_cadres_set(actor=jiwei, petition=letter, cadres=[zhao])
    petitions.petition_verify(
        actor=jiwei, petition=letter, notes="调阅拨付台账、约谈经办人员，反映问题基本属实。"
    )
    petitions.petition_conclude(
        actor=jiwei,
        petition=letter,
        conclusion=Conclusion.ADMONISHMENT,
        reply="经核实，反映的问题基本属实，已对相关人员进行诫勉。",
        cadre=zhao,
        held_on=D(2024, 2, 15),
        talkers="县纪委副书记",
    )
    letter.refresh_from_db()
    assert letter.status == PetitionStatus.CONCLUDED
    talk = Talk.objects.get(cadre=zhao)
    # The county's 诫勉 period (policy value, six months by default): 2024-02-15 to 2024-08-14.
    assert talk.kind == TalkKind.ADMONISHMENT and talk.period_end == D(2024, 8, 14)
    assert RewardSanction.objects.get(cadre=zhao).effective_until == D(2024, 8, 14)

    drive(scene, "recommendation")
    choices = [selection.Choice(cadre=p, post=scene.post) for p in scene.people[:2]]
    with pytest.raises(ServiceError) as refused:
        selection.candidates_set(actor=scene.officer, record=scene.record, choices=choices, on=D(2024, 8, 14))
    text = " ".join(refused.value.messages)
    assert "赵甲" in text and "诫勉" in text and "2024年8月14日" in text
    assert "第二十四条" in text  # 《党政领导干部选拔任用工作条例》's article on who may not be promoted
    made = selection.candidates_set(
        actor=scene.officer, record=scene.record, choices=choices, on=D(2024, 8, 15)
    )
    assert [c.cadre.name for c in made] == ["赵甲", "孙乙"]
