from __future__ import annotations

from django.urls import path

from api.webhooks import arr_webhook

urlpatterns = [
    path("webhooks/", arr_webhook, name="webhook-basic"),
    path("webhooks/<str:token>/", arr_webhook, name="webhook"),
]
