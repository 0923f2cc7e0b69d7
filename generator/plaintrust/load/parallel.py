"""Checking many files on both cores: parsing is the cost, and it splits cleanly by file.

Workers are forked, which costs nothing to start, only when that is safe: on Linux, and only from
a single-threaded process (forking while another thread holds a lock can deadlock the child; the
MkDocs live server runs threads, so `plaintrust serve` stays in one process). Small runs stay in
one process too: below a couple of thousand files the pool does not pay for itself.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from plaintrust.load.checked import Checked, check_files

PARALLEL_FROM = 2000  # files to read before a second process pays for itself
CHUNK = 500


def workers() -> int:
    """Cores this process may use; 1 when forking is not safe here."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return len(os.sched_getaffinity(0))


def check_many(root: Path, jobs: list[tuple[str, str]]) -> list[Checked]:
    """`check_files` over `jobs` ((rel, kind) pairs), spread over processes when worth it.

    This process takes a share itself: its results need no pickling, and it would otherwise sit
    idle waiting for the workers.
    """
    count = workers()
    if len(jobs) < PARALLEL_FROM or count < 2:
        return check_files(root, jobs)
    share = len(jobs) // count
    mine, theirs = jobs[:share], jobs[share:]
    chunks = [theirs[i : i + CHUNK] for i in range(0, len(theirs), CHUNK)]
    import multiprocessing  # only a cold run of thousands of files comes here
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        results = pool.map(check_files, [root] * len(chunks), chunks)
        own = check_files(root, mine)
        return own + [checked for chunk in results for checked in chunk]
