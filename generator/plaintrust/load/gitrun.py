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
looking further up for a repository. Every run has a timeout.

`git archive` applies filter drivers as it writes each file: a repository can name a program as a
driver (`filter.<name>.smudge` or `.process`) and assign it to every file in its `.gitattributes`.
`own_programs_off` turns those off, and the signature programs too, for what the repository's own
configuration names; the user's own settings (global, system) stay, so Git LFS installed for the
user still works.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
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
# Settings naming a program that `git archive` may run: a filter driver, or a signature program
# (for `%G?` in a file marked `export-subst`). Keys as `git config` writes them: lowercase, bar the
# driver's name.
_PROGRAMS = r"^(filter\..+\.(smudge|process|clean)|gpg\.program|gpg\.[^.]+\.program)$"
_USERS = ("system", "global")  # scopes the repository cannot write


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
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env["GIT_NO_LAZY_FETCH"] = "1"
    command = ["git", *HARDENED, *settings, "-C", str(root), *args]
    try:
        return subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, env=env, check=False)
    except FileNotFoundError as exc:
        raise GitMissing("git is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"timed out after {timeout:g} seconds") from exc
    except OSError as exc:
        raise GitError(exc.strerror or str(exc)) from exc


def own_programs_off(root: Path, *, timeout: float = TIMEOUT) -> tuple[str, ...]:
    """`-c` pairs for `run(settings=...)` so that no program the repository's own configuration
    names as a filter driver or signature program runs: each such setting gets back the user's own
    value (global or system), or none. GitError when git cannot list them."""
    done = run(root, ["config", "--show-scope", "-z", "--get-regexp", _PROGRAMS], timeout=timeout)
    if done.returncode == 1 and not done.stdout:
        return ()  # nothing set
    if done.returncode != 0:  # git before 2.26 has no --show-scope: nothing may be assumed safe then
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"could not list the repository's own settings: {lines[-1] if lines else 'failed'}")
    return _overrides(done.stdout)


def _overrides(listing: bytes) -> tuple[str, ...]:
    """From `git config --show-scope -z` output (scope, NUL, key, line break, value, NUL): the
    pairs overriding each key whose value in force comes from the repository."""
    fields = listing.decode("utf-8", "surrogateescape").split("\0")
    last: dict[str, str] = {}  # key -> scope of the value in force
    users: dict[str, str] = {}  # key -> the user's own value in force
    for scope, entry in zip(fields[0::2], fields[1::2], strict=False):
        key, _, value = entry.partition("\n")
        last[key] = scope
        if scope in _USERS:
            users[key] = value
    pairs: list[str] = []
    for key, scope in last.items():
        if scope in _USERS:
            continue
        if "=" in key:  # `-c` would split the name there: the setting cannot be overridden
            raise GitError(f"the repository's setting {key} cannot be turned off")
        pairs += ["-c", f"{key}={users.get(key, '')}"]
    return tuple(pairs)
