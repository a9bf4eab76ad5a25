"""Listening to audio tracks (issue 53): decoding samples of one track (decode.py), the
speech model loaded once per process (model.py), and one track's answer (listen.py).
The optional extra (requirements-listen.txt) provides PyAV and faster-whisper; without
it ``available()`` says why and nothing here is imported by the scan. The engine never
imports this package (an import contract): it holds only what was heard.
"""
