"""Each item's quality profile follows what its household wants (issue 82)."""
