"""The post-2025 fields on export: worked out from the registry where no file brought them (lrmx.md §10)."""

from __future__ import annotations

from ganbu.interop.export import export_records, with_reform_fields
from ganbu.interop.lrmx import Record, read_lrmx


def test_retirement_month_and_pre_reform_limit_follow_the_2024_schedule():
    # Men born 1965-01: the first cohort, 60 years 1 month → 2025-02 (the decision's 对照表).
    man = with_reform_fields(Record(name="甲", gender="男", birth="196501"))
    assert (man.retirement_due, man.pre_reform_age_limit) == ("202502", "改革前任职年龄界限为60岁")
    # Women cadres born 1980-03: 55 + 31 months (one per 4 months from 1970-01) → 2037-10.
    woman = with_reform_fields(Record(name="乙", gender="女", birth="198003"))
    assert (woman.retirement_due, woman.pre_reform_age_limit) == ("203710", "改革前任职年龄界限为55岁")
    # Reached 60 in December 2024, before the reform took effect: no delay, 已到龄人员.
    early = with_reform_fields(Record(name="丙", gender="男", birth="196412"))
    assert (early.retirement_due, early.pre_reform_age_limit) == ("202412", "已到龄人员")


def test_a_files_own_values_are_kept_and_nothing_is_guessed_without_birth_or_sex():
    kept = Record(
        name="丁", gender="男", birth="196501", retirement_due="202601", pre_reform_age_limit="已到龄人员"
    )
    assert with_reform_fields(kept) == kept
    assert with_reform_fields(Record(name="戊", gender="男")) == Record(name="戊", gender="男")
    assert with_reform_fields(Record(name="己", birth="196501")) == Record(name="己", birth="196501")


def test_the_fields_are_written_only_when_asked():
    record = Record(name="甲", gender="男", birth="196501")
    [(_, plain)] = export_records([record]).entries
    [(_, reform)] = export_records([record], reform=True).entries
    assert b"DaoLingNianYue" not in plain
    assert read_lrmx(reform).record.retirement_due == "202502"
    assert read_lrmx(reform).record.pre_reform_age_limit == "改革前任职年龄界限为60岁"
