"""``ganbu demo``: load the deterministic demo county 示例县 into an empty database.

A load killed half-way (``DemoLoad`` started, never finished) is found on the next run: with
``--if-empty`` (``make run``) or ``--reset`` the demo is cleared and loaded again when the database
holds only demo data on SQLite; otherwise the command stops and says exactly how to start clean.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ganbu.core.errors import ServiceError
from ganbu.demo.accounts import DEMO_PASSWORD
from ganbu.demo.generator import DEFAULT_SEED
from ganbu.demo.selectors import DemoState, demo_state
from ganbu.demo.services import DemoSummary, TrialCodes, demo_load, demo_reset, scale_for
from ganbu.demo.workflows import OpenBallotKey, WorkflowSummary

MSG_INTERRUPTED = "上次载入示例数据（{started} 开始）没有完成：数据库中只有部分示例数据。"
MSG_START_CLEAN_RESET = (
    "请运行 ganbu demo --reset（在项目目录中：.venv/bin/ganbu demo --reset）清除这些示例数据并重新载入。"
)
MSG_START_CLEAN_POSTGRES = (
    "PostgreSQL 数据库中的审计记录不允许删除，请删除并重新建立数据库后再载入："
    "dropdb 数据库名 && createdb 数据库名 && ganbu migrate && ganbu demo。"
)
MSG_START_CLEAN_OTHER = (
    "数据库中还有示例数据以外的内容（{users}），不能自动清除。"
    "请先备份（ganbu backup），再换用一个新的数据库（SQLite：移走 var/ganbu.sqlite3 后运行 make run）。"
)


class Command(BaseCommand):
    """Load 示例县 (about 3,000 cadres at scale 1.0) with one demo account per role."""

    help = "载入示例县演示数据（约 3000 名干部）及各角色演示账号。只能载入没有干部的数据库。"

    def add_arguments(self, parser: CommandParser) -> None:
        """``--if-empty``, ``--reset``, ``--scale`` or ``--cadres``, ``--seed`` and ``--site-url``."""
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有干部时什么也不做（供 make run 反复执行）。"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="清除数据库中的示例数据（例如上次载入中断留下的部分数据）后重新载入；"
            "只限仅有示例数据的 SQLite 数据库。",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="规模，1.0 约为 3000 名干部，2.0 约 6000 名。"
        )
        parser.add_argument(
            "--cadres",
            type=int,
            default=None,
            help="按干部人数指定规模（如 10000、100000、500000），代替 --scale；"
            "规模大于 1 时增加乡镇及其中心学校、卫生院，使领导职数随人数增长。",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="随机种子；相同种子生成完全相同的数据。"
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="打印投票页链接所用的网站地址（make run 传入 http://HOST:PORT），"
            "默认为 GANBU_PUBLIC_URL，未设置时为 http://127.0.0.1:8000。",
        )

    def handle(
        self,
        *args: Any,
        if_empty: bool,
        scale: float,
        seed: int,
        cadres: int | None = None,
        site_url: str = "",
        reset: bool = False,
        **options: Any,
    ) -> None:
        """Load the demo (or skip with --if-empty, or clear and reload) and print progress and a summary."""
        state = demo_state()
        if state.interrupted:
            self.stdout.write(self.style.WARNING(MSG_INTERRUPTED.format(started=state.started_at)))
            if not (reset or if_empty) or not (state.sqlite and state.only_demo):
                raise CommandError(self._how_to_start_clean(state))
            reset = True
        elif if_empty and state.cadres:
            self.stdout.write(f"数据库中已有 {state.cadres} 名干部，不再载入示例数据。")
            return
        load = demo_reset if reset else demo_load
        if reset:
            self.stdout.write("正在清除示例数据……")
        self._started = time.perf_counter()
        if cadres is not None:
            scale = scale_for(cadres)
        self.stdout.write(f"正在载入示例县（规模 {scale:g}，随机种子 {seed}）……")
        try:
            summary = load(
                actor=None,
                scale=scale,
                seed=seed,
                progress=self._progress,
                workflow_progress=self._workflow_progress,
            )
        except ServiceError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self._summary(summary)
        if summary.workflows is not None:
            self._workflow_summary(summary.workflows)
        if summary.workflows_skipped:
            self.stdout.write(self.style.WARNING(summary.workflows_skipped))
        if summary.trial is not None:
            site = site_url or str(getattr(settings, "GANBU_PUBLIC_URL", "")) or "http://127.0.0.1:8000"
            self._trial(summary.trial, site.rstrip("/"))
        if summary.workflows is not None:
            for key in summary.workflows.open_keys:
                self._key_shares(key)

    def _how_to_start_clean(self, state: DemoState) -> str:
        """Exactly what to run to start clean, for this database."""
        if not state.only_demo:
            return MSG_START_CLEAN_OTHER.format(
                users="、".join(state.other_users) or "无法确认全部为示例数据"
            )
        if not state.sqlite:
            return MSG_START_CLEAN_POSTGRES
        return MSG_START_CLEAN_RESET

    def _elapsed(self) -> str:
        """Seconds since the load started, for the progress lines (a large load shows where time goes)."""
        started = getattr(self, "_started", None)
        if started is None:
            started = self._started = time.perf_counter()
        return f"{time.perf_counter() - started:.1f} 秒"

    def _progress(self, step: int, steps: int, label: str) -> None:
        """One line per stage, so a slow machine shows it is working."""
        self.stdout.write(f"  [{step:>2}/{steps}] {label}（{self._elapsed()}）")
        self.stdout.flush()

    def _workflow_progress(self, step: int, steps: int, label: str) -> None:
        """One line per stage of the workflows, numbered apart from the registry's stages."""
        self.stdout.write(f"  [流程 {step}/{steps}] {label}（{self._elapsed()}）")
        self.stdout.flush()

    def _workflow_summary(self, w: WorkflowSummary) -> None:
        """The counts of the workflows, in Chinese."""

        def counts(rows: tuple[tuple[str, int], ...]) -> str:
            """``label n、label n`` for one line of the summary."""
            return "、".join(f"{label} {n}" for label, n in rows)

        self.stdout.write(self.style.SUCCESS(f"演示流程已载入（用时 {w.seconds:.1f} 秒）："))
        lines = [
            f"投票 {sum(n for _, n in w.ballots)} 次（{counts(w.ballots)}），投票 {w.cast} 张",
            f"选拔任用纪实 {sum(n for _, n in w.records)} 条（{counts(w.records)}）",
            f"能上能下 {sum(n for _, n in w.exits)} 人次（{counts(w.exits)}），不称职调整程序 {w.cases} 件，"
            f"未结束的审计或调查 {w.open_proceedings} 件，补录退休干部档案 {w.prepared_cadres} 份",
            f"竞争性选拔 {sum(n for _, n in w.campaigns)} 次（{counts(w.campaigns)}），"
            f"报名 {w.applications} 人次，面试评分表 {w.panel_sheets} 份",
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
        if not w.notice_current:
            self.stdout.write(
                self.style.WARNING(
                    "工作日历不包含今天所在年份的节假日安排，任前公示无法安排在今天进行；"
                    "请系统管理员录入该年的节假日安排。"
                )
            )

    def _cadres(self, s: DemoSummary) -> str:
        """The head counts as the dashboard shows them (after the workflows), else the generated ones."""
        if s.structure is None:
            return (
                f"干部 {s.cadres} 名：在职 {s.serving} 名，女干部 {s.women} 名，"
                f"担任领导职务 {s.leaders} 名，后备干部 {s.reserve_cadres} 名"
            )
        t = s.structure
        women = dict(t.by_gender).get("女", 0)
        return (
            f"干部 {t.total} 名：在职 {t.serving} 名，其中女干部 {women} 名、担任领导职务 {t.leaders} 名，"
            f"后备干部 {t.reserve} 名（与首页统计一致）"
        )

    def _trial(self, trial: TrialCodes, site: str) -> None:
        """The voting codes for trying the voter page, with the page's address."""
        self.stdout.write(
            self.style.SUCCESS(
                f"试一试投票：「{trial.title}」正在进行，以下投票码（{trial.category}）各可投一次："
            )
        )
        for code in trial.codes:
            self.stdout.write(f"  {code}")
        self.stdout.write(
            f"  打开 {site}/vote/{trial.ballot_id}/ 输入投票码即可投票，无需登录。"
            "投票码只在此显示一次；需要更多时，以 zzb 登录，在该投票页面「发放投票码」。"
        )

    def _key_shares(self, key: OpenBallotKey) -> None:
        """The 监票人's key shares of a demo ballot left open, so that it can be counted after closing."""
        self.stdout.write(
            self.style.SUCCESS(
                f"监票人密钥份额：「{key.title}」结束投票后，在计票页面任意输入其中 {key.threshold} 份"
                "即可计票（演示专用；正式投票时份额只在开始投票时打印一次，系统不保存）："
            )
        )
        for share in key.shares:
            # Spaces, not dashes, between the groups: the page accepts both.
            self.stdout.write(f"  {share.replace('-', ' ')}")

    def _summary(self, s: DemoSummary) -> None:
        """The counts of what was loaded, in Chinese."""
        self.stdout.write(self.style.SUCCESS(f"示例县已载入（用时 {s.seconds:.1f} 秒）："))
        lines = [
            f"单位 {s.units} 个：县直单位 {s.county_units} 个，镇 {s.towns} 个，"
            f"县林业局林业站 {s.forestry_stations} 个",
            f"职位 {s.posts} 个，职数 {s.quotas} 条",
            self._cadres(s),
            f"任免文件 {s.documents} 份（任免事项 {s.document_items} 项），任职记录 {s.tenures} 条，"
            f"职级记录 {s.rank_records} 条",
            f"简历 {s.resume_entries} 条，家庭成员 {s.family_members} 人（其中本身是在册干部的 "
            f"{s.related_family_members} 人），年度考核 {s.assessments} 条，奖惩 {s.rewards_sanctions} 条",
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
        if s.accounts_created:
            self.stdout.write(
                f"演示账号：{'、'.join(s.accounts_created)}，初始密码均为 {DEMO_PASSWORD}"
                "（运行 ganbu accounts 查看）。"
            )
        if s.accounts_skipped:
            self.stdout.write(
                self.style.WARNING(f"以下用户名已存在，未创建也未改动：{'、'.join(s.accounts_skipped)}。")
            )
