"""The media-server writers the pipeline's apply step calls (``tags.write_server_tags``),
after the *arr and the NFOs: what to send (``updates``), its events (``events``), and
the retries of a server that does not answer (``retries``), and what a server's writes
came to as values (``outcomes``: the pages' words are made in scanner.reports).

They use the pipeline's values (``scanner.pipeline.writers.writes``,
``scanner.pipeline.retries``) and never its runners, nor the reports or the history:
import contracts in pyproject.toml."""
