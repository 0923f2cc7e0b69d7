"""Building the example and serving it on localhost, running axe, watching a page's console: for the browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from helpers import EPOCH, example_copy
from plaintrust import cli, pipeline
from plaintrust.public import sitebuild

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def build_with_pinned_date(repo: Path) -> Path:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        result = pipeline.run(repo)
        assert not result.failed(), result.diagnostics
        return sitebuild.build_site(repo, result).commit()
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


# The accessibility bar every page of the site is held to: WCAG 2 A and AA, serious or critical.
AXE_RUN = "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
SERIOUS = ("serious", "critical")


def build_with_engine(repo: Path, engine: str) -> Path:
    """The example copied into `repo` and built there by `plaintrust build --engine ENGINE`: its site."""
    example_copy(repo)
    done = CliRunner().invoke(
        cli.cli, ["build", "--root", str(repo), "--engine", engine], env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert done.exit_code == 0, done.output
    return repo / "build" / "site"


def serious_violations(page, axe_source: str) -> list[str]:
    """axe's serious and critical violations on the page loaded in `page`, each with where it is."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate(AXE_RUN)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Watched:
    """A page plus every console error and uncaught exception it produced."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
