"""Pinyin of names, for sorting and for initials search (``zs`` finds 张三).

pypinyin is imported when a name is first converted, not with this module: its dictionaries take
most of a second to load, and the registry's services (and the ``ganbu`` commands that use them
without touching a name, like ``ganbu refresh``) import this module.
"""

from __future__ import annotations

# Surnames whose reading differs from the character's commonest reading.
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "尉": "yu",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "盖": "ge",
    "覃": "qin",
    "召": "shao",
}


def name_pinyin(name: str) -> str:
    """Full pinyin without tones, syllables joined by nothing (``zhangsan``), surname read as a surname."""
    name = "".join(name.split())
    if not name:
        return ""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return "".join(syllables).lower()


def name_initials(name: str) -> str:
    """Initial letters of each syllable (``zs`` for 张三), surname read as a surname."""
    name = "".join(name.split())
    if not name:
        return ""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    if name[0] in _SURNAME_READINGS and letters:
        letters[0] = _SURNAME_READINGS[name[0]][0]
    return "".join(letters).lower()
