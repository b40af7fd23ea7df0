"""Test support for the 任免审批表 import job: .lrmx files written by the codec from a few records."""

from __future__ import annotations

from ganbu.interop.lrmx import Record, write_lrmx
from ganbu.rules.idcard import check_char


def id_number(first17: str) -> str:
    """A valid ID number from its first 17 digits."""
    return first17 + check_char(first17)


ID_LI = id_number("11010519720415001")  # a man born 1972-04-15
ID_WANG = id_number("11010519800307001")  # a man born 1980-03-07


def record(name: str, birth: str, id_number: str, **changes: object) -> Record:
    """A small but complete record."""
    return Record(
        name=name,
        gender="男",
        birth=birth,
        ethnicity="汉族",
        native_place="山东乐陵",
        birthplace="山东乐陵",
        party="199405",
        work_start="199307",
        health="健康",
        ft_education="大学",
        current_post="某某县财政局副局长",
        resume="1989.09--1993.07  某某大学经济学专业学习\n1993.07--         某某县财政局科员",
        id_number=id_number,
    ).with_changes(**changes)


def lrmx_file(name: str, birth: str, id_number: str, **changes: object) -> bytes:
    """The record as .lrmx bytes."""
    return write_lrmx(record(name, birth, id_number, **changes))
