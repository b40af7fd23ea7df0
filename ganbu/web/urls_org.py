"""Routes for units, posts and quotas, appointment documents, corrections and the audit trail."""

from django.urls import path

from .views import audit, corrections, documents, policy, units

urlpatterns = [
    path("units/", units.unit_list, name="unit-list"),
    path("units/new/", units.unit_create, name="unit-create"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", units.unit_update, name="unit-update"),
    path("units/<int:pk>/posts/new/", units.post_create, name="post-create"),
    path("units/<int:pk>/quotas/", units.quota_set, name="quota-set"),
    path("posts/<int:pk>/edit/", units.post_update, name="post-update"),
    path("documents/", documents.document_list, name="document-list"),
    path("documents/new/", documents.document_create, name="document-create"),
    path("documents/<int:pk>/", documents.document_detail, name="document-detail"),
    path("pickers/posts/", documents.picker_posts, name="picker-posts"),
    path("corrections/", corrections.correction_list, name="correction-list"),
    path("corrections/<int:pk>/review/", corrections.correction_review, name="correction-review"),
    path("audit/", audit.audit_list, name="audit-list"),
    path("audit/verify/", audit.audit_verify_view, name="audit-verify"),
    path("audit/pickers/cadres/", audit.audit_picker_cadres, name="audit-picker-cadres"),
    path("policy/", policy.policy_list, name="policy-list"),
]
