"""The quality profiles a first evening maps (issue 94: each choice made once and read by
every act; the guided setup's step 3, web.admin.setup). Step 3 plans the quality-profile
act, which plans nothing until each wish is mapped to one of the *arr's quality
profiles; so, when it is ticked, each wish the mapping page offers
(scanner.wish_profiles.offer) that the household has (the original, alone or with a
dub, only when someone watches originals) and that has no saved mapping yet gets the
profile the guard judges to grab it (scanner.wish_profiles.judge), saved as the mapping
page saves it
(scanner.wish_profiles.mapping: by the person, via the admin). A mapping saved before is
never changed. A wish no profile grabs gets none: the step says the Recyclarr recipe
that makes one, or the mapping page. An *arr that does not answer maps nothing and is
said so in one sentence; the act is planned all the same.

The step previews it before it is saved; once saved, what was done is kept in the acts'
event as wishes, profile ids and the *arr's names (Proposal.data), worded when shown in
the reader's language (web.admin.setup_profiles)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.db.models import Q

from scanner.arr.profiles import QualityProfile
from scanner.engine.listener import ORIGINAL, ORIGINAL_SUBTITLED
from scanner.engine.wishes import is_wish, parse_wish
from scanner.models import Instance, Person
from scanner.models.choices import Via
from scanner.wish_profiles import judge
from scanner.wish_profiles.judge import Judgement
from scanner.wish_profiles.mapping import MappingError, current, save_mapping
from scanner.wish_profiles.offer import Offer, read_offer

logger = logging.getLogger(__name__)

# The judgements that leave no other release to grab: nothing can come before the wish.
_SURE: Final = (judge.ONLY_WANTED, judge.ALL_WANTED)
_MAX_SHOWN: Final = 60  # wishes worded at most (mapping.MAX_WISHES)
ORIGINAL_WANTS: Final = (ORIGINAL, ORIGINAL_SUBTITLED)  # a person who watches originals


def rank(judgement: Judgement) -> tuple[int, int] | None:
    """How well a profile grabs a wish (None: it does not). First a profile that rejects
    or leaves out every release without the wish (judge.ONLY_WANTED, ALL_WANTED), then
    the lead of the wanted release's score over the best other one (judge.OK: the *arr
    compares the custom-format score at the same quality, DownloadDecisionComparer)."""
    if not judgement.ok:
        return None
    if judgement.code in _SURE:
        return (1, 0)
    wanted, other = judgement.values.get("wanted_score", 0), judgement.values.get("other_score", 0)
    lead = wanted - other if isinstance(wanted, int) and isinstance(other, int) else 0
    return (0, lead)


def grabbing(offer: Offer, wish: str) -> QualityProfile | None:
    """The profile judged to grab ``wish`` best; of equals, the first in the *arr's order."""
    best: tuple[tuple[int, int], QualityProfile] | None = None
    for profile in offer.profiles:
        judged = offer.judgement(wish, profile.id)
        ranked = rank(judged) if judged is not None else None
        if ranked is not None and (best is None or ranked > best[0]):
            best = (ranked, profile)
    return best[1] if best is not None else None


@dataclass(frozen=True, slots=True)
class Proposal:
    """Per wish, the profile (id, the *arr's name) mapped now, or kept as saved before;
    the wishes no profile grabs; ``unread``: the *arr's profiles could not be read or
    judged, so nothing was mapped."""

    mapped: dict[str, tuple[int, str]] = field(default_factory=dict)
    kept: dict[str, tuple[int, str]] = field(default_factory=dict)
    ungrabbed: list[str] = field(default_factory=list)
    unread: bool = False

    def data(self) -> dict[str, Any]:
        """As the acts' event keeps it."""
        return {
            "mapped": {wish: list(pair) for wish, pair in self.mapped.items()},
            "kept": {wish: list(pair) for wish, pair in self.kept.items()},
            "ungrabbed": list(self.ungrabbed),
            "unread": self.unread,
        }

    @classmethod
    def of(cls, data: object) -> Proposal | None:
        """Read back from the acts' event (None: none kept, or not one)."""
        if not isinstance(data, Mapping):
            return None
        ungrabbed = data.get("ungrabbed")
        return cls(
            mapped=_pairs(data.get("mapped")),
            kept=_pairs(data.get("kept")),
            ungrabbed=[w for w in ungrabbed if isinstance(w, str)][:_MAX_SHOWN]
            if isinstance(ungrabbed, list)
            else [],
            unread=data.get("unread") is True,
        )


def _pairs(value: object) -> dict[str, tuple[int, str]]:
    if not isinstance(value, Mapping):
        return {}
    pairs: dict[str, tuple[int, str]] = {}
    for wish, pair in list(value.items())[:_MAX_SHOWN]:
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int):
            pairs[str(wish)] = (pair[0], pair[1] if isinstance(pair[1], str) else "")
    return pairs


def household_wishes(wishes: list[str]) -> list[str]:
    """The wishes of the household step 1 described: the original, alone or with a dub,
    only when someone watches originals (a person whose want is the original); the
    mapping page still offers every wish."""
    originals = Person.objects.filter(
        Q(series_want__in=ORIGINAL_WANTS) | Q(movie_want__in=ORIGINAL_WANTS)
    ).exists()
    if originals:
        return wishes
    return [wish for wish in wishes if is_wish(wish) and not parse_wish(wish)[1]]


def propose(offer: Offer) -> Proposal:
    """What saving step 3 maps, from the offer read (the database read for what is
    saved already), for the household's own wishes."""
    offer = replace(offer, wishes=household_wishes(offer.wishes))
    saved = current(offer.instance)
    kept = {
        wish: (row.profile_id, row.profile_name)
        for wish, row in saved.items()
        if wish in offer.wishes
    }
    if not offer.read or not offer.judged:
        return Proposal(kept=kept, unread=True)
    mapped: dict[str, tuple[int, str]] = {}
    ungrabbed: list[str] = []
    for wish in offer.wishes:
        if wish in saved:
            continue
        profile = grabbing(offer, wish)
        if profile is None:
            ungrabbed.append(wish)
        else:
            mapped[wish] = (profile.id, profile.name)
    return Proposal(mapped=mapped, kept=kept, ungrabbed=ungrabbed)


def preview(instance: Instance) -> tuple[Proposal, str]:
    """Step 3 shown: what saving it would map, and why the offer is short ("" when
    read)."""
    offer = read_offer(instance)
    return propose(offer), offer.problem


def map_wishes(instance: Instance, *, user: str) -> Proposal:
    """Step 3 saved with the act ticked: reads the offer (each call to the *arr within
    the web request's deadline, scanner.wish_profiles.offer) and saves a mapping for each
    wish that has none, through the mapping page's save."""
    offer = read_offer(instance)
    proposal = propose(offer)
    if not proposal.mapped:
        return proposal
    asked: dict[str, int | None] = {wish: pid for wish, (pid, _name) in proposal.mapped.items()}
    try:
        save_mapping(instance, asked, offer.profiles, by=user, via=Via.ADMIN, offered=offer.wishes)
    except MappingError as exc:  # the offer's own wishes and profiles: not expected
        logger.warning("setup: the mapping of %s not saved: %s", instance.name, exc)
        return Proposal(kept=proposal.kept, ungrabbed=proposal.ungrabbed, unread=True)
    return proposal
