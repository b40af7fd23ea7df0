"""Forms of the public campaign pages (registration), of the applicant portal and of the judges' sheets.

Forms only parse. ``ganbu.campaigns.portal.applicant_register`` decides (the registration period,
the choices, the account, the password validators, the attachments, the rate limit) and
``ganbu.campaigns.services.panel_sheet_submit`` the sheets; their ``ServiceError`` messages are put
back on the form. The registration form also checks the ID number against the birth date and the
gender typed, which the service checks again, so that a typing mistake is shown without being
counted against the hourly limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from ganbu.campaigns.models import Applicant, CampaignPost
from ganbu.campaigns.portal import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, NewAccount, Upload
from ganbu.campaigns.portal_selectors import Criterion
from ganbu.campaigns.services import ApplicantData
from ganbu.registry.choices import AssessmentGrade, Education, Gender, PoliticalStatus, Rank
from ganbu.rules.idcard import IdNumberError, parse_id_number

from .forms_common import DATE_WIDGET, StyledForm, add_service_error

MSG_PASSWORDS_DIFFER = "两次输入的密码不一致。"
MSG_ID_MISMATCH = "身份证号中的出生日期或性别与所填不符。"
MSG_RANK_SINCE = "填写了任现职级时间，请同时选择现职级。"
MSG_PHONE = "请填写有效的电话号码（数字，可含 -、空格和括号）。"
_PHONE = re.compile(r"^\+?[\d\s\-()（）]{7,30}$")
# The annual ratings an applicant may declare (不定等次 is not a rating the rules read).
RATINGS = [(g.value, g.label) for g in AssessmentGrade if g != AssessmentGrade.UNGRADED]


class MultipleFileInput(forms.FileInput):
    """A file input that lets the browser send several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files (``[]`` when none): Django's documented pattern for ``multiple``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        """Each file cleaned as a single one; no file is an empty list."""
        files = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [single(f, initial) for f in files if f]


def read_upload(upload: UploadedFile) -> Upload:
    """The file's name and its first ``MAX_ATTACHMENT_BYTES + 1`` bytes (enough to see it is too big)."""
    upload.seek(0)
    return Upload(name=upload.name or "", data=upload.read(MAX_ATTACHMENT_BYTES + 1))


class RegistrationForm(StyledForm):
    """The public registration: choices, the declared facts, attachments, and a new login when needed.

    ``new_account`` adds the username and the password typed twice (an applicant signed in with
    their own login registers without them); ``check_only`` parses just the facts, for the
    「核对报名条件」 button, which writes nothing.
    """

    first_choice = forms.ChoiceField(label="第一志愿（报考职位）")
    second_choice = forms.ChoiceField(label="第二志愿", required=False)

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("", "请选择"), *Gender.choices])
    birth_date = forms.DateField(label="出生日期", widget=DATE_WIDGET)
    id_number = forms.CharField(
        label="身份证号",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
        help_text="18 位居民身份证号码，末位 X 大小写均可。",
    )
    political_status = forms.ChoiceField(label="政治面貌", choices=[("", "请选择"), *PoliticalStatus.choices])
    education = forms.ChoiceField(label="学历", choices=[("", "请选择"), *Education.choices])
    work_start_date = forms.DateField(label="参加工作时间", widget=DATE_WIDGET)
    rank = forms.ChoiceField(label="现职级", choices=[("", "无"), *Rank.choices], required=False)
    rank_since = forms.DateField(label="任现职级时间", widget=DATE_WIDGET, required=False)
    unit_name = forms.CharField(label="工作单位", max_length=100)
    post_text = forms.CharField(label="现任职务", max_length=100, required=False)
    last_year_rating = forms.ChoiceField(
        label="上一年度考核等次", choices=[("", "未考核或不适用"), *RATINGS], required=False
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=(
            f"学历学位证书、任职文件等的扫描件或照片：PDF、JPG 或 PNG 格式，最多 {MAX_ATTACHMENTS} 个，"
            f"每个不超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB。可一次选择多个文件。"
        ),
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        help_text="登录「我的报名」用。可用字母、数字、汉字和 @ . + - _；请不要使用身份证号。",
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，不能是纯数字或常见密码。",
    )
    password_again = forms.CharField(
        label="再次输入密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    ACCOUNT_FIELDS = ("username", "password", "password_again")
    FACT_FIELDS = (
        "name",
        "gender",
        "birth_date",
        "id_number",
        "political_status",
        "education",
        "work_start_date",
        "rank",
        "rank_since",
        "unit_name",
        "post_text",
        "last_year_rating",
        "phone",
    )

    def __init__(
        self,
        *args: Any,
        posts: Sequence[CampaignPost],
        allow_second_choice: bool,
        new_account: bool,
        check_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.posts = {str(p.pk): p for p in posts}
        choices = [("", "请选择"), *((str(p.pk), f"{p.post}（{p.places} 名）") for p in posts)]
        first, second = self.fields["first_choice"], self.fields["second_choice"]
        assert isinstance(first, forms.ChoiceField) and isinstance(second, forms.ChoiceField)
        first.choices = choices
        second.choices = [("", "不填报"), *choices[1:]]
        if not allow_second_choice:
            del self.fields["second_choice"]
        if not new_account or check_only:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]
        if check_only:
            del self.fields["attachments"]
            self.fields["first_choice"].required = False

    def clean_id_number(self) -> str:
        """The number as typed, without spaces; its validity is checked in ``clean``."""
        return str(self.cleaned_data["id_number"]).replace(" ", "").strip()

    def clean_phone(self) -> str:
        """A plausible telephone number."""
        phone = str(self.cleaned_data["phone"]).strip()
        if not _PHONE.fullmatch(phone):
            raise ValidationError(MSG_PHONE)
        return phone

    def clean(self) -> dict[str, Any]:
        """The passwords match; the ID number fits the birth date and gender; a rank date has a rank."""
        data = super().clean() or {}
        if "password" in self.fields and data.get("password") != data.get("password_again"):
            self.add_error("password_again", MSG_PASSWORDS_DIFFER)
        id_number = data.get("id_number")
        if id_number:
            try:
                parsed = parse_id_number(id_number)
            except IdNumberError as exc:
                self.add_error("id_number", str(exc))
            else:
                typed = (data.get("birth_date"), data.get("gender"))
                if all(typed) and typed != (parsed.birth_date, parsed.gender):
                    self.add_error("id_number", MSG_ID_MISMATCH)
        if data.get("rank_since") and not data.get("rank"):
            self.add_error("rank", MSG_RANK_SINCE)
        return data

    def applicant_data(self) -> ApplicantData:
        """The declared facts, as the services take them."""
        d = self.cleaned_data
        return ApplicantData(
            name=d["name"].strip(),
            gender=d["gender"],
            birth_date=d["birth_date"],
            id_number=d["id_number"],
            political_status=d["political_status"],
            education=d["education"],
            work_start_date=d["work_start_date"],
            rank=d.get("rank") or "",
            rank_since=d.get("rank_since"),
            unit_name=d["unit_name"],
            post_text=d.get("post_text") or "",
            last_year_rating=d.get("last_year_rating") or "",
            phone=d["phone"],
        )

    def choices(self) -> tuple[CampaignPost, CampaignPost | None]:
        """The first and (if any) second choice as posts of the campaign."""
        second = self.cleaned_data.get("second_choice") or ""
        return self.posts[self.cleaned_data["first_choice"]], self.posts.get(second)

    def account(self) -> NewAccount | None:
        """The new login typed on the form, or ``None`` for an applicant already signed in."""
        if "username" not in self.fields:
            return None
        return NewAccount(username=self.cleaned_data["username"], password=self.cleaned_data["password"])

    def uploads(self) -> list[Upload]:
        """The attached files, read (bounded) for the service's checks."""
        return [read_upload(f) for f in self.cleaned_data.get("attachments") or []]

    @staticmethod
    def initial_from(applicant: Applicant | None) -> dict[str, Any]:
        """The facts an applicant declared last time, to start their next registration from."""
        if applicant is None:
            return {}
        return {name: getattr(applicant, name) for name in RegistrationForm.FACT_FIELDS}


class WithdrawForm(StyledForm):
    """The applicant's own withdrawal: a confirmation and, if they wish, the reason."""

    reason = forms.CharField(
        label="退出原因（可不填）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label="我确认退出本次报名，退出后不能恢复。")


class NominationForm(StyledForm):
    """A self-service cadre's application (个人自荐): the post, and a second choice where allowed.

    The facts come from the cadre's own record, so there is nothing else to fill in.
    """

    first_choice = forms.TypedChoiceField(label="第一志愿", coerce=int)
    second_choice = forms.TypedChoiceField(
        label="第二志愿（可不填）", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, posts: Sequence[CampaignPost], allow_second: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(cp.pk, str(cp.post)) for cp in posts]
        self.posts = {cp.pk: cp for cp in posts}
        first = self.fields["first_choice"]
        assert isinstance(first, forms.TypedChoiceField)
        first.choices = [("", "请选择职位"), *options]
        if allow_second:
            second = self.fields["second_choice"]
            assert isinstance(second, forms.TypedChoiceField)
            second.choices = [("", "不填"), *options]
        else:
            del self.fields["second_choice"]

    def chosen(self) -> tuple[CampaignPost, CampaignPost | None]:
        """The posts chosen (after ``is_valid``)."""
        second = self.cleaned_data.get("second_choice")
        return self.posts[self.cleaned_data["first_choice"]], self.posts.get(second) if second else None


class SheetForm(StyledForm):
    """A judge's scores for one candidate: one number per criterion, in the field ``c_<key>``."""

    def __init__(self, *args: Any, criteria: Sequence[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for n, c in enumerate(self.criteria):
            attrs = {
                "inputmode": "decimal",
                "step": "0.01",
                "min": "0",
                "max": str(c.maximum),
                "class": "form-control form-control-lg sheet-score",
                "autocomplete": "off",
            }
            if n == 0:
                attrs["autofocus"] = "autofocus"
            self.fields[f"c_{c.key}"] = forms.CharField(
                label=f"{c.label}（满分 {c.maximum_text}）",
                max_length=12,
                widget=forms.NumberInput(attrs=attrs),
            )
        self.style_widgets()

    @staticmethod
    def initial_for(own: dict[str, str] | None) -> dict[str, str]:
        """The judge's saved sheet as the form's initial values."""
        return {f"c_{key}": value for key, value in (own or {}).items()}

    def scores(self) -> dict[str, str]:
        """The typed scores by criterion key, for ``panel_sheet_submit``."""
        return {c.key: self.cleaned_data[f"c_{c.key}"] for c in self.criteria}

    def add_service_error(self, exc: ValidationError) -> None:
        """The service names criteria by their key: put its messages on the matching fields."""
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                field = f"c_{key}"
                self.add_error(field if field in self.fields else None, messages)
        else:
            add_service_error(self, exc)
