"""The apply step and the writers it calls: the *arr's tags, the NFO files (and, from
scanner.media_servers.writes, the media servers)."""
