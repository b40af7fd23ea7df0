"""Web UI routes: people (login, dashboard, cadres, self-service), organisation (units,
documents, corrections, audit trail), voting (ballots, the voter page), the appointment procedure
and the apps after it each have a module."""

from django.urls import path

from .urls_appointment_form import urlpatterns as appointment_form_urlpatterns
from .urls_assessment import urlpatterns as assessment_urlpatterns
from .urls_campaign_excel import urlpatterns as campaign_excel_urlpatterns
from .urls_campaign_public import urlpatterns as campaign_public_urlpatterns
from .urls_campaigns import urlpatterns as campaigns_urlpatterns
from .urls_doctemplates import urlpatterns as doctemplates_urlpatterns
from .urls_economic_audits import urlpatterns as economic_audits_urlpatterns
from .urls_exchanges import urlpatterns as exchanges_urlpatterns
from .urls_exits import urlpatterns as exits_urlpatterns
from .urls_joint_meetings import urlpatterns as joint_meetings_urlpatterns
from .urls_lrmx_export import urlpatterns as lrmx_export_urlpatterns
from .urls_lrmx_import import urlpatterns as lrmx_import_urlpatterns
from .urls_org import urlpatterns as org_urlpatterns
from .urls_people import urlpatterns as people_urlpatterns
from .urls_petitions import urlpatterns as petitions_urlpatterns
from .urls_public import urlpatterns as public_urlpatterns
from .urls_roster_export import urlpatterns as roster_export_urlpatterns
from .urls_roster_import import urlpatterns as roster_import_urlpatterns
from .urls_rotation import urlpatterns as rotation_urlpatterns
from .urls_sanctions import urlpatterns as sanctions_urlpatterns
from .urls_selection import urlpatterns as selection_urlpatterns
from .urls_talks import urlpatterns as talks_urlpatterns
from .urls_team_structure import urlpatterns as team_structure_urlpatterns
from .urls_todo import urlpatterns as todo_urlpatterns
from .urls_training import urlpatterns as training_urlpatterns
from .urls_users import urlpatterns as users_urlpatterns
from .urls_voting import urlpatterns as voting_urlpatterns
from .views import unit_picker, vacancies

app_name = "web"
urlpatterns = [
    *people_urlpatterns,
    *appointment_form_urlpatterns,
    *org_urlpatterns,
    path("posts/vacant/", vacancies.vacant_posts, name="vacant-posts"),
    path("pickers/units/", unit_picker.picker_units, name="picker-units"),
    *voting_urlpatterns,
    *exits_urlpatterns,
    *selection_urlpatterns,
    *campaigns_urlpatterns,
    *campaign_excel_urlpatterns,
    *doctemplates_urlpatterns,
    *public_urlpatterns,
    *todo_urlpatterns,
    *campaign_public_urlpatterns,
    *users_urlpatterns,
    *roster_export_urlpatterns,
    *lrmx_import_urlpatterns,
    *roster_import_urlpatterns,
    *lrmx_export_urlpatterns,
    *assessment_urlpatterns,
    *talks_urlpatterns,
    *exchanges_urlpatterns,
    *training_urlpatterns,
    *team_structure_urlpatterns,
    *rotation_urlpatterns,
    *petitions_urlpatterns,
    *joint_meetings_urlpatterns,
    *economic_audits_urlpatterns,
    *sanctions_urlpatterns,
]
