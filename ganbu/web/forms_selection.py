"""Forms of the appointment procedure's pages: one per step, parsing only.

Every check that depends on the record, the rules or the data is the service's; its Chinese
messages (rule, article, fact) come back onto the form with ``add_service_error``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from ganbu.accounts.models import User
from ganbu.registry.models import Unit
from ganbu.selection.choices import REMINDER_ITEMS, CheckKind, OpinionAnswer, OpinionBody
from ganbu.voting.models import Ballot

from .forms_common import DATE_WIDGET, StyledForm

TEXTAREA = forms.Textarea(attrs={"rows": 3})
MAX_POSTS = 5
MAX_CHOICES = 8


def _team(value: str) -> list[str]:
    """Names separated by 、，, or spaces."""
    for sep in "，,、；;\n":
        value = value.replace(sep, " ")
    return [n for n in value.split() if n]


class ProposeForm(StyledForm):
    """动议: the target unit, the posts (picked on demand), the reason, and the route's flags."""

    unit = forms.ModelChoiceField(label="拟任单位", queryset=Unit.objects.none())
    title = forms.CharField(label="名称", max_length=200, help_text="如：县财政局副局长选拔任用")
    reason = forms.CharField(label="动议理由", widget=TEXTAREA)
    proposer = forms.CharField(label="提议人（单位）", max_length=100, initial="县委组织部")
    proposed_on = forms.DateField(label="动议日期", widget=DATE_WIDGET)
    announcement = forms.BooleanField(
        label="镇党政一把手或县直科局级一把手（任免通过后须第一时间公告提醒）", required=False
    )
    public_notice = forms.BooleanField(label="须任前公示", required=False, initial=True)
    notice_exemption = forms.CharField(label="免于公示的理由", max_length=300, required=False)
    exceptional = forms.BooleanField(label="破格提拔", required=False)
    exceptional_reason = forms.CharField(label="破格的具体情形和理由", max_length=300, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_POSTS + 1):
            self.fields[f"post_{n}"] = forms.IntegerField(label=f"拟任职位 {n}", required=n == 1, min_value=1)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        self.style_widgets()

    def post_ids(self) -> list[int]:
        """The chosen post ids, in order."""
        return [
            self.cleaned_data[f"post_{n}"]
            for n in range(1, MAX_POSTS + 1)
            if self.cleaned_data.get(f"post_{n}")
        ]


class TalkSurveyForm(StyledForm):
    """谈话调研推荐."""

    held_on = forms.DateField(label="谈话日期", widget=DATE_WIDGET)
    participants = forms.IntegerField(label="谈话人数", min_value=1)
    scope = forms.CharField(label="谈话范围", max_length=300)
    summary = forms.CharField(label="推荐情况", widget=TEXTAREA)


class BallotLinkForm(StyledForm):
    """A ballot to link: the list offers only ``offered``; any of ``ballots`` (kind, scope) is parsed.

    The wider parsing set lets the service judge a ballot that is no longer offered (a page left
    open while another record took it, a crafted request) and say why in its own words, on the form.
    """

    ballot = forms.ModelChoiceField(label="投票", queryset=Ballot.objects.none())

    def __init__(
        self,
        *args: Any,
        ballots: QuerySet[Ballot],
        offered: QuerySet[Ballot] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ballot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ballots
        if offered is not None:
            field.choices = [("", field.empty_label or ""), *((b.pk, str(b)) for b in offered)]
            if not field.choices[1:]:
                field.help_text = "没有为本纪实的拟任职位（考察对象）举行、且未被其他纪实关联的投票。"


class OnForm(StyledForm):
    """A step done on a day, with an optional note."""

    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    note = forms.CharField(label="说明", required=False, widget=TEXTAREA)


class CandidatesForm(StyledForm):
    """确定考察对象: up to eight rows of person (picked on demand) × post of the record."""

    on = forms.DateField(label="确定日期", widget=DATE_WIDGET)
    differential_reason = forms.CharField(
        label="突破本县差额比例的理由",
        max_length=300,
        required=False,
        help_text="考察对象人数不符合本县差额比例（含意见集中的等额考察）时填写。",
    )

    def __init__(self, *args: Any, posts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_CHOICES + 1):
            self.fields[f"cadre_{n}"] = forms.IntegerField(label=f"人选 {n}", required=False, min_value=1)
            self.fields[f"post_{n}"] = forms.TypedChoiceField(
                label="拟任职位",
                choices=posts,
                coerce=int,
                required=False,
                initial=posts[0][0] if posts else None,
            )
        self.style_widgets()

    def rows(self) -> list[tuple[int, int]]:
        """(cadre id, post id) of the filled rows."""
        out = []
        for n in range(1, MAX_CHOICES + 1):
            cadre, post = self.cleaned_data.get(f"cadre_{n}"), self.cleaned_data.get(f"post_{n}")
            if cadre and post:
                out.append((cadre, post))
        return out


class OverrideForm(StyledForm):
    """批准例外 (department leadership): one of the record's current findings, chosen in words; why.

    ``options`` are (value, words) of the findings the system made (``services.exception_options``);
    the value names whom it concerns and the rule, and is never shown. ``exception_cadre`` carries
    the person the leader looked up, so the same findings are offered again when the form is posted.
    """

    rule = forms.ChoiceField(label="审查意见", widget=forms.RadioSelect)
    exception_cadre = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = forms.CharField(label="理由", max_length=500, widget=TEXTAREA)
    approved_on = forms.DateField(label="批准日期", widget=DATE_WIDGET)
    higher_approval_ref = forms.CharField(
        label="上级组织部门批复文号（破格时必填）", max_length=100, required=False
    )

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = options
        field.widget.attrs["class"] = "form-check-input"
        field.error_messages["invalid_choice"] = "请从列表中选择本纪实当前的审查意见。"
        # Set by the page: the person looked up, whether a person may be looked up at this step,
        # the findings offered (``services.ExceptionOption``) and those nothing may lift.
        self.person: Any = None
        self.lookup = False
        self.options: list[Any] = []
        self.blocking: list[Any] = []

    def chosen(self) -> tuple[int | None, str]:
        """The chosen finding: the cadre's id (None for the record itself) and the rule."""
        cadre, _, rule = self.cleaned_data["rule"].partition(":")
        return (int(cadre) or None, rule)


class NoticeForm(StyledForm):
    """考察预告 or 任前公示: title, text, dates, contact (and the team for a 考察预告)."""

    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 6}))
    start_date = forms.DateField(label="起始日期", widget=DATE_WIDGET)
    end_date = forms.DateField(label="截止日期", widget=DATE_WIDGET)
    contact = forms.CharField(label="受理电话及地址", max_length=300, required=False)
    team = forms.CharField(
        label="考察组成员", max_length=300, required=False, help_text="用顿号分隔，至少两人。"
    )

    def team_names(self) -> list[str]:
        """The team members' names."""
        return _team(self.cleaned_data.get("team", ""))


class PublicNoticeForm(NoticeForm):
    """任前公示: the notice, and why it runs longer than the general maximum when it does.

    ``longer_allowed`` (the rule in force sets a general maximum: decisions before the 2014 条例,
    "一般为7—15天") shows the reason's box; the 2014/2019 条例 set no maximum.
    """

    length_reason = forms.CharField(
        label="公示期超过一般期限的理由",
        max_length=300,
        required=False,
        widget=TEXTAREA,
        help_text="2014年1月14日以前作出的决定，公示期一般为7—15天；超过15天的须写明理由。",
    )

    def __init__(self, *args: Any, longer_allowed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["team"]
        if not longer_allowed:
            del self.fields["length_reason"]


class InspectionStartForm(StyledForm):
    """Start the inspection."""

    team_leader = forms.CharField(label="考察组组长", max_length=50)
    team = forms.CharField(label="考察组成员", max_length=300, help_text="用顿号分隔，至少两人（含组长）。")
    started_on = forms.DateField(label="考察开始日期", widget=DATE_WIDGET)
    audit_required = forms.BooleanField(label="须事先进行经济责任审计", required=False)

    def team_names(self) -> list[str]:
        """The team members' names."""
        return _team(self.cleaned_data.get("team", ""))


class CheckForm(StyledForm):
    """One mandatory check of one candidate."""

    compact = True
    candidate = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    kind = forms.ChoiceField(label="事项", choices=CheckKind.choices)
    done_on = forms.DateField(label="完成日期", widget=DATE_WIDGET)
    result = forms.CharField(label="结论", max_length=500)


class InspectionDoneForm(StyledForm):
    """Finish the inspection."""

    finished_on = forms.DateField(label="考察结束日期", widget=DATE_WIDGET)
    interviews = forms.IntegerField(label="个别谈话人数", min_value=0)
    materials = forms.CharField(label="考察材料（综合分析意见）", widget=forms.Textarea(attrs={"rows": 5}))


class OpinionRequestForm(StyledForm):
    """Ask one body for its opinion."""

    body = forms.ChoiceField(label="征求意见单位", choices=OpinionBody.choices)
    body_name = forms.CharField(
        label="单位名称", max_length=100, required=False, help_text="留空则用类别名称。"
    )
    addressee = forms.ModelChoiceField(
        label="答复人（监督部门账号）",
        queryset=User.objects.none(),
        required=False,
        help_text="留空则由本部门登记书面答复。",
    )
    sent_on = forms.DateField(label="发出日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, addressees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["addressee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = addressees


class OpinionAnswerForm(StyledForm):
    """The body's answer."""

    answer = forms.ChoiceField(label="答复", choices=OpinionAnswer.choices, widget=forms.RadioSelect)
    answer_text = forms.CharField(label="意见", required=False, widget=TEXTAREA)
    answered_on = forms.DateField(label="答复日期", widget=DATE_WIDGET)


class DepartmentMeetingForm(StyledForm):
    """部务会: minutes and the proposed appointee per post (the caller passes the candidates)."""

    held_on = forms.DateField(label="部务会日期", widget=DATE_WIDGET)
    minutes = forms.CharField(label="部务会意见", widget=TEXTAREA)
    proposed = forms.MultipleChoiceField(label="任用建议人选", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposed"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = candidates


class CommitteePrepareForm(StyledForm):
    """The standing committee members who should attend (the roster)."""

    title = forms.CharField(label="票决名称", max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label="应到会常委", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members


class DecidedForm(StyledForm):
    """The day of the committee's decision."""

    decided_on = forms.DateField(label="常委会决定日期", widget=DATE_WIDGET)


class AnnouncementForm(StyledForm):
    """第一时间公告提醒."""

    announced_on = forms.DateField(label="宣布日期", widget=DATE_WIDGET)
    place = forms.CharField(label="宣布地点（会议）", max_length=200)
    announced_by = forms.CharField(label="宣布人", max_length=50)
    reminders = forms.MultipleChoiceField(
        label="已提醒并确认的事项", choices=REMINDER_ITEMS, widget=forms.CheckboxSelectMultiple
    )
    acknowledged_by = forms.CharField(label="提醒对象签字确认", max_length=200)


class AppointmentForm(StyledForm):
    """任职: the appointment document."""

    number = forms.CharField(label="文号", max_length=60)
    title = forms.CharField(label="文件标题", max_length=200)
    issued_on = forms.DateField(label="发文日期（任职通知日期）", widget=DATE_WIDGET)
    issuing_body = forms.CharField(label="发文机关", max_length=100, initial="中共示例县委")
    remove_current = forms.BooleanField(label="同时免去原任职务", required=False, initial=True)


class FeedbackForm(StyledForm):
    """任后反响."""

    collected_on = forms.DateField(label="报告日期", widget=DATE_WIDGET)
    sources = forms.CharField(label="收集范围", max_length=300)
    report = forms.CharField(label="书面报告", widget=forms.Textarea(attrs={"rows": 5}))


class ProbationForm(StyledForm):
    """试用期满结论."""

    probation = forms.TypedChoiceField(label="试用人", coerce=int, choices=[])
    confirmed = forms.TypedChoiceField(
        label="结论",
        choices=[("1", "胜任，正式任职"), ("0", "不胜任，免去试任职务")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    conclusion = forms.CharField(label="考核结论", widget=TEXTAREA)
    concluded_on = forms.DateField(label="结论日期", widget=DATE_WIDGET)
    evaluation_ballot = forms.ModelChoiceField(
        label="期满民主测评", queryset=Ballot.objects.none(), required=False
    )
    number = forms.CharField(label="免职文件文号（不胜任时）", max_length=60, required=False)
    title = forms.CharField(label="免职文件标题（不胜任时）", max_length=200, required=False)

    def __init__(
        self, *args: Any, ballots: QuerySet[Ballot], probations: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evaluation_ballot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ballots
        choice = self.fields["probation"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = probations


class WithdrawForm(StyledForm):
    """终止."""

    reason = forms.CharField(label="终止理由", max_length=300)
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
