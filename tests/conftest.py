"""Fixtures shared by every test: a pinned "today", a click runner, case repositories, golden files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import BASE, EPOCH, Golden, build_case


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected output files from this run")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests last: their session's web server and Playwright's threads outlive them, and a
    process with threads never forks the check's workers, which the tests of those workers need."""
    items.sort(key=lambda item: "browser" in Path(str(item.path)).parts)


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def base_repo(tmp_path: Path) -> Path:
    return build_case(BASE, tmp_path / "repo")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(request.config.getoption("--update-golden"))
