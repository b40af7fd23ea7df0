"""The term limits as candidate checks of the appointment procedure (ROT-04, ROT-05, ROT-13).

``ganbu.selection.services`` adds these findings to a candidate's eligibility findings, so they
are shown, recorded and lifted the same way (``ganbu.rules.eligibility.Finding``):

- ROT-04 and ROT-05 for a post listed by 《党政领导干部职务任期暂行规定》第二条 (ROT-06) are
  **blocking**: the regulation says 不再推荐、提名或者任命, with no exception.
- ROT-13 (the county's two-term rule for the other leadership posts) and ROT-05 for those posts
  (the county applies the regulation to them) are **general** requirements: the department's
  leadership may lift them with a recorded reason, as any other local or 一般性 requirement.

Three queries: every unit (for localities), the candidate's tenures, the county's ``rotation.terms``.
"""

from __future__ import annotations

import datetime as dt

from ganbu.policy.selectors import policy_value
from ganbu.registry.models import Cadre, Post
from ganbu.rules import eligibility as el
from ganbu.rules import rotation as rot
from ganbu.rules.types import Reason

from .facts import UnitBook, cadre_spells, post_facts


def term_findings(cadre: Cadre, post: Post, on: dt.date) -> list[el.Finding]:
    """The term-limit findings of appointing ``cadre`` to ``post`` on ``on`` (ROT-04/13, ROT-05)."""
    book = UnitBook.load()
    target = post_facts(post, book)
    if not target.leadership:
        return []
    spells = cadre_spells(cadre.pk, book)
    statutory = rot.term_scope(target).statutory
    found: list[el.Finding] = []
    terms = int(policy_value("rotation.terms", on).value)
    two_terms = rot.check_two_terms(spells, target, on, terms)
    for reason in two_terms.reasons:
        found.append(el.Finding(reason, el.Severity.BLOCKING if statutory else el.Severity.GENERAL))
    cap = rot.check_level_cap(spells, target.level, on)
    for reason in cap.reasons:
        if statutory:
            found.append(el.Finding(reason, el.Severity.BLOCKING))
        else:
            citation = f"{reason.citation}；{rot.term_scope(target).explanation}"
            found.append(el.Finding(Reason(reason.rule, citation, reason.message), el.Severity.GENERAL))
    return found
