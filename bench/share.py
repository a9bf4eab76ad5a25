"""The benchmark's NAS share: the library mounted again through bench/slowfs.c, a FUSE
passthrough that waits ``delay_ms`` on every call (attributes cached for 1 s, data
not at all), so every scan can be timed on local disk and on the share.

Needs /dev/fuse, Debian's fuse3 (``fusermount3``) and, to build slowfs, a C compiler,
pkg-config and Debian's libfuse3-dev. The mount is the benchmark's own:
``Share.unmount`` (registered on the run's ExitStack) unmounts it by its mount point
and stops the slowfs process by its id.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.services import BenchError, Service, start_service

SLOWFS = Path(__file__).resolve().parent / "slowfs.c"
STATS = ".slowfs-stats"  # slowfs's call counters, read through the mount
ATTR_CACHE_SECONDS = 1.0  # slowfs's attr_timeout / entry_timeout


def fusermount() -> str:
    found = shutil.which("fusermount3")
    if not found:
        raise BenchError("no fusermount3: install Debian's fuse3")
    return found


def build_slowfs(folder: Path) -> Path:
    """bench/slowfs.c compiled against libfuse 3, into ``folder``."""
    compiler, pkg_config = shutil.which("cc"), shutil.which("pkg-config")
    if not compiler or not pkg_config:
        raise BenchError("building bench/slowfs.c needs a C compiler (cc) and pkg-config")
    flags = subprocess.run(
        [pkg_config, "--cflags", "--libs", "fuse3"], capture_output=True, text=True, check=False
    )
    if flags.returncode != 0:
        raise BenchError("building bench/slowfs.c needs libfuse 3: install Debian's libfuse3-dev")
    binary = folder / "slowfs"
    command = [compiler, "-O2", "-Wall", "-o", str(binary), str(SLOWFS), *flags.stdout.split()]
    built = subprocess.run(command, capture_output=True, text=True, check=False)
    if built.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed:\n{built.stderr}")
    return binary


@dataclass
class Share:
    library: Path  # what is shared
    mountpoint: Path
    delay_ms: float
    service: Service
    listing_attrs: bool = False
    writable: bool = False

    def cpu_seconds(self) -> float:
        """CPU time the slowfs process used so far: it runs on this machine's cores,
        where a NAS does its work elsewhere."""
        try:
            with open(f"/proc/{self.service.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def path(self, local: Path | str) -> Path:
        """The same file or folder on the share."""
        return self.mountpoint / Path(local).relative_to(self.library)

    def calls(self) -> Counter[str]:
        """The file system calls served so far, by kind (open, opendir, readdir, ...)."""
        return Counter(json.loads((self.mountpoint / STATS).read_bytes().strip() or b"{}"))

    def settle(self) -> None:
        """A change made on the library shows on the share once the kernel's cached
        attributes expire, as on an NFS/SMB client."""
        time.sleep(ATTR_CACHE_SECONDS + 0.1)

    def unmount(self) -> None:
        if os.path.ismount(self.mountpoint):
            done = subprocess.run(
                [fusermount(), "-u", str(self.mountpoint)], capture_output=True, check=False
            )
            if done.returncode != 0:  # busy: detach it now, it goes when the last user does
                subprocess.run([fusermount(), "-u", "-z", str(self.mountpoint)], check=False)
        self.service.stop(10)


def mount_share(
    library: Path,
    mountpoint: Path,
    delay_ms: float,
    log: Path,
    *,
    listing_attrs: bool = False,
    writable: bool = False,
) -> Share:
    """``writable``: files may be written in place and fsync'ed (never created,
    truncated or removed): bench/slowfs.c's --writable."""
    if not os.path.exists("/dev/fuse"):
        raise BenchError("--share-delay-ms needs /dev/fuse (FUSE), which this machine lacks")
    fusermount()
    mountpoint.mkdir(parents=True, exist_ok=True)
    command = [str(build_slowfs(log.parent)), str(library), str(mountpoint)]
    command += ["--delay-ms", str(delay_ms)] + (["--listing-attrs"] if listing_attrs else [])
    command += ["--writable"] if writable else []
    service = start_service(
        "slowfs share",
        command,
        os.environ,
        log,
        ready=lambda _service: os.path.ismount(mountpoint),
    )
    return Share(library, mountpoint, delay_ms, service, listing_attrs, writable)
