"""The household (issue 70): each person's languages in order, what they want per kind
and per item, and their account on each media server, picked from the accounts the
server lists (scanner.household.server_accounts). A server that cannot list them leaves
the rest of the page working and says why under the picker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, get_args

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from scanner.connect.sentences import said
from scanner.engine.track_choice import ChoiceOutcome
from scanner.household.count_requests import recount
from scanner.household.server_accounts import AccountsListing, server_accounts
from scanner.language_names import language_name
from scanner.media_servers.clients.base import AccountKind, ServerAccount
from scanner.models import MediaServer, Person, PersonAccount, PersonItemWant
from web.admin import person_page
from web.admin.base import PlainTitles
from web.admin.fields import LanguageListField
from web.admin.secrets import ClearSecretField, SecretField, SecretsModelForm

SEPARATOR = ":"  # a picked account's value: "<server id>:<account id>"
# The accounts plex.tv switches to (a Plex Home member, a managed user): those a PIN
# may protect (scanner.media_servers.clients.plex_people.PlexPeople.token).
PIN_KINDS = frozenset({PersonAccount.Kind.PLEX_HOME, PersonAccount.Kind.PLEX_MANAGED})
# The listings of one request (the form and its empty copy ask once), on the request.
LISTINGS = "_taggarr_account_listings"


def ordered_names(codes: list[str]) -> str:
    """A person's languages named in the reader's language, in their order."""
    return ", ".join(language_name(code) for code in codes)


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]
    languages = LanguageListField(
        targets=True,
        # Its translated name, capitalised as Django does a model field's label:
        label=capfirst(Person._meta.get_field("languages").verbose_name),
        help_text=Person._meta.get_field("languages").help_text,
    )

    class Meta:
        model = Person
        fields = ("name", "languages", "series_want", "movie_want")


def listings(request: HttpRequest) -> list[AccountsListing]:
    """Every enabled server's accounts, each server asked once per request."""
    found: list[AccountsListing] | None = getattr(request, LISTINGS, None)
    if found is None:
        found = [server_accounts(server) for server in MediaServer.objects.filter(enabled=True)]
        setattr(request, LISTINGS, found)
    return found


def problem_text(listing: AccountsListing) -> str:
    """Why a server's accounts are not offered, as one sentence in the reader's language."""
    name = listing.server.name
    if listing.problem:
        return gettext("The accounts of %(server)s could not be read: %(reason)s") % {
            "server": name,
            "reason": said(listing.problem),
        }
    return gettext("The accounts of %(server)s could not be read (the log says why).") % {
        "server": name
    }


def account_label(account: ServerAccount) -> str:
    kind = PersonAccount.Kind(account.kind).label if account.kind in PersonAccount.Kind else ""
    return gettext("%(name)s (%(kind)s)") % {"name": account.name, "kind": kind}


def saved_account(saved: PersonAccount) -> ServerAccount:
    """A linked account as the server listed it when it was picked."""
    kinds: tuple[AccountKind, ...] = get_args(AccountKind)
    kind = next((kind for kind in kinds if kind == saved.account_kind), kinds[0])
    return ServerAccount(saved.account_id, saved.account_name, kind)


class PersonAccountForm(SecretsModelForm):
    """One account: a choice among the listed ones, grouped by server; the saved one stays
    a choice when its server cannot be read now. A protected Plex Home member's PIN is
    a secret as any other (write-only; another account picked forgets it)."""

    offered: ClassVar[Sequence[AccountsListing]] = ()
    account = forms.ChoiceField(label=capfirst(_("account")))  # its choices: the listings (below)
    pin = SecretField(
        label=_("PIN"),
        max_length=4,  # a browser fills no saved password in ("new-password")
        help_text=_(
            "Only for a Plex Home user whose profile is protected by a PIN: plex.tv hands "
            "out their access only with it. Write-only; stored encrypted."
        ),
    )
    clear_pin = ClearSecretField(
        secret="pin",  # noqa: S106 (the secret's name, not a password)
        label=_("Clear the saved PIN"),
        help_text=_("For a profile whose PIN was removed in Plex."),
        both=_("Enter a new PIN or clear the saved PIN, not both."),
    )

    class Meta:
        model = PersonAccount
        fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.picks: dict[str, tuple[MediaServer, ServerAccount]] = {}
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for listing in self.offered:
            options = []
            for account in listing.accounts:
                value = f"{listing.server.pk}{SEPARATOR}{account.id}"
                self.picks[value] = (listing.server, account)
                options.append((value, account_label(account)))
            if options:
                groups.append((listing.server.name, options))
        saved = self.instance if self.instance.pk else None
        if saved is not None:
            value = f"{saved.media_server_id}{SEPARATOR}{saved.account_id}"
            if value not in self.picks:
                kept = saved_account(saved)
                self.picks[value] = (saved.media_server, kept)
                groups.append((saved.media_server.name, [(value, account_label(kept))]))
            self.initial["account"] = value
        problems = [problem_text(listing) for listing in self.offered if not listing.ok]
        if not self.offered:
            problems.append(gettext("No media server is enabled: add one first."))
        self.fields["account"] = forms.ChoiceField(
            label=capfirst(_("account")),
            choices=[("", "---------"), *groups],
            # The admin shows a help text as HTML: the servers' words are escaped here.
            help_text=escape(" ".join(problems)),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        picked = self.picks.get(cleaned.get("account") or "")
        if picked is not None:
            server, account = picked
            self.instance.media_server = server
            self.instance.account_id = account.id
            self.instance.account_name = account.name
            self.instance.account_kind = account.kind
        self._clean_pin(cleaned, picked)
        return cleaned

    def _clean_pin(
        self, cleaned: dict[str, Any], picked: tuple[MediaServer, ServerAccount] | None
    ) -> None:
        pin = cleaned.get("pin") or ""
        if pin and (picked is None or picked[1].kind not in PIN_KINDS):
            self.add_error("pin", gettext("Only a Plex Home user has a PIN."))
        elif pin and not (len(pin) == 4 and pin.isascii() and pin.isdigit()):
            self.add_error("pin", gettext("A Plex Home PIN is 4 digits."))
        elif not pin and self.instance.pk and self.has_changed() and "account" in self.changed_data:
            self.instance.set_pin("")  # another account: the saved PIN was the other one's

    def _get_validation_exclusions(self) -> set[str]:
        # The constraints name the fields the picked account fills: they are checked too.
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        if self.instance.media_server_id is None:  # none picked: the field says why
            return exclusions
        return exclusions - {"media_server", "account_id"}


class PersonAccountFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        """One account per server, said in words before Django's own check of the
        constraint (which names the field: "duplicate data for media_server")."""
        seen: set[int] = set()
        for form in self.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            server = form.instance.media_server_id
            if server is None:
                continue
            if server in seen:
                raise forms.ValidationError(gettext("A person has one account per media server."))
            seen.add(server)
        super().clean()


class PersonAccountInline(admin.StackedInline):  # type: ignore[type-arg]
    model = PersonAccount
    form = PersonAccountForm
    formset = PersonAccountFormSet
    extra = 1
    fields = ("account", "pin", "clear_pin")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        offered = listings(request)
        formset.form = type("PersonAccountForm", (formset.form,), {"offered": offered})
        return formset


class PersonItemWantInline(admin.StackedInline):  # type: ignore[type-arg]
    model = PersonItemWant
    extra = 0
    autocomplete_fields = ("media",)
    fields = ("media", "want")


HEARD_FIELDS = {"languages", "series_want", "movie_want"}  # what will play depends on them


@admin.register(Person)
class PersonAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    add_title = _("New person")
    list_title = _("household")
    form = PersonForm
    inlines = (PersonAccountInline, PersonItemWantInline)
    list_display = (
        "name", "languages_shown", "series_want", "movie_want", "accounts_shown", "tracks_link",
    )  # fmt: skip
    search_fields = ("name",)
    readonly_fields = ("own_notifiers",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).prefetch_related("accounts__media_server")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """A person's languages or wants changed (their own, or an item's): their page
        counts again (a worker counts, after the commit)."""
        super().save_related(request, form, formsets, change)
        wants_changed = any(
            formset.has_changed() for formset in formsets if formset.model is PersonItemWant
        )
        if not change or wants_changed or set(form.changed_data) & HEARD_FIELDS:
            recount(form.instance.pk)

    @admin.display(description=_("languages"))
    def languages_shown(self, person: Person) -> str:
        return ordered_names(list(person.languages))

    @admin.display(description=_("accounts on media servers"))
    def accounts_shown(self, person: Person) -> str:
        return ", ".join(str(account) for account in person.accounts.all()) or pgettext(
            "no media server account", "none"
        )

    @admin.display(description=_("notifiers"))
    def own_notifiers(self, person: Person) -> str:
        """Their own notifiers (Taggarr's answers to their Seerr requests, in their
        languages), each linked, and one more to add, this person already chosen."""
        if person._state.adding:
            return "-"
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:scanner_notifier_change", args=[notifier.pk]),
                notifier.name,
            )
            for notifier in person.notifiers.order_by("name")
        ]
        add = format_html(
            '<a href="{}?person={}">{}</a>',
            reverse("admin:scanner_notifier_add"),
            person.pk,
            gettext("Add a notifier of their own"),
        )
        return format_html_join(", ", "{}", ((link,) for link in links)) + (
            format_html(" · {}", add) if links else add
        )

    @admin.display(description=_("what will play"))
    def tracks_link(self, person: Person) -> str:
        url = reverse("admin:scanner_person_tracks", args=[person.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("See what will play"))

    # --- the person's page (web.admin.person_page) ------------------------------

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:object_id>/tracks/",
                self.admin_site.admin_view(self.tracks_view),
                name="scanner_person_tracks",
            ),
            path(
                "<int:object_id>/tracks/<str:kind>/<str:outcome>/",
                self.admin_site.admin_view(self.outcome_view),
                name="scanner_person_outcome",
            ),
            *super().get_urls(),
        ]

    def _person(self, request: HttpRequest, object_id: int) -> Person:
        if not self.has_view_permission(request):  # first: 403 whether it exists or not
            raise PermissionDenied
        return get_object_or_404(Person, pk=object_id)

    def tracks_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """What the person will hear, and what to change on their servers."""
        person = self._person(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            **person_page.tracks_context(person),
            "opts": self.model._meta,
            "change_url": reverse("admin:scanner_person_change", args=[person.pk]),
        }
        return TemplateResponse(request, "admin/scanner/person/tracks.html", context)

    def outcome_view(
        self, request: HttpRequest, object_id: int, kind: str, outcome: str
    ) -> HttpResponse:
        """The items of one kind and outcome, a bounded page of them."""
        person = self._person(request, object_id)
        if kind not in dict(person_page.KINDS) or outcome not in {o.value for o in ChoiceOutcome}:
            raise Http404("no such outcome")
        context = {
            **self.admin_site.each_context(request),
            **person_page.outcome_context(request, person, kind, ChoiceOutcome(outcome)),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/scanner/person/outcome.html", context)
