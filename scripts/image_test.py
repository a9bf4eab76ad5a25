"""``make image-test``: the Docker image checked in one command, as a user runs it.

Each step prints PASS or FAIL and its time; the first FAIL stops the run (status 1),
and the total time is printed last. The steps:

1. a Docker daemon: the running one, or, as root where none runs, Debian's ``docker.io``
   (installed if missing) started in the background on the vfs storage driver with no
   bridge and no iptables rules (what a container without a kernel's overlay or
   netfilter allows; it is left running);
2. the Dockerfile's base image (``FROM``): the local one, or pulled, or, when it cannot
   be pulled (no Docker Hub), a stand-in built and said so: Debian bookworm by
   ``debootstrap`` from the Debian mirror apt uses, with bookworm's Python 3.11 made the
   image's ``python`` and ``pip`` in /usr/local (a virtual environment there, as the
   official image installs its own Python there), this host's CA bundle and pip.conf (so
   that pip and apt in the build reach the registries as this host does), tagged as the
   base's name and labelled ``org.taggarr.stand-in``; built once, used again;
3. the image, with the legacy builder (BuildKit would fetch the ``# syntax`` frontend
   from Docker Hub) and the host's network (the daemon may have no bridge);
4. the container run as docs/install.md says (``--init``, ``--stop-timeout 120``, PUID,
   PGID, UMASK, a fresh ``/config`` in a temporary folder, the media folder, the port),
   answering ``/healthz``;
5. a scan of a small library (two series of tiny real videos made with the tests' own
   ffmpeg helper, each with its ``tvshow.nfo``) through a library-folder instance made
   with the API as the first admin: the worker in the container tags both NFOs;
6. ``/config`` and the NFOs owned by PUID:PGID, nothing in ``/config`` writable by group
   or others (UMASK 022), the secrets and the password file readable by their owner
   only; the generated password printed once in the log;
7. ``docker stop``: exit status 0;
8. ``docker start``: it answers again, and reminds of the password file once;
9. ``docker stop`` again: exit status 0; the container and the temporary folder removed.

The image is kept (``taggarr:image-test``) and the next run's build takes its layers
from the cache. ``KEEP=1`` keeps the container and the temporary folder for a look.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

IMAGE = os.environ.get("IMAGE", "taggarr:image-test")
CONTAINER = "taggarr-image-test"
PUID, PGID = "1000", "1000"  # README and docs/install.md's
STAND_IN_LABEL = "org.taggarr.stand-in"
DOCKERD_LOG = Path("/var/log/taggarr-image-test-dockerd.log")
REMINDER = "The first admin's password is still in"
START_TIMEOUT = 300  # a cold start on a loaded machine (two cores, vfs)
SCAN_TIMEOUT = 300
# (show, its episodes' audio languages, the tag with original Japanese, target English)
SHOWS: tuple[tuple[str, dict[int, list[tuple[str, ...]]], str], ...] = (
    ("Anime Dubbed", {1: [("jpn", "eng")] * 2}, "dub"),
    ("Anime Half", {1: [("jpn", "eng")] * 2, 2: [("jpn",)] * 2}, "semi-dub"),
)

started = time.monotonic()


class Failed(Exception):
    """A step failed; the message says what was seen."""


def say(text: str) -> None:
    print(text, flush=True)


def step(name: str, action: Callable[[], str | None]) -> None:
    """Run one step, print PASS or FAIL with its time (and what it says)."""
    began = time.monotonic()
    try:
        note = action()
    except Failed as failed:
        say(f"FAIL  {name} ({time.monotonic() - began:.0f} s)\n{failed}")
        raise
    say(f"PASS  {name} ({time.monotonic() - began:.0f} s){f': {note}' if note else ''}")


def run(
    *command: str, check: bool = True, quiet: bool = False, **options: Any
) -> subprocess.CompletedProcess[str]:
    """A command, its output kept (printed when it fails, or as it goes unless quiet)."""
    if quiet:
        options.setdefault("capture_output", True)
    done = subprocess.run(command, text=True, check=False, **options)
    if check and done.returncode != 0:
        raise Failed(
            f"`{' '.join(command)}` ended with status {done.returncode}\n"
            f"{(done.stdout or '')[-3000:]}{(done.stderr or '')[-3000:]}"
        )
    return done


def until(condition: Callable[[], bool], what: str, timeout: float, interval: float = 0.5) -> None:
    """Poll ``condition`` (never a blind sleep) for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise Failed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# 1. The daemon ---------------------------------------------------------------------------


def daemon_answers() -> bool:
    return run("docker", "info", check=False, quiet=True).returncode == 0


def start_daemon() -> str:
    if shutil.which("docker") and daemon_answers():
        version = run("docker", "version", "--format", "{{.Server.Version}}", quiet=True)
        return f"the running daemon ({version.stdout.strip()})"
    if os.getuid() != 0:
        raise Failed("no Docker daemon answers, and starting one needs root")
    if not shutil.which("dockerd") or not shutil.which("docker"):
        say("      installing Debian's docker.io (apt-get)")
        apt_install("docker.io")
    log = DOCKERD_LOG.open("a")
    subprocess.Popen(
        ["dockerd", "--storage-driver=vfs", "--iptables=false", "--bridge=none"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    until(daemon_answers, f"dockerd to answer (its log: {DOCKERD_LOG})", 120)
    return f"dockerd started (vfs, no bridge, no iptables; log {DOCKERD_LOG}), left running"


def apt_install(*packages: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env, quiet=True)
    run(
        "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env, quiet=True
    )


def host_network() -> bool:
    """Without a bridge network (the daemon started here) containers and builds use the
    host's; with one, the port is published as the docs say."""
    return run("docker", "network", "inspect", "bridge", check=False, quiet=True).returncode != 0


# 2. The base image -----------------------------------------------------------------------


def base_name() -> str:
    for line in (CHECKOUT / "Dockerfile").read_text().splitlines():
        if line.startswith("FROM "):
            return line.split()[1]
    raise Failed("no FROM in the Dockerfile")


def image_labels(name: str) -> dict[str, str] | None:
    done = run("docker", "image", "inspect", "--format", "{{json .Config.Labels}}", name,
               check=False, quiet=True)  # fmt: skip
    if done.returncode != 0:
        return None
    return json.loads(done.stdout) or {}


def base_image() -> str:
    name = base_name()
    labels = image_labels(name)
    if labels is not None:
        if STAND_IN_LABEL in labels:
            return f"{name}: the stand-in built before ({labels[STAND_IN_LABEL]})"
        return f"{name}: the local image"
    pulled = run("docker", "pull", "--quiet", name, check=False, quiet=True, timeout=120)
    if pulled.returncode == 0:
        return f"{name}: pulled"
    say(
        f"      {name} cannot be pulled here ({(pulled.stderr or '').strip()[:160]});\n"
        "      building a stand-in: Debian bookworm by debootstrap from the Debian mirror,\n"
        "      with its Python 3.11 as the image's python and pip in /usr/local"
    )
    build_stand_in(name)
    return (
        f"{name}: a stand-in built now (Debian bookworm, its Python 3.11; not the official image)"
    )


def debian_mirror() -> str:
    """The Debian archive apt uses on this host (deb822 or one-line sources)."""
    for source in [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*")]:
        if not source.is_file():
            continue
        text = source.read_text(errors="replace")
        uris: list[str] = re.findall(r"^URIs:\s*(\S+)", text, re.M)
        uris += re.findall(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+bookworm\s", text, re.M)
        for uri in uris:
            if uri.rstrip("/").endswith("/debian"):
                return uri.rstrip("/")
    return "http://deb.debian.org/debian"


def build_stand_in(name: str) -> None:
    if not shutil.which("debootstrap"):
        apt_install("debootstrap")
    mirror = debian_mirror()
    with tempfile.TemporaryDirectory(prefix="taggarr-stand-in-") as folder:
        root = Path(folder) / "rootfs"
        run(
            "debootstrap", "--variant=minbase",
            "--include=python3,python3-venv,ca-certificates,netbase,tzdata,passwd",
            "bookworm", str(root), mirror, quiet=True,
        )  # fmt: skip
        # As the official Debian images have it: bookworm, its updates and security.
        (root / "etc/apt/sources.list").unlink(missing_ok=True)
        (root / "etc/apt/sources.list.d/debian.sources").write_text(
            f"Types: deb\nURIs: {mirror}\nSuites: bookworm bookworm-updates\n"
            "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
            f"Types: deb\nURIs: {mirror}-security\nSuites: bookworm-security\n"
            "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        )
        # This host's trust and pip settings (an intercepting proxy's CA, a mirror).
        shutil.copyfile("/etc/ssl/certs/ca-certificates.crt",
                        root / "etc/ssl/certs/ca-certificates.crt")  # fmt: skip
        if Path("/etc/pip.conf").is_file():
            shutil.copyfile("/etc/pip.conf", root / "etc/pip.conf")
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for entry in (root / cache).glob("*"):
                if entry.is_file():
                    entry.unlink()
        raw = f"{name}-rootfs"
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        try:
            run("docker", "import", "-", raw, stdin=tar.stdout, quiet=True)
        finally:
            # Ours closed: should docker stop reading, tar ends (SIGPIPE), never waits on.
            if tar.stdout is not None:
                tar.stdout.close()
            tar.wait(timeout=600)
    # The official image's python and pip are in /usr/local/bin: a virtual environment
    # there (Debian's own Python stays as it is, and PEP 668 does not apply to it).
    run("docker", "rm", "-f", f"{CONTAINER}-base", check=False, quiet=True)
    run("docker", "run", "--name", f"{CONTAINER}-base", "--network=none", raw,
        "python3", "-m", "venv", "/usr/local", quiet=True)  # fmt: skip
    changes = [
        "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
        "ENV LANG=C.UTF-8",
        f'LABEL {STAND_IN_LABEL}="Debian bookworm, its Python 3.11, built by make image-test"',
        'CMD ["python3"]',
    ]
    run("docker", "commit", *[f"--change={change}" for change in changes],
        f"{CONTAINER}-base", name, quiet=True)  # fmt: skip
    run("docker", "rm", f"{CONTAINER}-base", quiet=True)
    run("docker", "rmi", raw, quiet=True)


# 3. The image ----------------------------------------------------------------------------


def image_id(name: str) -> str:
    done = run("docker", "image", "inspect", "--format", "{{.Id}}", name, check=False, quiet=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def build_image() -> str:
    network = ["--network=host"] if host_network() else []
    before = image_id(IMAGE)
    log = Path(tempfile.gettempdir()) / "taggarr-image-test-build.log"
    with log.open("w") as output:
        done = subprocess.run(
            ["docker", "build", *network, "--tag", IMAGE, str(CHECKOUT)],
            env={**os.environ, "DOCKER_BUILDKIT": "0"}, stdout=output,
            stderr=subprocess.STDOUT, text=True, check=False,
        )  # fmt: skip
    text = log.read_text(errors="replace")
    if done.returncode != 0:
        raise Failed(f"docker build ended with status {done.returncode}:\n{text[-4000:]}")
    log.unlink()
    if before and before != image_id(IMAGE):
        # The previous build, now untagged (on vfs each of its layers is a whole copy).
        run("docker", "rmi", before, check=False, quiet=True)
    cached = text.count("Using cache")
    size = run("docker", "image", "inspect", "--format", "{{.Size}}", IMAGE, quiet=True)
    return f"{IMAGE}, {int(size.stdout) / 1e6:.0f} MB ({cached} steps from the cache)"


# 4-9. The container ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Container:
    def __init__(self, folder: Path) -> None:
        self.config = folder / "config"
        self.media = folder / "media"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = ""
        self.password = ""

    # -- as a user runs it

    def start(self) -> str:
        self.config.mkdir()
        make_library(self.media / "tv")
        for path in [self.media, *self.media.rglob("*")]:
            os.chown(path, int(PUID), int(PGID), follow_symlinks=False)  # the media's owner
        if host_network():
            # No bridge: the host's network, the port chosen by the bind address.
            network = ["--network=host", "-e", f"TAGGARR_BIND=127.0.0.1:{self.port}"]
        else:
            network = ["-p", f"127.0.0.1:{self.port}:8000"]
        run("docker", "rm", "-f", CONTAINER, check=False, quiet=True)
        run(
            "docker", "run", "-d", "--name", CONTAINER, "--init", "--stop-timeout", "120",
            *network,
            "-v", f"{self.config}:/config", "-v", f"{self.media}:/media",
            "-e", f"PUID={PUID}", "-e", f"PGID={PGID}", "-e", "UMASK=022",
            "-e", "TAGGARR_TIME_ZONE=Europe/Paris",
            "-e", "TAGGARR_ALLOWED_HOSTS=localhost,127.0.0.1",
            IMAGE, quiet=True,
        )  # fmt: skip
        self.wait_healthy()
        return f"{self.url}/healthz answers 200 (PUID={PUID} PGID={PGID}, {network[0]})"

    def state(self) -> dict[str, Any]:
        done = run("docker", "inspect", "--format", "{{json .State}}", CONTAINER, quiet=True)
        return dict(json.loads(done.stdout))

    def logs(self) -> str:
        done = run("docker", "logs", CONTAINER, quiet=True)
        return done.stdout + done.stderr

    def healthy(self) -> bool:
        if not self.state()["Running"]:
            raise Failed(f"the container ended (status {self.state()['ExitCode']}):\n"
                         f"{self.logs()[-4000:]}")  # fmt: skip
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:
                return bool(answer.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def wait_healthy(self) -> None:
        try:
            until(self.healthy, "/healthz to answer 200", START_TIMEOUT)
        except Failed as failed:
            raise Failed(f"{failed}\n{self.logs()[-4000:]}") from None

    def stop(self) -> str:
        began = time.monotonic()
        run("docker", "stop", CONTAINER, quiet=True)
        took = time.monotonic() - began
        status = self.state()["ExitCode"]
        if status != 0:
            raise Failed(f"docker stop: exit status {status} (0 expected)\n{self.logs()[-3000:]}")
        return f"exit status 0 after {took:.1f} s"

    def restart(self) -> str:
        before = self.logs().count(REMINDER)
        run("docker", "start", CONTAINER, quiet=True)
        self.wait_healthy()
        reminded = self.logs().count(REMINDER) - before
        if reminded != 1:
            raise Failed(f"the restart printed the password file's reminder {reminded} times "
                         f"(once expected):\n{self.logs()[-3000:]}")  # fmt: skip
        if self.logs().count(self.password) != 1:
            raise Failed("the password was printed again after the first start")
        return "answers again; the password file's reminder printed once"

    def remove(self) -> None:
        run("docker", "rm", "-f", CONTAINER, check=False, quiet=True)

    # -- the API, as the first admin

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.url + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Token {self.token}"} if self.token else {})},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            raise Failed(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None

    def scan(self) -> str:
        text = (self.config / "admin-password.txt").read_text()
        user = re.search(r"^user: (.+)$", text, re.M)
        password = re.search(r"^password: (.+)$", text, re.M)
        if not (user and password):
            raise Failed(f"no user and password in /config/admin-password.txt:\n{text}")
        self.password = password[1]
        body = {"username": user[1], "password": self.password, "name": "image-test"}
        self.token = self.call("POST", "/api/auth/token/", body)["token"]
        instance = self.call("POST", "/api/instances/", {
            "name": "library", "kind": "library", "library_content": "series",
            "root_folders": ["/media/tv"], "original_language": "jpn",
            "target_languages": ["eng"],
        })  # fmt: skip
        scan = self.call("POST", "/api/scans/", {"instance": instance["id"]})

        def status() -> str:
            return str(self.call("GET", f"/api/scans/{scan['id']}/")["status"])

        until(lambda: status() not in ("queued", "running", "applying"),
              "the scan to end (the container's worker takes it)", SCAN_TIMEOUT)  # fmt: skip
        if status() != "succeeded":
            ended = self.call("GET", f"/api/scans/{scan['id']}/")
            raise Failed(f"scan {scan['id']} ended {ended['status']}: {ended}")
        found = {}
        for title, _, tag in SHOWS:
            nfo = self.media / "tv" / title / "tvshow.nfo"
            tags = [node.text for node in ElementTree.parse(nfo).getroot().findall("tag")]
            found[title] = tags
            if tag not in tags:
                raise Failed(f"{nfo}: tags {tags}, {tag!r} expected")
            owner = nfo.stat()
            if (str(owner.st_uid), str(owner.st_gid)) != (PUID, PGID):
                raise Failed(f"{nfo} is {owner.st_uid}:{owner.st_gid}'s, not {PUID}:{PGID}'s")
        return f"scan {scan['id']} succeeded; NFO tags {found}"

    def check_files(self) -> str:
        wrong = []
        count = 0
        for path in [self.config, *self.config.rglob("*")]:
            count += 1
            info = path.lstat()
            where = f"/config/{path.relative_to(self.config)}"
            if (str(info.st_uid), str(info.st_gid)) != (PUID, PGID):
                wrong.append(f"{where}: owner {info.st_uid}:{info.st_gid}")
            if not path.is_symlink() and info.st_mode & 0o022:
                wrong.append(f"{where}: mode {info.st_mode & 0o7777:o}, writable by others")
        for private in ("admin-password.txt", "secret_key", "encryption_key"):
            mode = (self.config / private).stat().st_mode & 0o777
            if mode & 0o077:
                wrong.append(f"/config/{private}: mode {mode:o}, not its owner's only")
        printed = self.logs().count(self.password)
        if printed != 1:
            wrong.append(f"the password printed {printed} times in the log (once expected)")
        if REMINDER in self.logs():
            wrong.append("the first start printed the password file's reminder besides the box")
        if wrong:
            raise Failed("\n".join(wrong))
        return (f"{count} entries, all {PUID}:{PGID}'s, none group/other-writable; "
                "secrets 0600; the password printed once")  # fmt: skip


def make_library(root: Path) -> None:
    """Two series of tiny real videos (the tests' ffmpeg helper), each with an NFO."""
    from tests.media import layout, make_video

    for title, seasons, _ in SHOWS:
        folder = root / title
        for season, episodes in seasons.items():
            for number, languages in enumerate(episodes, start=1):
                name = f"{title} - S{season:02d}E{number:02d}.mkv"
                make_video(folder / f"Season {season}" / name, layout(*languages))
        (folder / "tvshow.nfo").write_text(f"<tvshow>\n  <title>{title}</title>\n</tvshow>\n")


@contextmanager
def workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="taggarr-image-test-"))
    try:
        yield folder
    finally:
        if os.environ.get("KEEP") == "1":
            say(f"      kept: the container {CONTAINER} and {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    say(f"make image-test: {IMAGE} from {CHECKOUT}")
    try:
        step("a Docker daemon", start_daemon)
        step("the base image", base_image)
        step("docker build", build_image)
        with workspace() as folder:
            container = Container(folder)
            try:
                step("docker run (as docs/install.md), /healthz", container.start)
                step("a scan of a library folder tags its NFOs", container.scan)
                step("/config's owners and modes, the password once", container.check_files)
                step("docker stop", container.stop)
                step("docker start, /healthz", container.restart)
                step("docker stop again", container.stop)
            finally:
                if os.environ.get("KEEP") != "1":
                    container.remove()
    except Failed:
        say(f"FAIL  make image-test, {time.monotonic() - started:.0f} s in all")
        return 1
    say(f"PASS  make image-test: every step, {time.monotonic() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
