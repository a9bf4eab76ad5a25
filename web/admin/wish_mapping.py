"""An instance's mapping page (issue 82): each wish Taggarr offers for it (the original,
each target's dub, both) mapped to one of the *arr's own quality profiles, read from the
*arr when the page is shown, "not managed" by default; beside each choice the guard's
judgement of that profile for that wish (scanner.wish_profiles.judge, words.py), and in a
fold every profile's. Saved only on Save (scanner.wish_profiles.mapping: checked, then
one event); an *arr that does not answer is said so, the saved choices stay offered and
nothing is lost. The instance's options for the feature are shown with their help, and
its latest changes with a link to all of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from scanner.arr.profiles import QualityProfile
from scanner.models import Event, Instance, ProfileChange
from scanner.wish_profiles.judge import Judgement
from scanner.wish_profiles.mapping import (
    TOO_MANY,
    UNCHECKED_PROFILE,
    UNKNOWN_PROFILE,
    MappingError,
    current,
    save_mapping,
)
from scanner.wish_profiles.offer import Offer, read_offer
from scanner.wish_profiles.words import judgement_text, recipe_text, wish_label
from web.admin.wish_words import Row

CHANGES_SHOWN = 20  # the latest changes the page lists; the rest on the changes' page
MAX_FIELD = 20  # a posted profile id's characters at most


@dataclass(frozen=True)
class Choice:
    """One profile offered for one wish, with its judgement."""

    profile_id: int
    name: str
    selected: bool
    ok: bool | None  # None: not judged
    sentence: str


@dataclass(frozen=True)
class WishRow:
    index: int
    wish: str
    label: str
    choices: list[Choice]
    chosen: Choice | None  # the selected profile's choice
    error: str
    offered: bool  # False: saved before, no longer offered (can be unmapped)
    recipe: str = ""  # no profile grabs the wish: the Recyclarr recipe that makes one


class MappingView:
    def __init__(self, site: AdminSite) -> None:
        self.site = site

    def view(self, request: HttpRequest, instance_id: int) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        user = request.user
        if not (user.has_perm("scanner.view_instance") or user.has_perm("scanner.change_instance")):
            raise PermissionDenied
        instance = get_object_or_404(Instance, pk=instance_id)
        if not instance.is_arr:
            raise Http404("a library folder has no *arr")
        may_save = request.user.has_perm("scanner.change_instance")
        if request.method == "POST":
            if not may_save:
                raise PermissionDenied
            return self._post(request, instance)
        offer = read_offer(instance)
        return self._page(request, offer, chosen=None, errors={})

    def _post(self, request: HttpRequest, instance: Instance) -> HttpResponse:
        asked, errors = posted_mapping(request.POST)
        offer = read_offer(instance)
        profiles = offer.profiles if offer.read else None
        if not errors:
            try:
                saved = save_mapping(
                    instance,
                    asked,
                    profiles,
                    by=request.user.get_username(),
                    via=Event.Via.ADMIN,
                    offered=offer.wishes,
                )
            except MappingError as exc:
                errors = {wish: problem_text(code) for wish, code in exc.problems.items()}
            else:
                messages.success(request, saved_sentence(instance, len(saved.changes)))
                url = reverse("admin:wish_profiles_mapping", args=[instance.pk])
                return HttpResponseRedirect(url)
        messages.error(request, gettext("Nothing was saved: see the choices marked below."))
        return self._page(request, offer, chosen=asked, errors=errors)

    def _page(
        self,
        request: HttpRequest,
        offer: Offer,
        *,
        chosen: dict[str, int | None] | None,
        errors: dict[str, str],
    ) -> HttpResponse:
        instance = offer.instance
        rows = wish_rows(offer, chosen, errors)
        changes = (
            ProfileChange.objects.filter(instance=instance)
            .select_related("media")
            .order_by("-created_at", "-pk")[:CHANGES_SHOWN]
        )
        list_url = reverse("admin:scanner_profilechange_changelist")
        shown = {row.wish for row in rows}
        others = [
            other_problem(wish, text) for wish, text in errors.items() if wish and wish not in shown
        ]
        context: dict[str, Any] = {
            **self.site.each_context(request),
            "title": gettext("Quality profile of each wish: %(name)s") % {"name": instance.name},
            "instance": instance,
            "rows": rows,
            "offer": offer,
            "problem": offer.problem,
            "form_errors": [text for text in (errors.get(""),) if text] + others,
            "may_save": request.user.has_perm("scanner.change_instance"),
            "options": option_lines(instance),
            "changes": [Row.of(change) for change in changes],
            "all_changes_url": f"{list_url}?instance__id__exact={instance.pk}",
            "instance_url": reverse("admin:scanner_instance_change", args=[instance.pk]),
            "opts": ProfileChange._meta,
            "taggarr_section": "instance",
        }
        return TemplateResponse(request, "admin/wish_profiles/mapping.html", context)


def posted_mapping(post: Any) -> tuple[dict[str, int | None], dict[str, str]]:
    """``wish-N`` and ``profile-N`` pairs as {wish: profile id or None}; a value that is
    no profile id is an error of that wish (shown beside it, nothing saved)."""
    asked: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for key in list(post.keys())[:400]:
        if not key.startswith("wish-"):
            continue
        wish = str(post.get(key, ""))[:60]
        value = str(post.get("profile-" + key.removeprefix("wish-"), "")).strip()
        if not wish:
            continue
        if not value:
            asked[wish] = None
        elif _number(value) and 0 < int(value) < 2**31:
            asked[wish] = int(value)
        else:
            asked[wish] = None
            errors[wish] = gettext("Choose one of the quality profiles listed.")
    return asked, errors


def _number(value: str) -> bool:
    """ASCII digits only: "²" is a digit to str.isdigit, not to int; other scripts'
    digits are no profile id a person typed."""
    return value.isascii() and value.isdigit() and len(value) < MAX_FIELD


def problem_text(code: str) -> str:
    if code == UNKNOWN_PROFILE:
        return gettext("The *arr does not list this quality profile (any more): choose another.")
    if code == UNCHECKED_PROFILE:
        return gettext(
            "The *arr did not answer, so this quality profile could not be checked: try "
            "again once it answers."
        )
    if code == TOO_MANY:
        return gettext("Too many wishes at once.")
    return gettext("Taggarr does not offer this wish for this instance.")


def other_problem(wish: str, text: str) -> str:
    """A problem of a wish the page does not show (posted by hand): named with it."""
    return gettext("%(wish)s: %(problem)s") % {"wish": wish_label(wish), "problem": text}


def saved_sentence(instance: Instance, count: int) -> str:
    if not count:
        return gettext("Nothing changed in the mapping of %(name)s.") % {"name": instance.name}
    return ngettext(
        "Saved the quality profile of %(count)d wish of %(name)s: items are planned at the "
        "next scan.",
        "Saved the quality profiles of %(count)d wishes of %(name)s: items are planned at "
        "the next scan.",
        count,
    ) % {"count": count, "name": instance.name}


def wish_rows(
    offer: Offer, chosen: dict[str, int | None] | None, errors: dict[str, str]
) -> list[WishRow]:
    """Each offered wish, then each saved one no longer offered, with its choices: the
    *arr's profiles (or, when it was not read, the saved one, kept)."""
    saved = current(offer.instance)
    wishes = list(offer.wishes) + [wish for wish in saved if wish not in offer.wishes]
    rows = []
    for index, wish in enumerate(wishes):
        row = saved.get(wish)
        if chosen is not None and wish in chosen:
            selected = chosen[wish]
        else:
            selected = row.profile_id if row is not None else None
        profiles: tuple[QualityProfile, ...] = offer.profiles
        choices = [_choice(offer, wish, profile.id, profile.name, selected) for profile in profiles]
        if selected is not None and not any(c.profile_id == selected for c in choices):
            name = row.profile_name if row is not None and row.profile_id == selected else ""
            choices.append(_choice(offer, wish, selected, name or f"#{selected}", selected))
        rows.append(
            WishRow(
                index=index,
                wish=wish,
                label=wish_label(wish),
                choices=choices,
                chosen=next((c for c in choices if c.selected), None),
                error=errors.get(wish, ""),
                offered=wish in offer.wishes,
                recipe=_recipe(offer, wish),
            )
        )
    return rows


def _recipe(offer: Offer, wish: str) -> str:
    """The recipe's sentence when the *arr's profiles were read and judged for ``wish``
    and none grabs it (none at all, or each judged ⚠); "" otherwise."""
    judged = offer.judged.get(wish) if offer.read else None
    if judged is None or any(judgement.ok for judgement in judged.values()):
        return ""
    return recipe_text(wish, offer.instance.kind)


def _choice(offer: Offer, wish: str, profile_id: int, name: str, selected: int | None) -> Choice:
    judged: Judgement | None = offer.judgement(wish, profile_id)
    return Choice(
        profile_id=profile_id,
        name=name,
        selected=profile_id == selected,
        ok=None if judged is None else judged.ok,
        sentence="" if judged is None else judgement_text(judged),
    )


def option_lines(instance: Instance) -> list[dict[str, str]]:
    """The feature's two instance options, as the instance's form labels and explains
    them, with their values."""
    lines = []
    for name in ("wish_profiles", "wish_profiles_return"):
        field = Instance._meta.get_field(name)
        value = getattr(instance, name)
        if isinstance(value, bool):
            shown = gettext("on") if value else gettext("off")
        else:
            shown = str(getattr(instance, f"get_{name}_display")())
        lines.append(
            {
                "label": str(getattr(field, "verbose_name", name)),
                "value": shown,
                "help": str(getattr(field, "help_text", "")),
            }
        )
    return lines
