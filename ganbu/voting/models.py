"""Ballots, their rosters and credentials, and the sheets cast — secret by construction.

The secrecy design (issue #3): "who may vote / has voted" and "what was voted" live in separate
tables with no path between them.

* ``Voter``, ``Credential`` and ``Participation`` know who (a member) or which slip (a credential
  hash) took part; none of them has a field pointing at ``Sheet``.
* ``Sheet`` holds what was voted: ballot, voter category, content and a random receipt. It
  has no voter, no credential, no user, no sequential id (the primary key is a random UUID) and
  no timestamp, and it is ordered by that random key, so neither a join nor the order of rows
  nor a clock can tie a sheet to the person or slip that cast it — not even for someone with
  full database access.
* Credentials store only the SHA-256 of the code; the code itself is shown once when issued.
* While an electronic ballot is open, what was voted exists only as ``SealedSheet`` rows: the
  content, the receipt and the voter category encrypted to the ballot's public key, padded to one
  length. The private key is split among the 监票人 (``ganbu.voting.sealing``) and never stored, so
  the transaction id a sealed sheet shares with the participation or credential row written with
  it links a voter to ciphertext nobody can read. At the count the sheets are opened in memory and
  written as plaintext ``Sheet`` rows, shuffled, by the count's own transaction; the sealed rows are
  deleted and their dead versions vacuumed (docs/decisions/0011-sealed-ballots.md).

Workflow state changes only through ``ganbu.voting.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .choices import BallotKind, BallotStatus, Channel, ItemAction


class Ballot(models.Model):
    """One vote: a recommendation, an evaluation or a committee vote, with its settings.

    ``threshold`` is the 不称职 share above which an evaluation flags a cadre (EVAL-10, local
    policy; a fraction or decimal string such as ``3/10`` or ``0.3``) and ``approval_floor`` the
    优秀+称职 share below which it is flagged; blank means "the county policy in force on the day
    the vote opened" (``ganbu.policy``), a value is this ballot's own setting. ``min_category_size``
    suppresses per-category results of categories with fewer sheets, so a category of one or
    two voters cannot be read off the result. ``expected_voters`` / ``present_voters`` are the
    meeting's 应到 / 实到 counts of a mass ballot: with them the count checks the meeting quorum
    (REC-09) and that no more ballots came back than voters were present.
    """

    kind = models.CharField("投票类型", max_length=20, choices=BallotKind.choices)
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态", max_length=20, choices=BallotStatus.choices, default=BallotStatus.DRAFT, db_index=True
    )
    channel = models.CharField("投票方式", max_length=20, choices=Channel.choices, default=Channel.ELECTRONIC)
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="ballots"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    opened_at = models.DateTimeField("开始投票时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束投票时间", null=True, blank=True)
    tallied_at = models.DateTimeField("计票时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField("每票可推荐人数", default=1)
    threshold = models.CharField("不称职票比例阈值", max_length=20, blank=True, default="")
    approval_floor = models.CharField("优秀+称职票比例下限", max_length=20, blank=True, default="")
    expected_voters = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present_voters = models.PositiveIntegerField("实到人数", null=True, blank=True)
    min_category_size = models.PositiveSmallIntegerField("分类结果最少票数", default=3)
    category_weights = models.JSONField("测评人类别权重", default=dict, blank=True)
    # The ballot key (electronic ballots, set when the vote opens): only the public half is stored;
    # the private half is split into ``key_holders`` shares for the 监票人, ``key_threshold`` of
    # which are entered at the count. ``purged_at``: when the count verified that no dead row
    # version of a sealed sheet, participation or credential is left (PostgreSQL).
    public_key = models.CharField("选票加密公钥", max_length=64, blank=True, default="")
    key_holders = models.PositiveSmallIntegerField("监票人密钥份数", default=0)
    key_threshold = models.PositiveSmallIntegerField("计票所需密钥份数", default=0)
    purged_at = models.DateTimeField("旧版本清除时间", null=True, blank=True)

    class Meta:
        verbose_name = "投票"
        verbose_name_plural = "投票"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class BallotItem(models.Model):
    """What is voted on: a cadre × post × action (committee), a cadre (evaluation), a post (recommendation).

    For a recommendation ``reference`` is the reference list (names or cadre keys, as strings)
    and ``posts`` the number of posts; the list must be longer than ``posts`` (REC-04).
    """

    ballot = models.ForeignKey(Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="items")
    sort_order = models.PositiveSmallIntegerField("序号", default=0)
    label = models.CharField("事项", max_length=200, blank=True)
    cadre = models.ForeignKey(
        "registry.Cadre",
        verbose_name="干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    post = models.ForeignKey(
        "registry.Post",
        verbose_name="职位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("任免", max_length=20, choices=ItemAction.choices, blank=True)
    reference = models.JSONField("参考人选", default=list, blank=True)
    posts = models.PositiveSmallIntegerField("职位数", default=1)

    class Meta:
        verbose_name = "投票事项"
        verbose_name_plural = "投票事项"
        ordering = ["ballot", "sort_order", "id"]

    def __str__(self) -> str:
        return self.label or f"第 {self.sort_order} 项"


class Voter(models.Model):
    """A member on the roster of a committee vote, frozen when the ballot opens.

    ``attended`` records attendance (实到); ``recused_items`` the items this member must stay
    out of (DEC-06: kinship with the candidate). Mass ballots have no named voters: their
    voters are credential holders known only by category.
    """

    ballot = models.ForeignKey(Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="成员", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("类别", max_length=50, blank=True)
    attended = models.BooleanField("到会", default=False)
    recused_items: models.ManyToManyField[BallotItem, Recusal] = models.ManyToManyField(
        BallotItem, verbose_name="回避事项", blank=True, related_name="recused_voters", through="Recusal"
    )

    class Meta:
        verbose_name = "投票成员"
        verbose_name_plural = "投票成员"
        constraints = [models.UniqueConstraint(fields=["ballot", "user"], name="voting_voter_unique")]

    def __str__(self) -> str:
        return str(self.user)


class Recusal(models.Model):
    """A member kept out of one agenda item (DEC-06), and why: entered by staff or found by the kinship check.

    ``automatic`` rows are written when the vote opens, from the family records of the member's and
    the candidate's cadre files (AVD-02 relation classes); ``reason`` names the tie.
    """

    voter = models.ForeignKey(Voter, verbose_name="成员", on_delete=models.CASCADE, related_name="recusals")
    item = models.ForeignKey(
        BallotItem, verbose_name="事项", on_delete=models.CASCADE, related_name="recusals"
    )
    reason = models.CharField("回避理由", max_length=300, blank=True)
    automatic = models.BooleanField("系统自动判定", default=False)

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"
        constraints = [models.UniqueConstraint(fields=["voter", "item"], name="voting_recusal_once")]

    def __str__(self) -> str:
        return f"{self.voter} 回避 {self.item}"


class Credential(models.Model):
    """A one-time voting code of a mass ballot. Only the SHA-256 of the code is stored.

    No field links a credential to the sheet it was used for: consuming it only flips ``used``.
    """

    ballot = models.ForeignKey(
        Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="credentials"
    )
    category = models.CharField("投票人类别", max_length=50)
    code_hash = models.CharField("投票码哈希", max_length=64, unique=True)
    used = models.BooleanField("已使用", default=False)

    class Meta:
        verbose_name = "投票码"
        verbose_name_plural = "投票码"

    def __str__(self) -> str:
        return f"投票码（{self.category}）"


class Participation(models.Model):
    """ "This member has voted on this item" — kept apart from what they voted.

    The primary key is a random UUID so the order in which members voted is not recorded either.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="participations"
    )
    voter = models.ForeignKey(Voter, verbose_name="成员", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(BallotItem, verbose_name="事项", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["voter", "item"], name="voting_participation_once"),
        ]

    def __str__(self) -> str:
        return "已投票"


class Sheet(models.Model):
    """One cast ballot in clear — anonymous by construction (see the module docstring).

    A mass ballot's cast (or one paper recommendation ballot) is one row answering every item; a
    committee member's cast on one item is one row answering that item. ``content`` maps each item
    answered (its id, as text) to the answer: ``{"choice": ...}`` (committee), ``{"grade": ...}``
    (evaluation) or ``{"choices": [...]}`` (recommendation) — exactly what the sealed sheet held.
    There is no column naming an item: the items are in the content, and a row per cast rather than
    per cast and item keeps the count's writes twenty times fewer on a twenty-item ballot (issue
    13). ``receipt`` is the random code returned to the voter and published after the count.

    Electronic sheets are written only by the count, from the opened ``SealedSheet`` rows, in
    random order and in the count's transaction; paper recommendation sheets by the 计票人 (no
    receipt). Sheets stored per item before migration 0007 were merged by receipt; paper ones,
    which carry none, stayed one row per item.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="sheets")
    category = models.CharField("投票人类别", max_length=50)
    content = models.JSONField("内容")
    # Not indexed: nothing looks a sheet up by its receipt (the published list reads a ballot's
    # sheets by ballot), and the count writes every sheet — two index trees fewer to fill (issue 13).
    receipt = models.CharField("回执码", max_length=32)

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        ordering = ["id"]

    def __str__(self) -> str:
        return "选票"


class SealedSheet(models.Model):
    """One cast, sealed: the content, receipt and voter category encrypted to the ballot's public key.

    A mass ballot's cast is one sealed sheet answering every item; a committee member's cast is one
    per item. Only the ballot is in clear — not the item, the category, the receipt or a time — and
    every sealed sheet of a ballot has the same length. The primary key is a random UUID. At the
    count the sealed sheets are opened in memory, written as shuffled ``Sheet`` rows and deleted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="sealed_sheets"
    )
    sealed = models.BinaryField("密封选票")

    class Meta:
        verbose_name = "密封选票"
        verbose_name_plural = "密封选票"
        ordering = ["id"]

    def __str__(self) -> str:
        return "密封选票"


class PaperCount(models.Model):
    """Per-item counts from paper ballots, entered by one staff member (计票) and confirmed by another (监票).

    ``void`` is set on confirmation when more papers came back than were issued; ``reasons``
    then says why (BALLOT-RETURN).
    """

    ballot = models.ForeignKey(
        Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="paper_counts"
    )
    item = models.ForeignKey(BallotItem, verbose_name="事项", on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField("计票结果")
    issued = models.PositiveIntegerField("发出票数")
    returned = models.PositiveIntegerField("收回票数")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="计票人", on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="监票人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void = models.BooleanField("作废", default=False)
    reasons = models.JSONField("理由", default=list, blank=True)

    class Meta:
        verbose_name = "纸质计票"
        verbose_name_plural = "纸质计票"
        constraints = [models.UniqueConstraint(fields=["ballot", "item"], name="voting_papercount_unique")]

    def __str__(self) -> str:
        return f"纸质计票：{self.item}"


class BallotResult(models.Model):
    """The tally of one item, as computed by ``ganbu.rules.tally``, with the rules it applied."""

    ballot = models.ForeignKey(Ballot, verbose_name="投票", on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(BallotItem, verbose_name="事项", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField("结果")

    class Meta:
        verbose_name = "计票结果"
        verbose_name_plural = "计票结果"
        ordering = ["item__sort_order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "item"], name="voting_result_unique")]

    def __str__(self) -> str:
        return f"计票结果：{self.item}"
