"""Overseerr and Jellyseerr (Seerr, issue 72): the client (no Django), the webhook's body
read, the settings to paste into Seerr, and what Taggarr answers (docs/seerr.md)."""
