"""Routes for ballots: staff set-up and running, and the public voter and receipt pages."""

from django.urls import path

from .views import voting

urlpatterns = [
    path("ballots/", voting.ballot_list, name="ballot-list"),
    path("ballots/new/", voting.ballot_create, name="ballot-create"),
    path("ballots/<int:pk>/", voting.ballot_detail, name="ballot-detail"),
    path("ballots/<int:pk>/items/new/", voting.item_add, name="ballot-item-add"),
    path("ballots/<int:pk>/progress/", voting.ballot_progress, name="ballot-progress"),
    path("ballots/<int:pk>/credentials/", voting.credentials_issue, name="ballot-credentials"),
    path("ballots/<int:pk>/results/", voting.ballot_results, name="ballot-results"),
    path("ballots/<int:pk>/<str:action>/", voting.ballot_action, name="ballot-action"),
    path("vote/", voting.vote_start, name="vote-start"),
    path("vote/<int:pk>/", voting.vote_ballot, name="vote-ballot"),
    path("vote/<int:pk>/receipts/", voting.receipts, name="ballot-receipts"),
]
