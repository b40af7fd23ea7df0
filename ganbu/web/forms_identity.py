"""The form that settles an identity conflict on a campaign's review page: parsing only.

Which record is the person the ID number names, how their identity document was checked, and why;
``services.identity_conflict_resolve`` decides whether that may be done, and its messages come back
onto the form with ``add_service_error`` (docs/decisions/0010-applicant-identity.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from ganbu.campaigns.portal_selectors import ConflictClaim
from ganbu.campaigns.services import IDENTITY_BASES

from .forms_campaigns import ChoiceStyledForm


def claim_label(claim: ConflictClaim) -> str:
    """A record as staff choose it: the name, where it came from, its ticket here or where it applied."""
    where = f"准考证号 {claim.application.ticket}" if claim.application else "未报名本次选拔"
    return f"{claim.applicant.name}（{claim.source}；{where}；{claim.applicant.get_identity_display()}）"


class IdentityResolveForm(ChoiceStyledForm):
    """核定身份: keep one record as the ID number's holder; the others are marked 未予认定."""

    keep = forms.TypedChoiceField(
        label="认定为本人的报名记录", coerce=int, choices=(), widget=forms.RadioSelect
    )
    basis = forms.ChoiceField(
        label="核验身份证件的方式",
        choices=[("", "（已核验或以干部档案为准的，不必选择）"), *IDENTITY_BASES.items()],
        required=False,
    )
    reason = forms.CharField(
        label="核定理由",
        max_length=300,
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "核验了什么、如何认定；将写入其他报名的审查意见"}
        ),
    )

    def __init__(self, *args: Any, claims: Sequence[ConflictClaim], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claims = list(claims)
        keep = self.fields["keep"]
        assert isinstance(keep, forms.TypedChoiceField)
        keep.choices = [(c.applicant.pk, claim_label(c)) for c in self.claims]

    def chosen(self) -> ConflictClaim:
        """The record chosen (only after ``is_valid``)."""
        keep = self.cleaned_data["keep"]
        return next(c for c in self.claims if c.applicant.pk == keep)
