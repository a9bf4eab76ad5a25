"""Fake servers for development, the tests and the benchmark: a Sonarr/Radarr
(``fakes.arr``), a Jellyfin or an Emby, a release at a time (``fakes.jellyfin``) and a
Plex Media Server (``fakes.plex``), and a server that answers badly on purpose
(``fakes.hostile``), each run in process or as ``python -m fakes.<name>``.

They are not part of the product: Taggarr never imports them, they import nothing of
Taggarr (so a fake cannot agree with a client merely because both run the same code),
and the Docker image leaves them out. Standard library only.
"""
