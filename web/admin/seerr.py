"""Seerr connections (Overseerr / Jellyseerr, issue 72): URL and API key (write-only),
"Test connection" (action and button: the version, the key's user, the users listed),
each Seerr user linked to a person of the household, and the Webhook agent's settings
to paste into Seerr, shown on the connection's page once its test passed: all but the
token, which "New webhook token" makes and shows once (README, "Security")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from scanner import validators
from scanner.models import Instance, SeerrAsk, SeerrConnection, SeerrDelivery, SeerrUser
from scanner.models.secrets import token_hint
from scanner.seerr import settings as webhook_settings
from scanner.seerr.connection_test import new_webhook_token, test_connection
from web.admin.base import PlainTitles, ReadOnlyAdmin
from web.admin.secrets import KEY_CHANGED_TEXT, SecretField, SecretsModelForm
from web.labelled import label_value_html


class SeerrConnectionForm(SecretsModelForm):
    api_key = SecretField(
        label=_("API key"),
        needed=_("A Seerr connection needs an API key."),
        help_text=_("In Seerr: Settings → General → API Key. Write-only; stored encrypted."),
    )

    class Meta:
        model = SeerrConnection
        fields = ("name", "url", "api_key", "enabled", "instances")
        widgets = {"instances": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "instances" in self.fields:  # a new one serves every one
            self.fields["instances"].initial = list(Instance.objects.values_list("pk", flat=True))

    def clean_url(self) -> str:
        return validators.clean_arr_url(self.cleaned_data.get("url") or "")


class SeerrUserInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SeerrUser
    fields = ("display_name", "user_type", "email", "may_report_issues", "person")
    readonly_fields = ("display_name", "user_type", "email", "may_report_issues")
    extra = 0
    can_delete = False
    verbose_name_plural = _("Seerr users and the people they are")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # listed from Seerr by the connection test


# ModelAdmin is generic only in django-stubs (scanner/fields.py says why it stays bare).
@admin.register(SeerrConnection)
class SeerrConnectionAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    add_title = _("New Seerr connection")
    form = SeerrConnectionForm
    change_form_template = "admin/scanner/seerrconnection/change_form.html"
    list_display = ("name", "url", "enabled", "version", "tested_at", "saved_key")
    list_filter = ("enabled",)
    search_fields = ("name", "url")
    readonly_fields = ("saved_key", "version", "key_user_email", "tested_at")
    inlines = (SeerrUserInline,)
    actions = ("test_seerr",)

    @method_decorator(sensitive_post_parameters("api_key"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    @admin.display(description=_("saved API key"))
    def saved_key(self, connection: SeerrConnection) -> str:
        return connection.api_key_hint or "-"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        connection = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if connection is not None and connection.active:
            # Never the token itself: shown once, when made (webhook_token_view).
            readable = SeerrConnection.webhook_token.readable(connection)
            hint = (
                webhook_settings.authorization(token_hint(connection.get_webhook_token()))
                if readable
                else str(KEY_CHANGED_TEXT)
            )
            context.update(
                seerr_webhook_url=request.build_absolute_uri(reverse("webhook-seerr")),
                seerr_authorization_hint=hint,
                seerr_payload=webhook_settings.json_payload(),
            )
        return super().change_view(request, object_id, form_url, context)

    # Testing sends the saved key: change permission, as its own settings need.
    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_seerr(self, request: HttpRequest, queryset: QuerySet[SeerrConnection]) -> None:
        for connection in queryset:
            self._test(request, connection)

    def _test(self, request: HttpRequest, connection: SeerrConnection) -> None:
        result = test_connection(connection)
        self.message_user(
            request,
            label_value_html(connection.name, result.text),
            messages.SUCCESS if result.ok else messages.WARNING,
        )

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(require_POST(self.test_view))
        token = self.admin_site.admin_view(require_POST(self.webhook_token_view))
        return [
            path("<int:object_id>/test-connection/", view, name="scanner_seerrconnection_test"),
            path(
                "<int:object_id>/webhook-token/",
                token,
                name="scanner_seerrconnection_webhook_token",
            ),
            *super().get_urls(),
        ]

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        connection = self.get_object(request, str(object_id))
        if connection is None:
            raise Http404("no such Seerr connection")
        if not self.has_change_permission(request, connection):
            raise PermissionDenied
        self._test(request, connection)
        return HttpResponseRedirect(
            reverse("admin:scanner_seerrconnection_change", args=[connection.pk])
        )

    def webhook_token_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """A new webhook token, its Authorization Header shown on this page only (README,
        "Security"): who may change the connection makes it; the one Seerr had stops."""
        connection = self.get_object(request, str(object_id))
        if connection is None:
            raise Http404("no such Seerr connection")
        if not self.has_change_permission(request, connection):
            raise PermissionDenied
        token = new_webhook_token(connection, user=request.user.get_username())
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("New webhook token"),
            "original": connection,
            "authorization": webhook_settings.authorization(token),
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/scanner/seerrconnection/webhook_token.html", context
        )


@admin.register(SeerrUser)
class SeerrUserAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    """Seerr's users as its connection test listed them: only the person is set here
    (linked from their connection's page, which lists them too)."""

    list_display = (
        "display_name", "user_type", "email", "connection", "may_report_issues", "person",
    )  # fmt: skip
    list_filter = ("connection", "may_report_issues")
    list_select_related = ("connection", "person")
    search_fields = ("display_name", "email")
    fields = (
        "connection", "seerr_id", "user_type", "display_name", "email", "may_report_issues",
        "person",
    )  # fmt: skip
    readonly_fields = (
        "connection", "seerr_id", "user_type", "display_name", "email", "may_report_issues",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SeerrAsk)
class SeerrAskAdmin(ReadOnlyAdmin):
    """The requests and Audio issues Taggarr follows, and what it last told of each
    (linked from their connection's page)."""

    list_title = _("Requests and issues followed")

    list_display = (
        "__str__", "media", "asker_email", "language", "issue_id", "said", "searched", "done",
        "refusals", "created_at",
    )  # fmt: skip
    list_filter = ("kind", "done", "connection")
    list_select_related = ("media", "connection")
    search_fields = ("media__title", "asker_email")
    raw_id_fields = ("media",)


@admin.register(SeerrDelivery)
class SeerrDeliveryAdmin(ReadOnlyAdmin):
    """The webhook bodies acted on, by their digest (a redelivery is not acted on again)."""

    list_display = ("notification_type", "connection", "received_at")
    list_filter = ("notification_type", "connection")
