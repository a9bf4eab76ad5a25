"""The Recyclarr recipes that make a quality profile for a wish (issue 94): Taggarr never
creates or edits a profile, so where no profile of the *arr grabs what a wish wants, the
mapping page names the recipe in the docs that makes one
(``docs/recipes/recyclarr/``, its README lists what each grabs).

A recipe is a file per *arr and need, ``<kind>-<need>.yml`` (``sonarr-french-vfq.yml``),
built from the TRaSH guides' language custom formats where they tell the dub by the
release name (the French varieties, French, German, the original), and from Taggarr's
own custom formats where the guides have none (Latino, Castellano, Brazilian
Portuguese: ``custom-formats/``, read by Recyclarr as a local resource provider). The
other wishes have none (the README lists them). Checked against the files by
tests/recipes/test_recyclarr_recipes.py and scored by the fakes in
tests/recipes/test_recyclarr_recipes_scored.py. Pure Python, no Django."""

from __future__ import annotations

from typing import Final

from scanner.engine.wishes import ORIGINAL_WISH

FOLDER: Final = "docs/recipes/recyclarr"
KINDS: Final = ("sonarr", "radarr")

# The need of each wish: its recipe is ``<kind>-<need>.yml``, and the profile in it that
# grabs the wish.
NEEDS: Final[dict[str, tuple[str, str]]] = {
    ORIGINAL_WISH: ("original", "Original"),
    "fr-CA": ("french-vfq", "VFQ"),
    f"{ORIGINAL_WISH}+fr-CA": ("french-vfq", "MULTi VFQ"),
    "fr-FR": ("french-vff", "VFF"),
    f"{ORIGINAL_WISH}+fr-FR": ("french-vff", "MULTi VFF"),
    "fra": ("french", "VF"),
    f"{ORIGINAL_WISH}+fra": ("french", "MULTi VF"),
    "deu": ("german", "German DL"),
    f"{ORIGINAL_WISH}+deu": ("german", "German DL"),
    "es-419": ("spanish-latino", "Latino"),
    f"{ORIGINAL_WISH}+es-419": ("spanish-latino", "DUAL Latino"),
    "es-ES": ("spanish-castellano", "Castellano"),
    f"{ORIGINAL_WISH}+es-ES": ("spanish-castellano", "DUAL Castellano"),
    "pt-BR": ("portuguese-brazil", "Dublado"),
    f"{ORIGINAL_WISH}+pt-BR": ("portuguese-brazil", "DUAL Dublado"),
}


def recipe_file(wish: str, kind: str) -> str | None:
    """The recipe's file name for ``wish`` on an *arr of ``kind`` (``sonarr``,
    ``radarr``), or None: no recipe makes a profile for it."""
    need = NEEDS.get(wish)
    if need is None or kind not in KINDS:
        return None
    return f"{kind}-{need[0]}.yml"


def recipe_profile(wish: str) -> str | None:
    """The name of the recipe's profile that grabs ``wish`` (None: no recipe)."""
    need = NEEDS.get(wish)
    return None if need is None else need[1]
