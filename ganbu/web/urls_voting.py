"""Routes for ballots: staff set-up and running, and the public voter and receipt pages."""

from django.urls import path

from .views import voting, voting_setup

urlpatterns = [
    path("ballots/", voting.ballot_list, name="ballot-list"),
    path("ballots/new/", voting.ballot_create, name="ballot-create"),
    path("ballots/<int:pk>/", voting.ballot_detail, name="ballot-detail"),
    path("ballots/<int:pk>/items/new/", voting.item_add, name="ballot-item-add"),
    path("ballots/<int:pk>/progress/", voting.ballot_progress, name="ballot-progress"),
    path("ballots/<int:pk>/credentials/", voting.credentials_issue, name="ballot-credentials"),
    path("ballots/<int:pk>/results/", voting.ballot_results, name="ballot-results"),
    path("ballots/<int:pk>/results.<str:fmt>", voting.ballot_results_file, name="ballot-results-file"),
    path("ballots/<int:pk>/members/", voting_setup.member_add, name="ballot-member-add"),
    path(
        "ballots/<int:pk>/members/<int:voter_id>/remove/",
        voting_setup.member_remove,
        name="ballot-member-remove",
    ),
    path(
        "ballots/<int:pk>/members/<int:voter_id>/attendance/",
        voting_setup.member_attendance,
        name="ballot-member-attendance",
    ),
    path("ballots/<int:pk>/recusals/", voting_setup.recusal_set, name="ballot-recusal"),
    path("ballots/<int:pk>/meeting/", voting_setup.meeting_attendance, name="ballot-meeting"),
    path("ballots/<int:pk>/cast/", voting_setup.member_vote, name="ballot-member-vote"),
    path("ballots/<int:pk>/paper/", voting_setup.paper_page, name="ballot-paper"),
    path("ballots/<int:pk>/paper/sheets/", voting_setup.paper_sheet_enter, name="ballot-paper-sheet"),
    path("ballots/<int:pk>/paper/sheets/clear/", voting_setup.paper_sheets_clear, name="ballot-paper-clear"),
    path("ballots/<int:pk>/paper/<int:item_id>/", voting_setup.paper_count_enter, name="ballot-paper-enter"),
    path(
        "ballots/<int:pk>/paper/<int:item_id>/confirm/",
        voting_setup.paper_count_confirm,
        name="ballot-paper-confirm",
    ),
    path("ballots/<int:pk>/count/", voting.ballot_count, name="ballot-count"),
    path("ballots/<int:pk>/<str:action>/", voting.ballot_action, name="ballot-action"),
    path("vote/", voting.vote_start, name="vote-start"),
    path("vote/<int:pk>/", voting.vote_ballot, name="vote-ballot"),
    path("vote/<int:pk>/receipts/", voting.receipts, name="ballot-receipts"),
]
