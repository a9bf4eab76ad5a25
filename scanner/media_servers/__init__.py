"""Media servers (Jellyfin, Emby, Plex): how Taggarr speaks and writes to them, in one place.

``clients/`` speaks to the servers (no Django: plain values over HTTP); ``matching``
pairs the run's items with the server's (no Django either); ``connect`` builds the
client of a stored connection (``scanner.models.MediaServer``); ``writes/`` are the
writers the pipeline's apply step calls. What the household does with them (each
person's track in Plex, the advice on a person's playback settings) is scanner.household,
which comes after this package: nothing here imports it (an import contract)."""
