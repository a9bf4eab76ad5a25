"""The guided setup's quality profiles in words (web.admin.setup's step 3): what a first
evening maps (scanner.wish_profiles.first_mapping), per wish, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from scanner.models import Instance
from scanner.wish_profiles.first_mapping import Proposal
from scanner.wish_profiles.words import profile_label, recipe_text, wish_label


@dataclass(frozen=True, slots=True)
class Line:
    """One sentence of the step; ``link``: it sends to the mapping page (whose link the
    step shows once, after its lines)."""

    wish: str
    text: str
    link: bool = False


def lines(proposal: Proposal, instance: Instance) -> list[Line]:
    """The proposal in the reader's language: "Canadian French (VFQ) → VFQ-1080p" per
    wish mapped, the earlier choices kept, and per wish no profile grabs the recipe that
    makes one or, with none, the mapping page."""
    said: list[Line] = []
    if proposal.unread:
        text = gettext(
            "No wish was mapped, as the quality profiles of %(name)s could not be read and "
            "judged: choose them on the mapping page once it answers."
        ) % {"name": instance.name}
        said.append(Line("", text, link=True))
    for wish, (profile_id, name) in proposal.mapped.items():
        text = gettext("%(wish)s → %(profile)s") % {
            "wish": wish_label(wish),
            "profile": profile_label(profile_id, name),
        }
        said.append(Line(wish, text))
    for wish, (profile_id, name) in proposal.kept.items():
        text = gettext("%(wish)s → %(profile)s: your earlier choice, kept.") % {
            "wish": wish_label(wish),
            "profile": profile_label(profile_id, name),
        }
        said.append(Line(wish, text))
    for wish in proposal.ungrabbed:
        recipe = recipe_text(wish, instance.kind)
        if recipe:
            said.append(Line(wish, recipe))
            continue
        text = gettext(
            "%(wish)s: no quality profile of yours grabs it; choose one on the mapping page."
        ) % {"wish": wish_label(wish)}
        said.append(Line(wish, text, link=True))
    return said
