"""Routes for the public campaign pages (no login, /public/campaigns/), the applicant portal (/my/)
and the judges' pages (/judging/)."""

from django.urls import path

from .views import applicant_portal, campaign_public, judging

urlpatterns = [
    path("public/campaigns/", campaign_public.campaign_list, name="campaign-public-list"),
    path("public/campaigns/results/", campaign_public.result_list, name="campaign-public-results"),
    path("public/campaigns/<int:pk>/", campaign_public.campaign_detail, name="campaign-public-detail"),
    path(
        "public/campaigns/<int:pk>/register/",
        campaign_public.campaign_register,
        name="campaign-public-register",
    ),
    path("public/campaigns/<int:pk>/results/", campaign_public.result_detail, name="campaign-public-result"),
    path("my/applications/", applicant_portal.my_applications, name="my-applications"),
    path("my/applications/apply/<int:pk>/", applicant_portal.my_nomination, name="my-nomination"),
    path(
        "my/applications/<int:pk>/withdraw/",
        applicant_portal.my_application_withdraw,
        name="my-application-withdraw",
    ),
    path(
        "my/applications/<int:pk>/attachments/<int:attachment_pk>/",
        applicant_portal.my_attachment,
        name="my-attachment",
    ),
    path("judging/", judging.panel_list, name="judging-panels"),
    path("judging/<int:pk>/", judging.panel_detail, name="judging-panel"),
    path("judging/<int:pk>/candidates/<int:application_pk>/", judging.sheet, name="judging-sheet"),
]
