"""The optional engines: a test that builds with ProperDocs or Zensical calls `engine_or_skip` first.

It skips with the reason when the engine is not installed, unless PLAINTRUST_REQUIRE_ENGINES=1 (set by
CI, which installs both), where a missing engine is a failure, as PLAINTRUST_REQUIRE_BROWSER does for Chromium.
"""

from __future__ import annotations

import os

import pytest

from plaintrust.public.engines import missing


def engine_or_skip(name: str) -> None:
    """Nothing when engine `name` can run here; MkDocs, a default dependency, always can."""
    why = missing(name)
    if why is None:
        return
    reason = f"{why} (in this repository: `make engines`)"
    if os.environ.get("PLAINTRUST_REQUIRE_ENGINES") == "1":
        pytest.fail(f"{reason}; PLAINTRUST_REQUIRE_ENGINES=1")
    pytest.skip(f"{reason}; set PLAINTRUST_REQUIRE_ENGINES=1 to make this a failure")
