"""The public empty templates (docs/lrmx.md §12, tests/corpus/public/README.md) read as empty records."""

from __future__ import annotations

from pathlib import Path

import pytest

from ganbu.interop.lrmx import FileRefused, read_lrmx, write_lrmx

PUBLIC = Path(__file__).parent / "corpus" / "public"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "lrmx-samples"
TEMPLATES = sorted(PUBLIC.glob("*.xml"))


def test_three_templates_are_present() -> None:
    assert [p.name for p in TEMPLATES] == [
        "ProfileEditor__fuben_annotated.xml",
        "ProfileEditor__templates_blank.xml",
        "owip__rm.xml",
    ]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_public_template_reads_as_an_empty_record(path: Path) -> None:
    parsed = read_lrmx(path.read_bytes())
    assert parsed.format == "lrmx"
    assert parsed.record.is_empty()
    assert parsed.record.version in {"3.2.1.6", "3.2.1.16"}
    assert parsed.warnings == ()
    # and what we write from it reads back the same, Version preserved
    assert read_lrmx(write_lrmx(parsed.record)).record == parsed.record


def test_code_dictionary_is_refused_as_not_a_person() -> None:
    dmgrp = SHARED / "rmb_helper__DmGrp.xml"
    data = dmgrp.read_bytes() if dmgrp.exists() else b'<?xml version="1.0"?><dmgrps><dmgrp/></dmgrps>'
    with pytest.raises(FileRefused) as refused:
        read_lrmx(data)
    assert refused.value.message == "文件不是任免审批表：根元素是 <dmgrps>，应为 <Person>"
