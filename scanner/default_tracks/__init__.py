"""Each file's own default track, set in place (issue 81): the feature, one folder.

Players that are not told which track to start (Jellyfin and Emby with "Play default
audio track" on, Kodi, Infuse, VLC) start the track the file flags as default. Taggarr
plans, per file, the default audio (and subtitle) track the household's rules choose
(engine.track_choice), shows the plan, and on the user's opt-in changes the Matroska
header's FlagDefault elements in place: never a remux, the file's size unchanged, every
change journalled before it is made, read again after it, and undoable.

The file level (no Django): matroska.py reads a header, header_edit.py plans and writes
the flags' bytes, verify.py compares two reads. The rest is the feature's Django side.
"""
