"""Dub badges on posters (issue 95): what an item's badges say, from what Taggarr knows
of its dubs (says.py), and the badges drawn on a poster at its own size (draw.py). The
act that writes them where each media server reads them, plans, reviews and undoes them
on the change flow (scanner.changes), builds on these two."""
