"""The one way Plaintrust runs git on a repository it reads: hardened against the repository itself.

A repository's `.git/config` travels with a copied or downloaded folder, so whoever wrote it chooses
its settings. Reading the repository (`check`, `build`, `gaps --since`, the frameworks' baselines)
must never let those settings make Plaintrust run a program, reach the network or verify a
signature. Settings on git's command line beat the repository's, so every run gets `HARDENED`:

- `core.quotepath=false`: names come out as stored, whatever the repository says; readers parse them.
- `log.showSignature=false`: `log` and `show` would verify signatures with `gpg.program`, a program
  the repository can name.
- `protocol.allow=never`, and `protocol.<name>.allow=never` for each transport by name, since a
  repository's `protocol.<name>.allow=always` would beat the general setting: no fetch of any kind
  (and `ext::` runs a command).
- `core.fsmonitor=false`: it names a hook program git runs to learn which files changed.
- `core.hooksPath=/dev/null`: no hook of the repository's runs.

Beside them: `GIT_NO_LAZY_FETCH=1` stops a partial clone from fetching a missing object from its
promisor remote. The caller's `GIT_*` variables are dropped (a git hook that runs Plaintrust sets
`GIT_DIR` and `GIT_INDEX_FILE`), except `GIT_CEILING_DIRECTORIES`, which only stops git from
looking further up for a repository. Every run has a timeout, one whose output is read as it comes
(`popen`) included: it is killed then.

A commit's files are read from git's objects (`cat-file`, see internal.history), never through
`git archive` or a checkout: no filter driver, attribute or export rule of the repository applies, so
its `.gitattributes` can neither run a program nor leave a file out.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

TIMEOUT = 30  # seconds
_PROTOCOLS = ("ext", "file", "http", "https", "ssh", "git")
HARDENED = (
    *("-c", "core.quotepath=false"),
    *("-c", "log.showSignature=false"),
    *("-c", "protocol.allow=never"),
    *(word for name in _PROTOCOLS for word in ("-c", f"protocol.{name}.allow=never")),
    *("-c", "core.fsmonitor=false"),
    *("-c", "core.hooksPath=/dev/null"),
)
_KEPT = ("GIT_CEILING_DIRECTORIES",)


class GitError(Exception):
    """git could not be run, ran past its timeout, or could not tell what it would run."""


class GitMissing(GitError):
    """git is not installed."""


def run(
    root: Path,
    args: Sequence[str],
    stdin: bytes | None = None,
    *,
    timeout: float = TIMEOUT,
    settings: Sequence[str] = (),
) -> subprocess.CompletedProcess[bytes]:
    """git `args` in the repository at `root`, hardened, with `settings` (more `-c` pairs) after
    `HARDENED`. A failing git is a completed process like any other; GitError when git could not
    run at all, GitMissing when it is not installed."""
    command, env = _command(root, args, settings), _env()
    try:
        return subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, env=env, check=False)
    except FileNotFoundError as exc:
        raise GitMissing("git is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"timed out after {timeout:g} seconds") from exc
    except OSError as exc:
        raise GitError(exc.strerror or str(exc)) from exc


def last_words(done: subprocess.CompletedProcess[bytes], fallback: str) -> str:
    """git's last line on its error output (where it says why it failed), `fallback` when it wrote none."""
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else fallback


@contextmanager
def popen(root: Path, args: Sequence[str], *, timeout: float = TIMEOUT) -> Iterator[subprocess.Popen[bytes]]:
    """git `args` as `run` starts it, hardened alike, for a caller that reads its output as it comes
    (a commit's objects, which need not fit in memory): stdin and stdout are pipes, stderr is
    dropped. It is killed once `timeout` seconds have passed, and on leaving; GitError on leaving
    when it ran past the timeout, GitError or GitMissing when it could not start."""
    process = _started(_command(root, args, ()))
    expired = threading.Event()
    watchdog = threading.Timer(timeout, _expire, (process, expired))
    watchdog.start()
    try:
        with process:  # closes the pipes and waits for it
            try:
                yield process
            finally:
                process.kill()
                if expired.is_set():  # what the caller met (output cut short) came of the timeout
                    raise GitError(f"timed out after {timeout:g} seconds")
    finally:
        watchdog.cancel()


def _started(command: list[str]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env()
        )
    except FileNotFoundError as exc:
        raise GitMissing("git is not installed") from exc
    except OSError as exc:
        raise GitError(exc.strerror or str(exc)) from exc


def _expire(process: subprocess.Popen[bytes], expired: threading.Event) -> None:
    expired.set()
    process.kill()


def _command(root: Path, args: Sequence[str], settings: Sequence[str]) -> list[str]:
    return ["git", *HARDENED, *settings, "-C", str(root), *args]


def _env() -> dict[str, str]:
    """The caller's environment without its `GIT_*` variables (bar `_KEPT`), and no lazy fetch."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env["GIT_NO_LAZY_FETCH"] = "1"
    return env
