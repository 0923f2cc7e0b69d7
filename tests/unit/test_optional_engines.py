"""`engine_or_skip`: a missing engine skips the test with the command that installs it, and fails in CI."""

from __future__ import annotations

import pytest

from optional_engines import engine_or_skip

ABSENT = "no_such_engine"  # no package of that name: the engine is as missing as an uninstalled one


def test_a_missing_engine_skips_with_the_command_that_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLAINTRUST_REQUIRE_ENGINES", raising=False)
    with pytest.raises(pytest.skip.Exception, match=rf"{ABSENT} is not installed.*`make engines`"):
        engine_or_skip(ABSENT)


def test_a_missing_engine_fails_where_every_engine_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAINTRUST_REQUIRE_ENGINES", "1")
    with pytest.raises(pytest.fail.Exception, match="PLAINTRUST_REQUIRE_ENGINES=1"):
        engine_or_skip(ABSENT)
