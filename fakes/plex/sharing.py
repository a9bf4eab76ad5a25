"""A managed user's (or a friend's) label restrictions: *Restrictions → Allow only labels*
and *Exclude labels*, per library type, and what that user lists.

Plex is closed source. The filters are written as python-plexapi 4.18 sends them to
plex.tv (``plexapi/myplex.py``: ``updateFriend``, ``inviteFriend``,
``createHomeUser`` take ``filterMovies`` and ``filterTelevision`` dicts, and
``_filterDictToStr`` makes ``label=a%2Cb|contentRating=G`` of them, the keys
``label``, ``label!``, ``contentRating``, ``contentRating!``); the server applies the
filter of the library's type to what the user's token lists. What they filter is
Plex's documented behaviour (support.plex.tv, *Restricting the Shares*): labels are
set on a movie or on a TV show, and a show's episodes come with the show. So here:

- a movie section lists, for the user, the movies whose labels meet ``filterMovies``;
  a show section the shows whose labels meet ``filterTelevision``;
- ``label=a,b``: at least one of them (Plex matches labels ignoring case);
  ``label!=a,b``: none of them;
- a show's episodes (``/library/metadata/{id}/allLeaves``) are listed when the show
  is, whatever labels an episode holds (not modelled: Taggarr writes none there), and
  a show or movie the user does not get is 404 by its key.

Content ratings are not played (the fake's items have none): a filter naming one is
refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["PlexUser", "filter_string", "passes"]

_KEYS = ("contentRating", "label", "contentRating!", "label!")


def filter_string(filters: Mapping[str, Iterable[str]]) -> str:
    """plexapi's ``MyPlexAccount._filterDictToStr``: ``{'label': ['dub-de']}`` ->
    ``label=dub-de``, values joined by ``%2C``, conditions by ``|``."""
    parts = []
    for key, values in filters.items():
        if key not in _KEYS:
            raise ValueError(f"Unknown filter key: {key}")
        parts.append(f"{key}={'%2C'.join(values)}")
    return "|".join(parts)


@dataclass(frozen=True)
class PlexUser:
    """A user's token on this server and the filters of its share."""

    title: str
    token: str
    filter_movies: str = ""
    filter_television: str = ""
    # The plex.tv account the token belongs to (plex_tv.py); 0: the token is its own
    # account (a user added with ``add_user`` alone). A home user's two tokens (the
    # server's access token and the one ``switch`` hands out) are one account.
    account_id: int = 0

    @property
    def account(self) -> str:
        """Whose stream selections this token reads and writes (streams.py)."""
        return str(self.account_id) if self.account_id else f"token:{self.title}"

    def filter_for(self, section_type: str) -> str:
        return {"movie": self.filter_movies, "show": self.filter_television}.get(section_type, "")


def _conditions(text: str) -> list[tuple[str, set[str]]]:
    conditions = []
    for part in (p for p in text.split("|") if p):
        key, _, values = part.partition("=")
        if key not in _KEYS:
            raise ValueError(f"Unknown filter key: {key}")
        if key.startswith("contentRating"):
            raise ValueError("content ratings are not played by the fake")
        names = {unquote(value).casefold() for value in values.split("%2C") if value}
        conditions.append((key, names))
    return conditions


def passes(filter_text: str, labels: Iterable[str]) -> bool:
    """Whether an item with ``labels`` meets a share filter (``filter_string``'s form)."""
    have = {label.casefold() for label in labels}
    for key, names in _conditions(filter_text):
        if key == "label" and not names & have:
            return False
        if key == "label!" and names & have:
            return False
    return True
