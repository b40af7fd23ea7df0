"""Identity numbers by GB 11643-1999 (``ganbu.rules.idcard``): pure, no Django, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.idcard import IdNumberError, check_char, parse_id_number

TODAY = dt.date(2024, 6, 1)
# The worked example printed in GB 11643-1999 itself: 北京市朝阳区, born 1949-12-31, female, check X.
STANDARD_EXAMPLE = "11010519491231002X"


def make(first17: str) -> str:
    """A valid 18-character number from its first 17 digits."""
    return first17 + check_char(first17)


# ---------------------------------------------------------------- the check character


def test_check_char_matches_the_examples_of_the_standard() -> None:
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"


def test_check_char_covers_every_residue() -> None:
    # Varying the last digit of the prefix walks through residues; all 11 characters must appear.
    seen = {check_char(f"3201021980010100{d}") for d in range(10)}
    seen |= {check_char(f"3201021980010101{d}") for d in range(10)}
    assert seen == set("0123456789X")


@pytest.mark.parametrize("bad", ["1234", "1101051949123100２", "11010519491231002X"])
def test_check_char_refuses_anything_but_17_ascii_digits(bad: str) -> None:
    with pytest.raises(IdNumberError):
        check_char(bad)


# ---------------------------------------------------------------- valid numbers


def test_standard_example_parses_with_its_facts() -> None:
    parsed = parse_id_number(STANDARD_EXAMPLE, today=TODAY)
    assert parsed.value == STANDARD_EXAMPLE
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "F"  # 17th digit 2 is even
    assert parsed.upgraded_from_15 is False


@pytest.mark.parametrize(
    ("first17", "birth", "gender"),
    [
        ("32010219800517001", dt.date(1980, 5, 17), "M"),
        ("32010219800517002", dt.date(1980, 5, 17), "F"),
        ("51012919720229003", dt.date(1972, 2, 29), "M"),
        ("65010220001231004", dt.date(2000, 12, 31), "F"),
    ],
)
def test_computed_numbers_parse(first17: str, birth: dt.date, gender: str) -> None:
    number = make(first17)
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.value == number
    assert parsed.birth_date == birth
    assert parsed.gender == gender


def test_lower_case_x_is_accepted_and_stored_upper_case() -> None:
    parsed = parse_id_number("11010519491231002x", today=TODAY)
    assert parsed.value == STANDARD_EXAMPLE


def test_spaces_and_full_width_digits_are_normalised() -> None:
    assert parse_id_number(" 110105 19491231 002X ", today=TODAY).value == STANDARD_EXAMPLE
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ", today=TODAY).value == STANDARD_EXAMPLE


def test_fifteen_digit_number_is_upgraded_to_eighteen() -> None:
    # 110105491231002 is the first-generation form of the standard's example.
    parsed = parse_id_number("110105491231002", today=TODAY)
    assert parsed.value == STANDARD_EXAMPLE
    assert parsed.upgraded_from_15 is True
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "F"


def test_fifteen_digit_upgrade_computes_the_check_char() -> None:
    parsed = parse_id_number("320102800517001", today=TODAY)
    assert parsed.value == make("32010219800517001")
    assert parsed.gender == "M"


# ---------------------------------------------------------------- invalid numbers


def test_wrong_check_char_names_the_expected_one() -> None:
    with pytest.raises(IdNumberError) as exc:
        parse_id_number("110105194912310021", today=TODAY)
    assert "应为 X" in str(exc.value)
    assert "而不是 1" in str(exc.value)


@pytest.mark.parametrize("raw", ["", "1101051949123100", "11010519491231002X1", "1101054912310021"])
def test_wrong_length_is_refused(raw: str) -> None:
    with pytest.raises(IdNumberError, match="应为18位"):
        parse_id_number(raw, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1101051949123100AX", "前17位只能是数字"),
        ("11010519491231002Y", "最后一位只能是数字或 X"),
        ("X10105491231002", "15位身份证号只能由数字组成"),
        # str.isdigit() accepts superscripts and Arabic-Indic digits; GB 11643 does not.
        ("1101051949123100²X", "前17位只能是数字"),
        ("1101051949123100٢X", "前17位只能是数字"),
    ],
)
def test_non_digits_are_refused(raw: str, message: str) -> None:
    with pytest.raises(IdNumberError, match=message):
        parse_id_number(raw, today=TODAY)


@pytest.mark.parametrize("date", ["19990230", "19990431", "20010229", "19991301", "19990000"])
def test_impossible_birth_date_is_refused(date: str) -> None:
    with pytest.raises(IdNumberError, match=f"{date} 不是有效日期"):
        parse_id_number(make(f"320102{date}001"), today=TODAY)


def test_future_birth_date_is_refused() -> None:
    number = make("32010220240602001")
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(number, today=TODAY)
    assert parse_id_number(number, today=dt.date(2024, 6, 2)).birth_date == dt.date(2024, 6, 2)


def test_future_birth_date_is_refused_without_an_explicit_today() -> None:
    # Two years ahead, so the test holds whatever the time zone on New Year's Eve.
    next_year = dt.datetime.now(dt.UTC).year + 2
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(make(f"320102{next_year}0101001"))


def test_implausibly_early_birth_year_is_refused() -> None:
    # The standard's own second example (born 1880) is valid arithmetic but no living cadre.
    with pytest.raises(IdNumberError, match="1880"):
        parse_id_number("440524188001010014", today=TODAY)


# ---------------------------------------------------------------- properties

_birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@st.composite
def prefixes(draw: st.DrawFn) -> str:
    """Random valid first-17 digits: region code, a real birth date, a sequence code."""
    region = draw(st.integers(min_value=110000, max_value=659999))
    birth = draw(_birth_dates)
    seq = draw(st.integers(min_value=0, max_value=999))
    return f"{region:06d}{birth:%Y%m%d}{seq:03d}"


@settings(max_examples=300, deadline=None)
@given(prefix=prefixes())
def test_property_check_char_makes_a_valid_number(prefix: str) -> None:
    parsed = parse_id_number(prefix + check_char(prefix), today=TODAY)
    assert parsed.value == prefix + check_char(prefix)
    assert parsed.birth_date == dt.date(int(prefix[6:10]), int(prefix[10:12]), int(prefix[12:14]))
    assert parsed.gender == ("M" if int(prefix[16]) % 2 else "F")


@settings(max_examples=300, deadline=None)
@given(prefix=prefixes(), last=st.sampled_from("0123456789X"))
def test_property_any_other_last_char_fails(prefix: str, last: str) -> None:
    if last == check_char(prefix):
        assert parse_id_number(prefix + last, today=TODAY).value == prefix + last
    else:
        with pytest.raises(IdNumberError, match=f"应为 {check_char(prefix)}"):
            parse_id_number(prefix + last, today=TODAY)


@settings(max_examples=200, deadline=None)
@given(prefix=prefixes(), position=st.integers(min_value=0, max_value=16), delta=st.integers(1, 9))
def test_property_any_single_digit_error_is_detected(prefix: str, position: int, delta: int) -> None:
    # MOD 11-2 detects every single-digit substitution (ISO 7064): a typo never passes silently.
    number = prefix + check_char(prefix)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(IdNumberError):
        parse_id_number(typo, today=TODAY)


@settings(max_examples=200, deadline=None)
@given(
    region=st.integers(110000, 659999),
    birth=st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)),
    seq=st.integers(0, 999),
)
def test_property_fifteen_digit_upgrade_is_deterministic(region: int, birth: dt.date, seq: int) -> None:
    old = f"{region:06d}{birth:%y%m%d}{seq:03d}"
    parsed = parse_id_number(old, today=TODAY)
    assert parsed.value == make(f"{region:06d}{birth:%Y%m%d}{seq:03d}")
    assert parsed.birth_date == birth
    # Entering the upgraded form again gives the same stored value: one canonical form per person.
    assert parse_id_number(parsed.value, today=TODAY).value == parsed.value
