"""A real headless Chromium against the built example site, served on localhost.

Skips with a reason when Chromium (Debian's `chromium`), Playwright or axe-core is missing,
unless PLAINTRUST_REQUIRE_BROWSER=1 (set by CI), where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browsing import ARGS, AXE, CHROMIUM, ROOT, Watched, build_with_engine, build_with_pinned_date, serve
from optional_engines import engine_or_skip


def unavailable(reason: str) -> None:
    if os.environ.get("PLAINTRUST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PLAINTRUST_REQUIRE_BROWSER=1)")
    pytest.skip(f"{reason}; install it, or set PLAINTRUST_REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = next((c for c in CHROMIUM if os.path.exists(c)), None)
    if found is None:
        unavailable("no Chromium found (Debian: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright is not installed (`make test` installs it into .venv)")
    return found


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        unavailable(
            "axe-core is not installed (it comes from npm: run `npm ci` in the repository, with Node.js and npm)"
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_site(chromium_path: str) -> Path:
    """The example company's site, built as `make build` builds it (into build/site)."""
    return build_with_pinned_date(ROOT)


@pytest.fixture(scope="session")
def site_url(example_site: Path) -> Iterator[str]:
    yield from serve(example_site)


@pytest.fixture(scope="session")
def engine_url(site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """`engine_url(E)`: where the example built by `plaintrust build --engine E` is served, built in a
    copy of the repository on first use (MkDocs': the example site above). An engine that is not
    installed skips the test, or fails it in CI (`engine_or_skip`)."""
    urls = {"mkdocs": site_url}
    with contextlib.ExitStack() as serving:

        def url(engine: str) -> str:
            engine_or_skip(engine)
            if engine not in urls:
                site = build_with_engine(tmp_path_factory.mktemp(engine), engine)
                urls[engine] = serving.enter_context(contextlib.contextmanager(serve)(site))
            return urls[engine]

        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(context.new_page())
    context.close()
