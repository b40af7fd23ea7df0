"""``ganbu lrmx import | export | check``: Chinese summaries, the progress bar, exit codes."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ganbu.interop.lrmx import read_lrmx
from ganbu.interop.tests.test_services import ID_ZHANG, lrmx
from ganbu.registry.models import Cadre


def _run(*args: str) -> int:
    try:
        call_command("lrmx", *args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.mark.django_db
def test_import_writes_reports_and_exits_zero_when_every_file_is_in(officer, tree, tmp_path, capsys):
    (tmp_path / "张三.lrmx").write_bytes(lrmx())
    (tmp_path / "李四.lrmx").write_bytes(lrmx(name="李四", id_number=""))
    code = _run("import", str(tmp_path), "--unit", "县财政局", "--as", officer.username)
    out, err = capsys.readouterr()
    assert code == 0
    assert "共 2 个文件：新建 2" in out
    assert "导入 [" in err and "2/2" in err
    assert Cadre.objects.filter(unit=tree.finance).count() == 2


@pytest.mark.django_db
def test_import_exits_non_zero_naming_the_refused_file(officer, tree, tmp_path, capsys):
    good, bad = tmp_path / "张三.lrmx", tmp_path / "坏.lrmx"
    good.write_bytes(lrmx())
    bad.write_bytes(b"<Person><XingMing>")
    code = _run("import", str(good), str(bad), "--unit", "县财政局", "--as", officer.username)
    out, _ = capsys.readouterr()
    assert code == 1
    assert "新建 1" in out and "未导入 1" in out and "[未导入] 坏.lrmx：" in out
    assert Cadre.objects.filter(id_number=ID_ZHANG).exists()


@pytest.mark.django_db
def test_a_name_and_birth_match_needs_yes(officer, tree, tmp_path, capsys):
    import datetime as dt

    from ganbu.registry.tests.factories import CadreFactory

    existing = CadreFactory(unit=tree.finance, name="张三", birth_date=dt.date(1972, 4, 9))
    path = tmp_path / "张三.lrmx"
    path.write_bytes(lrmx(id_number=""))
    assert _run("import", str(path), "--unit", "县财政局", "--as", officer.username) == 1
    out, _ = capsys.readouterr()
    assert "待确认 1" in out and "县财政局" in out and "--yes" in out
    assert _run("import", str(path), "--as", officer.username, "--yes") == 0
    existing.refresh_from_db()
    assert existing.native_place == "山东乐陵"


@pytest.mark.django_db
def test_import_refuses_an_unknown_unit_or_user_in_chinese(officer, tree, tmp_path):
    path = tmp_path / "张三.lrmx"
    path.write_bytes(lrmx())
    with pytest.raises(CommandError, match="找不到单位"):
        call_command("lrmx", "import", str(path), "--unit", "不存在的局", "--as", officer.username)
    with pytest.raises(CommandError, match="用户"):
        call_command("lrmx", "import", str(path), "--as", "nobody")


@pytest.mark.django_db
def test_export_to_a_zip_and_to_a_directory(officer, tree, tmp_path, capsys):
    call_command(
        "lrmx",
        "import",
        str(_write(tmp_path, "张三.lrmx", lrmx())),
        "--unit",
        "县财政局",
        "--as",
        officer.username,
    )
    archive = tmp_path / "out.zip"
    assert _run("export", "--out", str(archive), "--unit", "县财政局") == 0
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == ["张三.lrmx"]
        assert read_lrmx(opened.read("张三.lrmx")).record.id_number == ID_ZHANG
    folder = tmp_path / "lrm"
    assert _run("export", "--out", str(folder), "--format", "lrm", "--id-number", ID_ZHANG) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["张三.lrm", "张三.pic"]
    assert "已导出 1 人" in capsys.readouterr().out


def _write(folder, name, data):
    path = folder / name
    path.write_bytes(data)
    return path


def test_check_prints_json_and_exits_non_zero_on_a_refused_file(tmp_path, capsys):
    good = _write(tmp_path, "张三.lrmx", lrmx())
    assert _run("check", str(good)) == 0
    [shown] = json.loads(capsys.readouterr().out)
    assert shown["file"] == "张三.lrmx" and shown["record"]["name"] == "张三"
    assert shown["record"]["photo"]["type"] == "jpeg"
    bad = _write(tmp_path, "坏.lrmx", b"<html></html>")
    assert _run("check", str(good), str(bad)) == 1
    shown = json.loads(capsys.readouterr().out)
    assert shown[1]["error"] and not shown[1]["error"].isascii()
