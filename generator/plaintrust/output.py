"""Atomic output: build into a staging folder beside the target, swap it in only on success."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


def staging_for(final: Path) -> Path:
    """A fresh, empty folder next to `final` (same file system, so the swap is a rename)."""
    staging = final.parent / f".{final.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging`; the previous `final` survives until the new one is in place."""
    retired = final.parent / f".{final.name}.old-{os.getpid()}"
    shutil.rmtree(retired, ignore_errors=True)
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class Staged:
    """A finished output waiting in its staging folder: committed together with the others, or dropped."""

    staging: Path
    final: Path

    def commit(self) -> Path:
        swap_in(self.staging, self.final)
        return self.final

    def drop(self) -> None:
        discard(self.staging)
