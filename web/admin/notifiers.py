"""Notifiers: an Apprise URL (write-only: only a hint is ever shown), what to send, for
which instances, and "Send test" (queued for a worker, like every send)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.language import creator_language
from scanner import tasks, validators
from scanner.language_names import spoken_list
from scanner.models import (
    NotificationKind,
    Notifier,
    NotifierThrottle,
    expected_notification_kinds,
)
from scanner.notify.delivery import url_problem
from web.admin.base import PlainTitles, ReadOnlyAdmin
from web.admin.fields import CommaListField
from web.admin.secrets import SecretField, SecretsModelForm


class NotifierForm(SecretsModelForm):
    url = SecretField(
        label=_("Apprise URL"),
        needed=_("A notifier needs an Apprise URL."),
        autocomplete="off",
        max_length=2000,
        help_text=_(
            "Any Apprise URL: ntfy://topic, tgram://bottoken/chatid, "
            "discord://id/token, mailtos://user:pass@host ... Write-only; stored encrypted."
        ),
    )
    # A declared field takes no initial from the model: the news people expect, ticked.
    events = forms.MultipleChoiceField(
        label=capfirst(_("events")),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=expected_notification_kinds,
    )
    languages = CommaListField(
        required=False,
        label=capfirst(_("languages")),
        help_text=_(
            "Dub arrivals and losses of these languages only, e.g. de, fr; empty: all (a "
            "person's own notifier: their languages)."
        ),
    )

    class Meta:
        model = Notifier
        fields = (
            "name", "url", "enabled", "person", "events", "languages", "instances",
            "rate_limit_minutes", "language",
        )  # fmt: skip
        widgets = {"instances": forms.CheckboxSelectMultiple}
        help_texts = {
            "language": _(
                "The language of its messages. Empty: for a person's own notifier, the first "
                "of their languages Taggarr speaks; otherwise the language of the person who "
                "makes it."
            ),
        }

    def clean_languages(self) -> list[str]:
        return validators.clean_languages(self.cleaned_data.get("languages"), allow_empty=True)

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url") or ""
        problem = url_problem(url) if url else None
        if problem:
            raise forms.ValidationError(
                gettext("Not a usable Apprise URL: %(problem)s.") % {"problem": problem}
            )
        return url


# ModelAdmin is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
@admin.register(Notifier)
class NotifierAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    add_title = _("New notifier")
    form = NotifierForm
    change_form_template = "admin/scanner/notifier/change_form.html"
    list_display = (
        "name", "enabled", "person", "saved_url", "kinds", "scope", "rate_limit_minutes",
        "last_sent_at", "error",
    )  # fmt: skip
    list_filter = ("enabled", "person")
    list_select_related = ("person",)
    search_fields = ("name",)
    readonly_fields = ("saved_url", "last_sent_at", "error", "created_at", "updated_at")
    actions = ("send_test",)

    @method_decorator(sensitive_post_parameters("url"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Notifier, form: Any, change: bool) -> None:
        """A new one without a message language writes in its person's, else in its
        maker's (Notifier.language_at_creation)."""
        if not change:
            obj.language_at_creation(creator_language(request.user))
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notifier]:
        return super().get_queryset(request).prefetch_related("instances")

    @admin.display(description=_("saved URL"), ordering="url_hint")
    def saved_url(self, notifier: Notifier) -> str:
        """The hint of the saved URL (scheme and last characters), never the URL."""
        return Notifier.url.hint(notifier) or "-"

    @admin.display(description=_("last error"), ordering="last_error")
    def error(self, notifier: Notifier) -> str:
        """The last error in the reader's language: it is kept as its English msgid
        (scanner.notify.dispatch), which the catalog translates; anything else as kept."""
        return gettext(notifier.last_error) if notifier.last_error else "-"

    @admin.display(description=_("sends"))
    def kinds(self, notifier: Notifier) -> str:
        labels = dict(NotificationKind.choices)
        # Clauses of their own: one list in the reader's words (CLDR), never "; ".
        return spoken_list([str(labels.get(kind, kind)) for kind in notifier.events])

    @admin.display(description=_("instances"))
    def scope(self, notifier: Notifier) -> str:
        return ", ".join(i.name for i in notifier.instances.all()) or gettext("every instance")

    @admin.action(description=_("Send a test message"), permissions=["change"])
    def send_test(self, request: HttpRequest, queryset: QuerySet[Notifier]) -> None:
        for notifier in queryset:
            self._queue_test(request, notifier)

    def _queue_test(self, request: HttpRequest, notifier: Notifier) -> None:
        tasks.send_notifier_test(notifier.pk)
        self.message_user(
            request,
            gettext(
                "Test message for %(name)s queued: a worker sends it; reload to see "
                "'last sent' or 'last error'."
            )
            % {"name": notifier.name},
            messages.SUCCESS,
        )

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(require_POST(self.test_view))
        return [
            path("<int:object_id>/send-test/", view, name="scanner_notifier_test"),
            *super().get_urls(),
        ]

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        notifier = self.get_object(request, str(object_id))
        if notifier is None:
            raise Http404("no such notifier")
        if not self.has_change_permission(request, notifier):
            raise PermissionDenied
        self._queue_test(request, notifier)
        return HttpResponseRedirect(reverse("admin:scanner_notifier_change", args=[notifier.pk]))


@admin.register(NotifierThrottle)
class NotifierThrottleAdmin(ReadOnlyAdmin):
    """The rate limit's memory: when each notifier last got each kind of message."""

    list_display = ("notifier", "kind", "sent_at")
    list_filter = ("kind", "notifier")
    list_select_related = ("notifier",)
