"""Routes for 干部交流 (the ``exchanges`` app): records, one record, a new exchange, plans, one plan."""

from django.urls import path

from .views import exchanges

urlpatterns = [
    path("exchanges/", exchanges.exchange_list, name="exchange-list"),
    path("exchanges/new/", exchanges.exchange_create, name="exchange-create"),
    path("exchanges/<int:pk>/", exchanges.exchange_detail, name="exchange-detail"),
    path("exchanges/plans/", exchanges.plan_list, name="exchange-plan-list"),
    path("exchanges/plans/<int:pk>/", exchanges.plan_detail, name="exchange-plan-detail"),
]
