"""Which of a search's episodes Sonarr is asked for: one rule for the search and for its
preview, so that the preview lists what the search sends.

An EpisodeSearch grabs an episode Sonarr does not monitor (a search a person asked for:
Sonarr/Sonarr src/NzbDrone.Core/DecisionEngine/Specifications/RssSync/
MonitoredEpisodeSpecification.cs), while Sonarr's own search for missing episodes never
asks for one (src/NzbDrone.Core/IndexerSearch/EpisodeSearchService.cs): Taggarr asks as
the latter (docs/arr-api.md, "Commands"). Which episodes Sonarr monitors is Sonarr's
word only (an episode's flag is not stored: a person changes it in Sonarr at any time),
so the preview asks Sonarr too: one request per series it would search.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from scanner.arr import ArrClient, SonarrClient
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ConfigError
from scanner.models import Instance
from scanner.searches.plan import ItemSearch, SearchPlan, Skipped


def monitored_ids(client: ArrClient, search: ItemSearch) -> tuple[list[int], str]:
    """The ids to search for, or none and why. Of a series, the episodes Sonarr lists
    and monitors (``search.episodes`` keeps only those); of a movie, the movie."""
    arr_id = int(search.media.arr_id or 0)
    if not isinstance(client, SonarrClient):
        return [arr_id], ""  # Radarr: the movie
    listed = {(episode.season, episode.number): episode for episode in client.episodes(arr_id)}
    known = [listed[pair] for pair in search.episodes if pair in listed]
    monitored = [episode for episode in known if episode.monitored]
    if not monitored:
        if known:
            return [], _("Sonarr monitors none of its episodes that lack a target")
        return [], _("Sonarr lists none of its episodes")
    search.episodes = [(episode.season, episode.number) for episode in monitored]
    return [episode.id for episode in monitored], ""


def as_sent(plan: SearchPlan) -> SearchPlan:
    """The preview ``plan`` narrowed as the search will narrow it: each series' episodes
    to those Sonarr monitors, a series with none of them skipped, the bound they leave
    given back. When Sonarr cannot say, the search's note says that it asks only for
    the monitored ones."""
    series: dict[int, list[ItemSearch]] = defaultdict(list)
    for search in plan.searches:
        if search.media.instance.kind == Instance.Kind.SONARR:
            series[search.media.instance_id].append(search)
    for searches in series.values():
        instance = searches[0].media.instance
        try:
            client = arr_client(instance)
        except ConfigError:
            _unsure(searches)
            continue
        with client:
            for index, search in enumerate(searches):
                before = search.count
                try:
                    ids, why = monitored_ids(client, search)
                except ArrError:
                    _unsure(searches[index:])
                    break
                if not ids:
                    plan.searches.remove(search)
                    plan.skipped.append(Skipped(search.media, why))
                    plan.left_today[instance.name] += before
                else:
                    plan.left_today[instance.name] += before - search.count
    return plan


def _unsure(searches: list[ItemSearch]) -> None:
    unsure = _("Sonarr could not be asked which of them it monitors: only those are searched.")
    for search in searches:
        # Sentences of their own, one after the other (issue 71: never a clause appended).
        search.note = f"{search.note} {unsure}" if search.note else str(unsure)
