"""The embedded broker (no REDIS_URL): kombu's filesystem transport, with each message
written whole before a worker can see it.

kombu's own ``_put`` creates the message file under its final name and then writes it;
a worker polling the folder meanwhile moves the file away and reads it empty or cut
off (a JSONDecodeError in the worker, and the task is lost until the stalled-scan check
sends its work again). Here the message is written under a name no queue reads and
renamed into place: a rename within one folder is atomic, so a message is either not
there or whole.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "taggarr-filesystem"  # broker_url = f"{SCHEME}://localhost//"


class Channel(filesystem.Channel):
    # The signature of kombu's filesystem.Channel._put, which this replaces; kombu's own
    # AbstractChannel names the argument `message`, hence the override the checker sees.
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        # The name kombu gives a message (its reader sorts by it and matches the queue
        # after the first dot); while written, a suffix no queue's name ends with.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"
