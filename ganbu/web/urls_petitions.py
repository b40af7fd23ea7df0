"""Routes for 信访举报 (the ``petitions`` app): the public form and the staff desk under /petitions/.

The public follows a petition on the one tracking page, /public/track/ (``urls_public``).
"""

from django.urls import path

from .views import petitions, public_petitions

urlpatterns = [
    path("public/petitions/new/", public_petitions.petition_create, name="public-petition"),
    path("petitions/", petitions.petition_list, name="petition-list"),
    path("petitions/new/", petitions.petition_intake, name="petition-intake"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition-detail"),
    path("petitions/<int:pk>/assign/", petitions.petition_assign, name="petition-assign"),
    path("petitions/<int:pk>/cadres/", petitions.petition_cadres, name="petition-cadres"),
    path("petitions/<int:pk>/verify/", petitions.petition_verify, name="petition-verify"),
    path("petitions/<int:pk>/conclude/", petitions.petition_conclude, name="petition-conclude"),
]
