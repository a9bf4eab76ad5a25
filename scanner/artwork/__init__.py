"""Posters and fanart: fetched by a worker after a scan, kept small in the database
(scanner.models.Artwork), shown by the web UI from Taggarr's own origin."""
