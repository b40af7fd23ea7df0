"""Routes for login, dashboard, the cadre list and pages, self-service and the person picker."""

from django.urls import path

from .views import auth, cadres, dashboard, selfservice

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("login/otp/", auth.otp_verify, name="otp-verify"),
    path("me/2fa/", auth.otp_setup, name="otp-setup"),
    path("me/2fa/recovery/", auth.otp_recovery_renew, name="otp-recovery-renew"),
    path("cadres/", cadres.cadre_list, name="cadre-list"),
    path("cadres/new/", cadres.cadre_create, name="cadre-create"),
    path("cadres/<int:pk>/", cadres.cadre_detail, name="cadre-detail"),
    path("cadres/<int:pk>/edit/", cadres.cadre_edit, name="cadre-edit"),
    path("cadres/<int:pk>/photo/", cadres.cadre_photo, name="cadre-photo"),
    path("cadres/<int:pk>/family/new/", cadres.family_add, name="cadre-family-add"),
    path("cadres/<int:pk>/family/<int:member_pk>/edit/", cadres.family_edit, name="cadre-family-edit"),
    path("cadres/<int:pk>/family/<int:member_pk>/delete/", cadres.family_delete, name="cadre-family-delete"),
    path("cadres/<int:pk>/resume/new/", cadres.resume_add, name="cadre-resume-add"),
    path("cadres/<int:pk>/resume/<int:entry_pk>/delete/", cadres.resume_delete, name="cadre-resume-delete"),
    path("cadres/<int:pk>/assessments/new/", cadres.assessment_add, name="cadre-assessment-add"),
    path("cadres/<int:pk>/rewards/new/", cadres.reward_add, name="cadre-reward-add"),
    path("cadres/<int:pk>/reserve/new/", cadres.reserve_add, name="cadre-reserve-add"),
    path("me/", selfservice.my_record, name="my-record"),
    path("pickers/cadres/", cadres.picker_cadres, name="picker-cadres"),
]
