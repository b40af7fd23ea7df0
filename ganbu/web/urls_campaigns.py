"""Routes of the competitive selection staff pages (竞争性选拔), under ``/campaigns/``.

``/campaigns/<id>/scores/import/`` (the Excel import) and the judges' and applicants' pages have
their own route modules.
"""

from django.urls import path

from .views import campaigns

urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/posts/add/", campaigns.campaign_post_add, name="campaign-post-add"),
    path("campaigns/<int:pk>/do/<str:action>/", campaigns.campaign_move, name="campaign-move"),
    path("campaigns/<int:pk>/applications/", campaigns.application_list, name="campaign-applications"),
    path("campaigns/<int:pk>/applications/new/", campaigns.application_new, name="campaign-application-new"),
    path(
        "campaigns/<int:pk>/applications/bulk/", campaigns.application_bulk, name="campaign-application-bulk"
    ),
    path(
        "campaigns/<int:pk>/applications/<int:application_id>/",
        campaigns.application_detail,
        name="campaign-application",
    ),
    path(
        "campaigns/<int:pk>/applications/<int:application_id>/do/<str:action>/",
        campaigns.application_action,
        name="campaign-application-action",
    ),
    path("campaigns/<int:pk>/review/", campaigns.review_list, name="campaign-review"),
    path("campaigns/<int:pk>/review/identity/", campaigns.identity_resolve, name="campaign-identity-resolve"),
    path("campaigns/<int:pk>/scores/", campaigns.scores, name="campaign-scores"),
    path("campaigns/<int:pk>/scores/set/", campaigns.score_set, name="campaign-score-set"),
    path("campaigns/<int:pk>/scores/ballot/", campaigns.scores_from_ballot, name="campaign-scores-ballot"),
    path("campaigns/<int:pk>/stages/", campaigns.stages, name="campaign-stages"),
    path("campaigns/<int:pk>/stages/advance/", campaigns.stage_advance, name="campaign-stage-advance"),
    path("campaigns/<int:pk>/panels/", campaigns.panels, name="campaign-panels"),
    path("campaigns/<int:pk>/panels/new/", campaigns.panel_create, name="campaign-panel-create"),
    path("campaigns/<int:pk>/panels/<int:panel_id>/lock/", campaigns.panel_lock, name="campaign-panel-lock"),
    path("campaigns/<int:pk>/ranking/", campaigns.ranking, name="campaign-ranking"),
    path("campaigns/<int:pk>/ranking/decide/", campaigns.decide, name="campaign-decide"),
    path("campaigns/<int:pk>/reserve/", campaigns.reserve, name="campaign-reserve"),
    path("campaigns/<int:pk>/hand-over/", campaigns.hand_over, name="campaign-hand-over"),
    path("campaigns/<int:pk>/statistics/", campaigns.statistics, name="campaign-statistics"),
]
