"""From saving a control to the reloaded page, in `plaintrust serve`.

    python bench/serve_latency.py REPO [--runs 7] [--plaintrust PATH]
    python bench/serve_latency.py FLOOR --mkdocs-floor    # the peer: plain `mkdocs serve`

The browser's side of MkDocs' live reload, done by hand: every served page calls
`livereload(epoch, request_id)`, and the browser long-polls `/livereload/<epoch>/<request_id>`,
which answers once a build newer than `epoch` is visible; the browser then loads the page again.
Each run edits one public control's title (a different text each time), and the clock stops when
that page, fetched after the long-poll answered, shows the new title. The file is restored at the
end. The peer is plain `mkdocs serve` of the same generated Markdown (bench/run.py's floor
project), timed the same way for an edit of a category's Markdown page. Standard library only:
bench/run.py calls `reload_seconds` (and `mkdocs_reload_seconds`).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

START_SECONDS = 600  # the first build at 10,000 controls takes a while
RELOAD_SECONDS = 120  # one edit, at any size
_EPOCH = re.compile(rb"livereload\((\d+), \d+\);")
_TITLE = re.compile(r"^(  title: )(.+)$", re.MULTILINE)
_CATEGORY = re.compile(r"^  category: ([a-z0-9-]+)$", re.MULTILINE)


@dataclass(frozen=True)
class Target:
    """A file to edit, its text as found, and the page that shows it: a public control, or (for
    plain MkDocs, the peer) the Markdown page of its category."""

    path: Path
    original: str
    page: str  # the URL path of its category's page

    def edited(self, marker: str) -> str:
        """A control with `marker` appended to its public title (the text under `public:`); a
        Markdown page with `marker` in a paragraph of its own at the end."""
        if self.path.suffix == ".md":
            return f"{self.original}\n<p>{marker}</p>\n"
        head, public, rest = self.original.partition("\npublic:\n")
        return head + public + _TITLE.sub(lambda m: f"{m[1]}{m[2]} {marker}", rest, count=1)


def public_control(repo: Path) -> Target:
    """The first control (in path order) with a public title and category."""
    for path in sorted((repo / "controls").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        _, public, rest = text.partition("\npublic:\n")
        category, title = _CATEGORY.search(rest), _TITLE.search(rest)
        if public and category and title:
            return Target(path, text, f"practices/{category[1]}/")
    raise SystemExit(f"no public control with a title and a category under {repo / 'controls'}")


def category_page(docs: Path) -> Target:
    """The first category page (in path order) of a MkDocs project made of the generated Markdown."""
    for path in sorted((docs / "practices").glob("*.md")):
        return Target(path, path.read_text(encoding="utf-8"), f"practices/{path.stem}/")
    raise SystemExit(f"no category page under {docs / 'practices'}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read()


def first_page(url: str, server: subprocess.Popen, log: Path) -> bytes:
    """The page once the server answers with the site (not the error page), or SystemExit with its output."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            page = get(url, timeout=START_SECONDS)
        except (urllib.error.URLError, ConnectionError):  # not listening yet
            time.sleep(0.1)
            continue
        if b"cannot be built" in page:
            break
        return page
    raise SystemExit(f"the preview did not serve the site:\n{log.read_text(errors='replace')[-3000:]}")


def epoch_of(page: bytes) -> int:
    found = _EPOCH.search(page)
    if found is None:
        raise SystemExit("the served page has no live-reload script")
    return int(found[1])


def one_reload(base: str, target: Target, marker: str, epoch: int) -> tuple[float, int]:
    """Seconds from writing the edit to the page showing it, and the epoch that page carries."""
    wanted = marker.encode()
    started = time.perf_counter()
    target.path.write_text(target.edited(marker), encoding="utf-8")
    deadline = time.monotonic() + RELOAD_SECONDS
    while time.monotonic() < deadline:
        # Answers at once if a newer build is visible, else when one is (or after MkDocs' minute).
        newest = int(get(f"{base}livereload/{epoch}/1", timeout=RELOAD_SECONDS))
        if newest <= epoch:
            continue
        page = get(base + target.page, timeout=RELOAD_SECONDS)
        epoch = epoch_of(page)
        if wanted in page:
            return time.perf_counter() - started, epoch
    raise SystemExit(f"the edit {marker!r} did not reach {target.page} in {RELOAD_SECONDS} s")


def reload_seconds(repo: Path, runs: int, plaintrust: str) -> list[float]:
    """Start `plaintrust serve` on a free loopback port in `repo`, wait for the first page, then `runs`
    times: edit one control's public text, and time until the server has rebuilt (its live-reload
    long-poll answers) and a GET of the page that shows that control returns the new text."""
    return measured(repo, runs, plaintrust).seconds


@dataclass(frozen=True)
class Measured:
    seconds: list[float]  # from each save to its reloaded page
    cpu: float | None  # the server's CPU seconds over all the runs (None where /proc is not there)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far, from Linux's /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mkdocs_reload_seconds(project: Path, runs: int, mkdocs: str) -> list[float]:
    """The peer: the same, with plain `mkdocs serve` of a project holding the same generated Markdown
    (bench/run.py's floor project), editing the Markdown page of a category."""
    return measured(project, runs, mkdocs, peer=True).seconds


def measured(repo: Path, runs: int, command: str, peer: bool = False) -> Measured:
    """`reload_seconds` (or with `peer`, `mkdocs_reload_seconds`), with the server's CPU time over the runs."""
    target = category_page(repo / "docs") if peer else public_control(repo)
    address = f"127.0.0.1:{free_port()}"
    base = f"http://{address}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    serve = ["serve", "--dev-addr", address] if peer else ["serve", "--root", str(repo), "--dev-addr", address]
    with tempfile.NamedTemporaryFile(prefix="serve-latency-", suffix=".log") as log:
        server = subprocess.Popen(
            [command, *serve],
            cwd=repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            epoch = epoch_of(first_page(base + target.page, server, Path(log.name)))
            seconds, before = [], cpu_seconds(server.pid)
            for run in range(runs):
                took, epoch = one_reload(base, target, f"edition {time.time_ns() % 10**9}x{run}", epoch)
                seconds.append(took)
            after = cpu_seconds(server.pid)
            return Measured(seconds, after - before if after is not None and before is not None else None)
        finally:
            target.path.write_text(target.original, encoding="utf-8")
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plaintrust", default=str(Path(sys.executable).parent / "plaintrust"))
    parser.add_argument(
        "--mkdocs-floor", action="store_true", help="REPO is a plain MkDocs project (the peer): run `mkdocs serve`"
    )
    args = parser.parse_args()
    command = str(Path(args.plaintrust).parent / "mkdocs") if args.mkdocs_floor else args.plaintrust
    found = measured(args.repo.resolve(), args.runs, command, peer=args.mkdocs_floor)
    runs = ", ".join(f"{s:.3f}" for s in found.seconds)
    print(f"save to reloaded page, median of {len(found.seconds)}: {statistics.median(found.seconds):.3f} s ({runs})")
    if found.cpu is not None:
        print(f"the server's CPU time per save: {found.cpu / len(found.seconds):.3f} s")


if __name__ == "__main__":
    main()
