"""Forms of the voting pages: ballot set-up, items, credential issue and the voter's code.

Forms only parse; ``ganbu.voting.services`` checks everything that depends on the ballot (its kind,
status and scope) and its ``ServiceError`` messages are put back with ``add_service_error``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from ganbu.accounts.models import User
from ganbu.registry.models import Unit
from ganbu.voting.choices import BallotKind, Channel, ItemAction

from .forms_common import StyledForm


class BallotForm(StyledForm):
    """A new ballot: kind, title, unit (from the user's scope), channel and counting settings."""

    kind = forms.ChoiceField(label="投票类型", choices=BallotKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    channel = forms.ChoiceField(label="投票方式", choices=Channel.choices, initial=Channel.ELECTRONIC)
    max_choices = forms.IntegerField(label="每票可推荐人数", min_value=1, max_value=99, initial=1)
    threshold = forms.CharField(
        label="不称职票比例阈值",
        max_length=20,
        required=False,
        help_text="民主测评中不称职票超过此比例即提示，可写作 3/10 或 0.3；留空则按投票当日有效的本县政策。",
    )
    approval_floor = forms.CharField(
        label="“优秀+称职”票比例下限",
        max_length=20,
        required=False,
        help_text="低于此比例即提示（如 2/3）；留空则按本县政策。",
    )
    expected_voters = forms.IntegerField(
        label="应到人数",
        min_value=1,
        max_value=100000,
        required=False,
        help_text="民主推荐、测评会议的应到人数；填写后计票时检查到会人数是否达到规定比例。",
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Why a queryset from the caller: the unit list is the user's scope, decided by a selector.
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units


class ItemForm(StyledForm):
    """One ballot item: cadre × post × action (committee), a cadre (evaluation), a post (recommendation)."""

    label = forms.CharField(label="事项名称", max_length=200, required=False)
    cadre = forms.IntegerField(label="干部", required=False, min_value=1)
    post = forms.IntegerField(label="职位", required=False, min_value=1)
    action = forms.ChoiceField(label="任免", choices=[("", "—"), *ItemAction.choices], required=False)
    reference = forms.CharField(
        label="参考人选",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一人；人数须多于职位数（差额）。",
    )
    posts = forms.IntegerField(label="职位数", min_value=1, max_value=99, initial=1)

    def reference_list(self) -> list[str]:
        """The reference names, one per non-empty line."""
        return [line.strip() for line in self.cleaned_data.get("reference", "").splitlines() if line.strip()]


class CredentialIssueForm(StyledForm):
    """How many one-time codes to print for one voter category (领导班子成员, 一般干部 ...)."""

    category = forms.CharField(label="投票人类别", max_length=50)
    count = forms.IntegerField(label="数量", min_value=1, max_value=500, initial=10)


class BallotNumberForm(forms.Form):
    """The ballot number a voter types on ``/vote/`` (it is printed on every slip)."""

    ballot = forms.IntegerField(label="投票编号", min_value=1)


class MemberAddForm(StyledForm):
    """A standing-committee member to put on the roster, present or not."""

    user = forms.ModelChoiceField(label="成员", queryset=User.objects.none())
    attended = forms.BooleanField(label="到会", required=False, initial=True)

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Why a queryset from the caller: who may sit on a committee vote is the voting selector's call.
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = candidates


class RecusalForm(StyledForm):
    """A member's recusal from one item, with the reason (DEC-06)."""

    voter = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    item = forms.IntegerField(label="事项", min_value=1)
    reason = forms.CharField(label="回避理由", max_length=300, required=False)
    recused = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)


class MeetingAttendanceForm(StyledForm):
    """The 应到 / 实到 counts of a recommendation or evaluation meeting."""

    expected = forms.IntegerField(label="应到人数", min_value=1, max_value=100000)
    present = forms.IntegerField(label="实到人数", min_value=0, max_value=100000)


class PaperCountForm(StyledForm):
    """Counts read off the paper ballots of one item: papers per position, issued and returned.

    ``positions`` are (key, label) pairs (同意/不同意/缓议 or the four grades); recommendation
    papers are entered one by one, so for them the form has only issued and returned.
    """

    compact = True
    issued = forms.IntegerField(label="发出票数", min_value=0, max_value=100000)
    returned = forms.IntegerField(label="收回票数", min_value=0, max_value=100000)

    def __init__(self, *args: Any, positions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.positions = positions
        for key, label in positions:
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100000, initial=0
            )
        self.style_widgets()

    def counts(self) -> dict[str, int]:
        """The counts per position, as the service expects them."""
        return {key: self.cleaned_data[f"count_{key}"] for key, _ in self.positions}


class BallotKeyForm(StyledForm):
    """How an electronic ballot's key is split when it opens: 监票人 holding a share, and how many count.

    Defaults: three 监票人, any two of whom can count — one lost slip loses nothing, no single
    holder can open the sheets (docs/decisions/0011-sealed-ballots.md).
    """

    compact = True
    key_holders = forms.IntegerField(label="监票人人数", min_value=1, max_value=9, initial=3)
    key_threshold = forms.IntegerField(label="计票时至少到场", min_value=1, max_value=9, initial=2)


class KeySharesForm(StyledForm):
    """One box per 监票人 for their key share at the count; any order, blanks skipped.

    The boxes are numbered so that a refusal ("第 2 份 …") points at the box to check.
    """

    def __init__(self, *args: Any, holders: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, holders + 1):
            self.fields[f"share_{n}"] = forms.CharField(
                label=f"第 {n} 份密钥份额",
                max_length=60,
                required=False,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
                ),
            )
        self.style_widgets()

    def shares(self) -> list[str]:
        """The shares as typed, in box order (blank boxes included; the service skips them)."""
        return [self.cleaned_data.get(name, "") for name in self.fields]
