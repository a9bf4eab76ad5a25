"""Media servers (Jellyfin, Emby, Plex): everything Taggarr does with them, in one place.

``clients/`` speaks to the servers (no Django: plain values over HTTP); ``matching``
pairs the run's items with the server's (no Django either); ``connect`` builds the
client of a stored connection (``scanner.models.MediaServer``); ``writes/`` are the
writers the pipeline's apply step calls."""
