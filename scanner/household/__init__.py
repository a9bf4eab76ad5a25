"""The household (issue 70): the people who watch, and what each of them will hear.

One room for the feature: each person's track set in Plex (``plex_tracks``, one part at
a time: ``plex_parts``, its streams matched to Taggarr's tracks: ``stream_match``, what
to send: ``stream_choice``, only the items whose choice may have changed read:
``track_checks``), the dry run of what each person will hear (``dry_run``, its
sentences ``dry_run_sentences``) and its counts kept per person (``counts``), the advice
on a Jellyfin or Emby user's own playback settings (``playback_*``,
``account_playback``), the accounts a server lists for the admin's picker
(``server_accounts``), what the Plex step did last (``track_results``) and why it sent
nothing (``track_reasons``).

The decision of which track plays is the engine's (``scanner.engine.file_choice``, on
``scanner.engine.track_choice``): this room reads the rows it decides from and sends
what it decided. It comes after the pipeline and the media servers (it uses their
clients and writers' retries; they never import it: an import contract); its pages are
in ``web/`` and ``api/``. Its models stay in ``scanner.models`` (household,
person_tracks, person_counts)."""
