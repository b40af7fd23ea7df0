"""Registry services: the only code that writes registry data.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
re-checks the actor's scope inside it and writes an audit event. Errors are ``ServiceError`` with
Chinese messages; nothing is written when one is raised.

The services live in topic modules (units and posts, cadres, 任免文件, parts of the record,
corrections, roster column sets); this package re-exports them, so callers import
``ganbu.registry.services`` and never a topic module.
"""

from __future__ import annotations

from ._common import MSG_NO_EDIT, MSG_OUT_OF_SCOPE
from .cadres import (
    CADRE_FIELDS,
    MSG_ID_BIRTH_MISMATCH,
    MSG_ID_DUPLICATE,
    MSG_ID_GENDER_MISMATCH,
    cadre_check,
    cadre_create,
    cadre_create_within,
    cadre_status_set_within,
    cadre_update,
    cadre_update_within,
)
from .column_sets import (
    MSG_COLUMN_SET_EMPTY,
    MSG_COLUMN_SET_NAME,
    MSG_COLUMN_SET_NOT_FOUND,
    roster_column_set_delete,
    roster_column_set_save,
)
from .corrections import (
    CORRECTABLE_FIELDS,
    MSG_CORRECTION_CLOSED,
    MSG_CORRECTION_FIELD,
    correction_review,
    correction_submit,
)
from .documents import (
    MSG_DOCUMENT_EMPTY,
    MSG_DOCUMENT_NUMBER_TAKEN,
    MSG_ITEM_NEEDS_POST,
    MSG_ITEM_NEEDS_RANK,
    MSG_NO_CURRENT_TENURE,
    MSG_TENURE_OVERLAP,
    ItemInput,
    cadre_refresh_derived,
    document_issue,
    document_issue_within,
)

# The demo loader's test compares its derived fields with the registry's own computation.
from .documents import _refresh_derived as _refresh_derived
from .record_parts import (
    MSG_ASSESSMENT_EXISTS,
    MSG_FAMILY_SELF,
    MSG_REWARD_NAME,
    assessment_record,
    assessment_record_within,
    family_member_delete,
    family_member_save,
    reserve_add,
    reserve_add_within,
    reserve_end,
    resume_entry_delete,
    resume_entry_save,
    reward_sanction_record,
    reward_sanction_record_within,
)
from .sanctions import MSG_REWARD_NO_PERIOD, MSG_SANCTION_TYPE, sanction_followup_update
from .units import post_create, post_update, quota_set, unit_create, unit_update

__all__ = [
    "CADRE_FIELDS",
    "CORRECTABLE_FIELDS",
    "MSG_ASSESSMENT_EXISTS",
    "MSG_COLUMN_SET_EMPTY",
    "MSG_COLUMN_SET_NAME",
    "MSG_COLUMN_SET_NOT_FOUND",
    "MSG_CORRECTION_CLOSED",
    "MSG_CORRECTION_FIELD",
    "MSG_DOCUMENT_EMPTY",
    "MSG_DOCUMENT_NUMBER_TAKEN",
    "MSG_FAMILY_SELF",
    "MSG_ID_BIRTH_MISMATCH",
    "MSG_ID_DUPLICATE",
    "MSG_ID_GENDER_MISMATCH",
    "MSG_ITEM_NEEDS_POST",
    "MSG_ITEM_NEEDS_RANK",
    "MSG_NO_CURRENT_TENURE",
    "MSG_NO_EDIT",
    "MSG_OUT_OF_SCOPE",
    "MSG_REWARD_NAME",
    "MSG_REWARD_NO_PERIOD",
    "MSG_SANCTION_TYPE",
    "MSG_TENURE_OVERLAP",
    "ItemInput",
    "assessment_record",
    "assessment_record_within",
    "cadre_check",
    "cadre_create",
    "cadre_create_within",
    "cadre_refresh_derived",
    "cadre_status_set_within",
    "cadre_update",
    "cadre_update_within",
    "correction_review",
    "correction_submit",
    "document_issue",
    "document_issue_within",
    "family_member_delete",
    "family_member_save",
    "post_create",
    "post_update",
    "quota_set",
    "reserve_add",
    "reserve_add_within",
    "reserve_end",
    "resume_entry_delete",
    "resume_entry_save",
    "reward_sanction_record",
    "reward_sanction_record_within",
    "roster_column_set_delete",
    "roster_column_set_save",
    "sanction_followup_update",
    "unit_create",
    "unit_update",
]
