"""Checking many files on every core: parsing is the cost, and it parallelises cleanly.

Workers are started with "spawn" (a clean interpreter): the MkDocs live server runs threads, and
forking a threaded process can deadlock. Starting them costs about a third of a second, so small
runs stay in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from plaintrust.load.checked import Checked, check_files

PARALLEL_FROM = 2000  # files to read before a second process pays for itself


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check_many(root: Path, jobs: list[tuple[str, str]]) -> list[Checked]:
    """`check_files` over `jobs` ((rel, kind) pairs), spread over processes when worth it."""
    count = workers()
    if len(jobs) < PARALLEL_FROM or count < 2:
        return check_files(root, jobs)
    chunks = [jobs[i : i + 500] for i in range(0, len(jobs), 500)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        results = pool.map(check_files, [root] * len(chunks), chunks)
        return [checked for chunk in results for checked in chunk]
