"""Coded values of the exits. The kinds, steps and grounds are the pure rules' identifiers
(``ganbu.rules.exits``), so the columns and the checks agree."""

from ganbu.rules.exits import CaseStep, EarlyRetirementGround, ExitKind, ProceedingKind

EXIT_KIND_CHOICES = [(k.value, k.label) for k in ExitKind]
CASE_STEP_CHOICES = [(s.value, s.label) for s in CaseStep]
PROCEEDING_KIND_CHOICES = [(k.value, k.label) for k in ProceedingKind]
GROUND_CHOICES = [(g.value, g.label) for g in EarlyRetirementGround]
