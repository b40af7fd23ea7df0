"""``ganbu lrmx``: 任免审批表 files (.lrmx / .lrm + .pic / .zip) from the command line.

    ganbu lrmx import PATH… --unit <单位名称或代码> --as <用户名> [--yes]
    ganbu lrmx export --out DIR|FILE.zip [--format lrmx|lrm] [--reform] [--unit …] [--id-number …] [--as …]
    ganbu lrmx check PATH…

``import`` writes through ``interop.services.lrmx_import_batch`` (one audited transaction per file) and
exits 1 when any file was not imported (refused, or a name-and-birth match left for confirmation);
``check`` only reads and prints each file's normalized record as JSON, exiting 1 on a refused file.
See ``docs/lrmx-import.md``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from ganbu.accounts.models import User
from ganbu.interop.export import FORMATS, export_records
from ganbu.interop.lrmx import as_json, read_any, write_zip
from ganbu.interop.mapping import cadre_to_record
from ganbu.interop.selectors import cadres_with_record, records_for_cadres
from ganbu.interop.services import FileOutcome, lrmx_import_batch
from ganbu.registry.models import Cadre, Unit

SUFFIXES = (".lrmx", ".lrm", ".pic", ".jpg", ".zip")
MSG_CONFIRM_HINT = (
    "待确认的文件：核实为同一人后加 --yes 重新导入（只匹配到一名干部时适用），或在网页导入中逐个确认。"
)
OUTCOME_LABELS = {
    "created": "新建",
    "updated": "更新",
    "unchanged": "未变",
    "confirm": "待确认",
    "refused": "未导入",
}


def collect(paths: list[str]) -> list[tuple[str, bytes]]:
    """The files named, and the 任免审批表 files under the directories named (sorted), as (name, bytes)."""
    files: list[tuple[str, bytes]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            files += [(str(p.relative_to(path)), p.read_bytes()) for p in found]
        elif path.is_file():
            files.append((path.name, path.read_bytes()))
        else:
            raise CommandError(f"找不到文件或目录：{raw}")
    return files


def _unit(text: str) -> Unit:
    units = list(Unit.objects.filter(Q(name=text) | Q(code=text) | Q(short_name=text))[:2])
    if not units:
        raise CommandError(f"找不到单位「{text}」（可填单位名称、简称或单位代码）。")
    if len(units) > 1:
        raise CommandError(f"「{text}」对应多个单位，请改用单位代码。")
    return units[0]


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户「{username}」不存在或已停用。")
    return user


class Command(BaseCommand):
    """Import, export and check 任免审批表 files."""

    help = "任免审批表文件：import（导入）、export（导出）、check（只读取并以 JSON 显示）。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入 .lrmx、.lrm（连同同名 .pic）或 .zip 文件，可指定目录")
        imp.add_argument("paths", nargs="+", metavar="PATH")
        imp.add_argument("--unit", help="新建干部所在单位（名称、简称或代码）")
        imp.add_argument("--as", dest="username", required=True, help="以哪个用户的身份导入（记入审计）")
        imp.add_argument("--yes", action="store_true", help="姓名和出生年月只匹配到一名干部时，视为同一人")
        exp = sub.add_parser("export", help="导出任免审批表文件到目录或 .zip")
        exp.add_argument("--out", required=True, help="目录，或以 .zip 结尾的文件名")
        exp.add_argument("--format", choices=FORMATS, default="lrmx")
        exp.add_argument("--reform", action="store_true", help="包含到龄年月和改革前任职年龄界限")
        exp.add_argument("--unit", help="只导出该单位（含下级单位）的干部")
        exp.add_argument("--id-number", action="append", default=[], help="只导出该身份证号的干部，可重复")
        exp.add_argument("--as", dest="username", help="按该用户的管理范围和查看权限导出")
        chk = sub.add_parser("check", help="只读取文件，以 JSON 显示读出的内容，不写入")
        chk.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "import":
            self._import(opts)
        elif action == "export":
            self._export(opts)
        else:
            self._check(opts)

    # ------------------------------------------------------------ import

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r导入 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _import(self, opts: dict[str, Any]) -> None:
        actor = _user(opts["username"])
        unit = _unit(opts["unit"]) if opts.get("unit") else None
        files = collect(opts["paths"])
        if not files:
            raise CommandError("没有找到 .lrmx、.lrm 或 .zip 文件。")
        outcomes = lrmx_import_batch(
            actor=actor,
            files=files,
            unit_id=unit.pk if unit else None,
            progress=self._progress,
            source="命令行导入",
            yes=opts["yes"],
        )
        self._summary(outcomes)
        if any(o.outcome in ("refused", "confirm") for o in outcomes):
            raise SystemExit(1)

    def _summary(self, outcomes: list[FileOutcome]) -> None:
        counts = Counter(o.outcome for o in outcomes)
        parts = [f"{label} {counts[key]}" for key, label in OUTCOME_LABELS.items()]
        self.stdout.write(f"共 {len(outcomes)} 个文件：" + "，".join(parts) + "。")
        for o in outcomes:
            if o.outcome in ("refused", "confirm"):
                self.stdout.write(f"  [{OUTCOME_LABELS[o.outcome]}] {o.filename}：{o.message}")
        if counts["confirm"]:
            self.stdout.write(MSG_CONFIRM_HINT)

    # ------------------------------------------------------------ export

    def _export(self, opts: dict[str, Any]) -> None:
        queryset = Cadre.objects.all()
        if opts.get("unit"):
            unit = _unit(opts["unit"])
            queryset = queryset.filter(unit__path__startswith=unit.path)
        if opts["id_number"]:
            queryset = queryset.filter(id_number__in=[n.strip().upper() for n in opts["id_number"]])
        queryset = queryset.order_by("unit__path", "name_pinyin", "pk")
        if opts.get("username"):
            records = records_for_cadres(user=_user(opts["username"]), cadres=queryset)
        else:
            records = [cadre_to_record(c) for c in cadres_with_record(queryset)]
        if not records:
            raise CommandError("没有符合条件的干部。")
        export = export_records(records, fmt=opts["format"], reform=opts["reform"])
        out = Path(opts["out"])
        if out.suffix.lower() == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(write_zip(export.with_note()))
        else:
            out.mkdir(parents=True, exist_ok=True)
            taken: set[str] = set()
            for name, data in export.entries:
                stem, dot, ext = name.rpartition(".")
                target, n = name, 1
                while target.lower() in taken:
                    n += 1
                    target = f"{stem}({n}){dot}{ext}"
                taken.add(target.lower())
                (out / target).write_bytes(data)
        self.stdout.write(f"已导出 {len(records) - len(export.problems)} 人的任免审批表到 {out}。")
        for problem in export.problems:
            self.stdout.write(f"  [未导出] {problem}")
        if export.problems:
            raise SystemExit(1)

    # ------------------------------------------------------------ check

    def _check(self, opts: dict[str, Any]) -> None:
        results = read_any(collect(opts["paths"]))
        shown = []
        for result in results:
            if result.parsed is None:
                shown.append({"file": result.filename, "error": result.error})
            else:
                shown.append({"file": result.filename, **as_json(result.parsed)})
        self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
        if any(r.parsed is None for r in results):
            raise SystemExit(1)
