"""`plaintrust serve`: the local preview, which shows the problems of an invalid repository instead of hanging.

MkDocs' live-reload server answers a request only once a build has succeeded, so while an edit
leaves the repository invalid a browser would wait for as long as the error stays. Here every
rebuild runs the pipeline first. When it finds errors (or MkDocs stops), the terminal gets the
report through MkDocs' logger, and the served folder holds one error page in place of every page
of the last site; live reload replaces it with the site as soon as the files are fixed.

Only this preview writes that page, into a temporary folder of its own: `plaintrust build` and
`mkdocs build` stop with exit 1 and leave the previous site untouched.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer
from mkdocs.utils import clean_directory

from plaintrust import pipeline
from plaintrust.plugin import WATCHED
from plaintrust.reporters import summary, text
from plaintrust.sitebuild import CONFIG, Collect

log = logging.getLogger("mkdocs.plugins.plaintrust")  # shown wherever MkDocs' own messages are
HOME = "index.html"
NOT_FOUND = "404.html"  # what the server answers for an address the folder does not hold
REFRESH_SECONDS = 3  # the server's live reload reaches only pages it serves as files, not its 404 answer


class Preview:
    """The builder the live-reload server calls on every change: it writes the site, or the error page."""

    def __init__(self, root: Path, site: Path, dev_addr: str | None = None) -> None:
        self.root, self.site = root, site
        self.options = {"dev_addr": dev_addr} if dev_addr else {}
        self.url: str | None = None  # where the server serves the site: MkDocs writes links for it
        self.pages = {HOME}  # the last site's pages: while there is an error, each shows it

    def config(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.root / CONFIG), site_dir=str(self.site), **self.options)
        if self.url:
            config.site_url = self.url
        return config

    def __call__(self, config: MkDocsConfig | None = None) -> bool:
        """One rebuild; True when it built the site, False when it wrote the error page instead."""
        result = pipeline.run(self.root)
        if result.failed():
            log.error("the trust center cannot be built; the preview shows these problems until they are fixed:\n%s%s",
                      text(result.diagnostics), summary(result.diagnostics))
            self.show_error(len(result.diagnostics), text(result.diagnostics).splitlines())
            return False
        return self._build(config, result)

    def _build(self, config: MkDocsConfig | None, result: pipeline.Result) -> bool:
        collected = Collect()
        logging.getLogger("mkdocs").addHandler(collected)
        try:
            config = config or self.config()
            plugin = config.plugins.get("plaintrust")
            if plugin is not None:
                plugin.preloaded = result  # the pipeline has just run: the plugin need not run it again
            mkdocs_build(config, serve_url=self.url)
        except MkDocsException as exc:  # MkDocs has said why, through its logger
            said = str(exc)
            messages = [*collected.messages, *([said] if said and not said.startswith("Aborted") else [])]
            self.show_error(len(messages) or 1, messages or [said])
            return False
        finally:
            logging.getLogger("mkdocs").removeHandler(collected)
        self.pages = {p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")} | {HOME}
        return True

    def show_error(self, count: int, lines: list[str]) -> None:
        """The error page in place of every page of the last site, and as the answer for any other address."""
        clean_directory(str(self.site))
        for rel in sorted(self.pages - {NOT_FOUND}):
            _write(self.site / rel, error_page(count, lines))
        _write(self.site / NOT_FOUND, error_page(count, lines, refresh=REFRESH_SECONDS))

    def not_found(self, code: int) -> bytes | None:
        """The server's answer for a missing address: the site's own 404 page, or the error page."""
        page = self.site / NOT_FOUND
        return page.read_bytes() if code == 404 and page.is_file() else None


def error_page(count: int, lines: list[str], refresh: int | None = None) -> str:
    """The error page: the report as `check` prints it, every character escaped."""
    from plaintrust.render.pages import environment  # Jinja, autoescaping

    return environment().get_template("preview_error.html").render(count=count, lines=lines, refresh=refresh)


def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


@contextlib.contextmanager
def opened(root: Path, dev_addr: str | None = None) -> Iterator[LiveReloadServer]:
    """The live-reload server with a first build done and every input watched, not yet listening:
    `serve()` it; leaving the block stops it and removes its folder."""
    site = Path(tempfile.mkdtemp(prefix="plaintrust-preview-"))
    try:
        preview = Preview(root, site, dev_addr)
        config = preview.config()
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            host, port = config.dev_addr
            server = LiveReloadServer(builder=preview, host=host, port=port, root=str(site),
                                      mount_path=urlsplit(config.site_url or "/").path)
            server.error_handler = preview.not_found
            preview.url = config.site_url = server.url
            preview(config)
            server = _watch(server, config, preview)
            try:
                yield server
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site, ignore_errors=True)


def _watch(server: LiveReloadServer, config: MkDocsConfig, preview: Preview) -> LiveReloadServer:
    """site/, mkdocs.yml and the folders of controls and evidence: watched here, since while the
    repository is invalid the plugin may not be there to add them."""
    server.watch(config.docs_dir)
    server.watch(str(preview.root / CONFIG))
    for folder in (preview.root / name for name in WATCHED):
        if folder.is_dir():
            server.watch(str(folder))
    server = config.plugins.on_serve(server, config=config, builder=preview)
    for item in config.watch:
        server.watch(item)
    return server


def serve(root: Path, dev_addr: str | None) -> None:
    """Serve until interrupted (Ctrl+C)."""
    with opened(root, dev_addr) as server:
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
