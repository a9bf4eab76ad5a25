"""Each item's quality profile follows what its household wants (issue 82): the feature,
one folder.

The *arr grabs what an item's quality profile prefers. A person maps each wish Taggarr
knows (scanner.engine.wishes: the original only, a dub, the original and a dub) to one of
the *arr's own quality profiles (models.WishProfile); after each scan, and at once for a
Seerr request, each item's wish is planned (plan.py, the database alone), and on "set"
the mapped profile is given to the item with one PUT of the *arr's own editor, read back
(apply.py), journalled (models.ProfileChange), told (events.py) and undoable (undo.py). A
profile a person changed in the *arr after Taggarr set it is theirs: left alone until
released on the item (hand.py).
"""
