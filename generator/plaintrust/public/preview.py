"""`plaintrust serve`: the local preview, which shows the problems of an invalid repository instead of hanging.

MkDocs' live-reload server answers a request only once a build has succeeded, so while an edit
leaves the repository invalid a browser would wait for as long as the error stays. Here every
rebuild runs the pipeline first. When it finds errors (or MkDocs stops), the terminal gets the
report through MkDocs' logger, and the served folder holds one error page in place of every page
of the last site; live reload replaces it with the site as soon as the files are fixed. A template
or hook of yours that raises is named there as `plaintrust build` names it, and even a bug of ours
gives the page rather than a server that never answers.

The page can quote internal values, as `check` does. Served on this computer alone (the default),
the server refuses a request for any other host name, which is how a web page elsewhere would
reach it (DNS rebinding); served on another address, it warns that the values are open to anyone
who can reach it. Ctrl+C and SIGTERM both remove its temporary folder.

Only this preview writes that page, into a temporary folder of its own: `plaintrust build` and
`mkdocs build` stop with exit 1 and leave the previous site untouched.

A save is heard at once (the platform's file events beside MkDocs' half-second poll), and each
rebuild starts from what the last one left: parsed files in memory, compiled templates, the
theme's listing, the leak guard's findings for files whose bytes did not change (`session`).
What it serves is byte for byte what a fresh build makes.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import logging
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.base import ValidationError
from mkdocs.config.config_options import IpAddress
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, MkDocsException
from mkdocs.livereload import LiveReloadServer
from mkdocs.utils import clean_directory

from plaintrust import pipeline, terminate
from plaintrust.load.doccache import DocumentCache
from plaintrust.public.plugin import WATCHED, Handover
from plaintrust.public.session import Session
from plaintrust.public.sitebuild import CONFIG, Collect, culprit
from plaintrust.reporters import summary, text

log = logging.getLogger("mkdocs.plugins.plaintrust")  # shown wherever MkDocs' own messages are
HOME = "index.html"
NOT_FOUND = "404.html"  # what the server answers for an address the folder does not hold
REFRESH_SECONDS = 3  # the server's live reload reaches only pages it serves as files, not its 404 answer
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
OUR_BUG = "plaintrust itself failed (a bug, not a problem in your files; the terminal shows the trace to report)"
# How long after the platform reports a change the poll's report of the same path is taken for it:
# the poll runs every half second, and may take a while to walk a large repository.
ECHO_SECONDS = 5.0
# How long the files must stay quiet before a rebuild starts (MkDocs waits 0.1 s). A save, even an
# atomic one (a temporary file renamed over the old) or vim's with its swap files, is reported in
# under 2 ms; a write slower than this costs a second rebuild, never a wrong page.
SETTLE_SECONDS = 0.02


class Preview:
    """The builder the live-reload server calls on every change: it writes the site, or the error page."""

    def __init__(self, root: Path, site: Path, dev_addr: str | None = None) -> None:
        self.root, self.site = root, site
        self.options = {"dev_addr": dev_addr} if dev_addr else {}
        self.url: str | None = None  # where the server serves the site: MkDocs writes links for it
        self.pages = {HOME}  # the last site's pages: while there is an error, each shows it
        self.session = Session()  # what each build leaves for the next
        self.documents = DocumentCache(root)  # the files parsed and checked so far, kept in memory

    def config(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.root / CONFIG), site_dir=str(self.site), **self.options)
        if self.url:
            config.site_url = self.url
        return config

    def __call__(self, config: MkDocsConfig | None = None) -> bool:
        """One rebuild; True when it built the site, False when it wrote the error page instead.
        It never raises: a server whose builder raises keeps the browser waiting, even on a bug of ours."""
        try:
            result = pipeline.run(self.root, cache=self.documents)
            if result.failed():
                log.error(
                    "the trust center cannot be built; the preview shows these problems until they are fixed:\n%s%s",
                    text(result.diagnostics),
                    summary(result.diagnostics),
                )
                self.show_error(len(result.diagnostics), text(result.diagnostics).splitlines())
                return False
            return self._build(config, result)
        except Exception as exc:
            log.exception(OUR_BUG)
            self.show_error(1, [OUR_BUG, f"{type(exc).__name__}: {exc}"])
            return False

    def _build(self, config: MkDocsConfig | None, result: pipeline.Result) -> bool:
        collected = Collect()
        logging.getLogger("mkdocs").addHandler(collected)
        try:
            config = config or self.config()
            plugin = config.plugins.get("plaintrust")
            if plugin is not None:
                # the pipeline has just run: the plugin need not run it again
                plugin.handover(Handover(result, guard=self.session.guard))
            self.session.adopt(config.theme)
            mkdocs_build(config, serve_url=self.url)
        except MkDocsException as exc:  # MkDocs has said why, through its logger
            said = str(exc)
            messages = [*collected.messages, *([said] if said and not said.startswith("Aborted") else [])]
            self.show_error(len(messages) or 1, messages or [said])
            return False
        except Exception as exc:  # noqa: BLE001 - a template, hook, plugin or Markdown extension stopped it
            return self._raised(exc, list(collected.messages))
        finally:
            logging.getLogger("mkdocs").removeHandler(collected)
        self.pages = {p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")} | {HOME}
        return True

    def _raised(self, exc: Exception, messages: list[str]) -> bool:
        """The error page naming what raised `exc` as `plaintrust build` names it (a file of yours,
        or a plugin); a bug of ours is raised again, for the caller to report as one."""
        said = culprit(exc, self.root)
        if said is None:
            raise exc
        log.error("the site was not built: %s", said)  # MkDocs says nothing of an exception it did not raise
        self.show_error(len(messages) + 1, [*messages, said])
        return False

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
    from plaintrust.public.pages import environment  # Jinja, autoescaping

    return environment().get_template("preview_error.html").render(count=count, lines=lines, refresh=refresh)


def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


@contextlib.contextmanager
def opened(root: Path, dev_addr: str | None = None) -> Iterator[LiveReloadServer]:
    """The live-reload server with a first build done and every input watched, not yet listening:
    `serve()` it; leaving the block stops it and removes its folder."""
    folder = Path(tempfile.mkdtemp(prefix="plaintrust-preview-"))
    site, changes = folder / "site", folder / "changes"
    site.mkdir()
    changes.mkdir()
    try:
        preview = Preview(root, site, dev_addr)
        config = preview.config()
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            host, port = _address(config)
            server = LiveReloadServer(
                # MkDocs declares a builder that returns None and ignores what it returns: ours says
                # whether it built the site, for whoever calls it directly.
                builder=preview,  # type: ignore[arg-type]
                host=host,
                port=port,
                root=str(site),
                mount_path=urlsplit(config.site_url or "/").path,
            )
            # Shut down however the block ends: a hook that stops the preview before it serves must
            # not leave the socket open or the platform observer's reading thread running.
            served = server  # a plugin's on_serve may hand back another server: both are shut down
            try:
                served = _prepared(server, config, preview, host, changes)
                yield served
            finally:
                for each in {id(s): s for s in (served, server)}.values():
                    each.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _prepared(
    server: LiveReloadServer, config: MkDocsConfig, preview: Preview, host: str, changes: Path
) -> LiveReloadServer:
    """`server` with the preview's observers, answers and first build, and every input watched."""
    server.observer = _Observers(server.observer)  # type: ignore[assignment]
    server.build_delay = SETTLE_SECONDS
    server.error_handler = preview.not_found
    app = server.get_app()
    assert app is not None  # LiveReloadServer sets its own application as it is made
    server.set_app(_only_for(host, app))
    preview.url = config.site_url = server.url
    preview(config)
    watched = _watch(server, config, preview)
    _watch_folders_appear(watched, preview.root, changes)
    return watched


class _Observers:
    """The observer the server schedules its watches on: MkDocs' poll, every half second, which sees
    a change on any file system, and beside it the platform's own (inotify, FSEvents, kqueue,
    Windows), which reports a save at once. What the platform reported, the poll does not report
    again; where the platform reports nothing (some network and container mounts) or refuses to
    watch more (Linux's inotify limits), the poll still does, as before."""

    def __init__(self, polling: Any) -> None:  # a watchdog BaseObserver
        self.polling, self.native = polling, watchdog.observers.Observer()
        self.heard: dict[str, float] = {}  # path -> when the platform reported a change to it
        self.twins: dict[Any, Any] = {}  # the poll's watch -> the platform's watch of the same path

    def schedule(self, handler: Any, path: str, *, recursive: bool = False) -> Any:
        watch = self.polling.schedule(_Echo(handler, self.heard), path, recursive=recursive)
        self.twins[watch] = self.native.schedule(_Heard(handler, self.heard), path, recursive=recursive)
        return watch

    def unschedule(self, watch: Any) -> None:
        self.polling.unschedule(watch)
        with contextlib.suppress(KeyError):
            self.native.unschedule(self.twins.pop(watch))

    def start(self) -> None:
        self.polling.start()
        try:
            self.native.start()
        except OSError as exc:
            self.native.unschedule_all()  # the watches it did start would fill a queue no one reads
            log.warning("changes are noticed within half a second, not at once: %s", exc)

    def stop(self) -> None:
        for observer in (self.native, self.polling):
            observer.stop()

    def join(self, timeout: float | None = None) -> None:
        for observer in (self.native, self.polling):
            if observer.is_alive():
                observer.join(timeout)


class _Heard(watchdog.events.FileSystemEventHandler):
    """A handler behind the platform's observer: it passes on the changes the poll would report (not
    a file opened or closed unwritten, which inotify reports too: the build reads every input), and
    notes each path it passed."""

    CHANGES = ("created", "deleted", "modified", "moved")

    def __init__(self, handler: Any, heard: dict[str, float]) -> None:
        super().__init__()
        self.handler, self.heard = handler, heard

    def dispatch(self, event: Any) -> None:
        if event.event_type not in self.CHANGES:
            return
        now = time.monotonic()
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.heard[path] = now
        self.handler.dispatch(event)


class _Echo(_Heard):
    """A handler behind the poll: a change the platform reported a moment ago is not reported twice."""

    def dispatch(self, event: Any) -> None:
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if all(time.monotonic() - self.heard.get(path, -math.inf) < ECHO_SECONDS for path in paths):
            return
        self.handler.dispatch(event)


def _watch(server: LiveReloadServer, config: MkDocsConfig, preview: Preview) -> LiveReloadServer:
    """site/, mkdocs.yml and the folders of controls and evidence: watched here, since while the
    repository is invalid the plugin may not be there to add them. So are your theme overrides and
    hooks: the error page may name a mistake in them, and saving the fix should bring the site back."""
    server.watch(config.docs_dir)
    server.watch(str(preview.root / CONFIG))
    yours = [preview.root / name for name in WATCHED]
    yours += [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    # MkDocs declares `hooks` a list of modules, but the option makes a dict of name -> module.
    hooks = config.hooks.values()  # type: ignore[attr-defined]
    yours += [Path(hook.__file__) for hook in hooks if getattr(hook, "__file__", None)]
    for item in yours:
        if item.exists():
            server.watch(str(item))
    server = config.plugins.on_serve(server, config=config, builder=preview)
    for path in config.watch:
        server.watch(path)
    return server


def _watch_folders_appear(server: LiveReloadServer, root: Path, changes: Path) -> None:
    """Each folder of WATCHED made after the server started, watched from then on, and the site rebuilt
    with what it holds: a team that starts its answer library while previewing makes answers/ then.
    A folder removed is rebuilt without, and watched again if it comes back. Only the repository's
    top is polled for them, not what is under it."""
    server.watch(str(changes))
    top = os.path.abspath(root)
    # Any object with `dispatch` is a handler to the observer; its class is of watchdog, MkDocs' library.
    server.observer.schedule(_Appear(server, top, changes), top, recursive=False)  # type: ignore[arg-type]


class _Appear:
    """The observer's handler (it calls `dispatch`) for the repository's top. MkDocs has no call to
    ask for a rebuild: a file written into `changes` (the preview's own folder, watched like any
    other) is the change it rebuilds on."""

    def __init__(self, server: LiveReloadServer, top: str, changes: Path) -> None:
        self.server, self.changes = server, changes
        self.folders = {os.path.join(top, name) for name in WATCHED}
        self.nudges = itertools.count()

    def dispatch(self, event: Any) -> None:  # a watchdog FileSystemEvent
        if not event.is_directory:
            return
        kind = event.event_type
        gone = event.src_path if kind in ("deleted", "moved") else None
        made = event.dest_path if kind == "moved" else event.src_path if kind == "created" else None
        gone, made = (path if path in self.folders else None for path in (gone, made))
        if gone:
            _unwatch(self.server, gone)
        if made:
            self.server.watch(made)
        if gone or made:
            (self.changes / "nudge").write_text(str(next(self.nudges)), encoding="utf-8")


def _unwatch(server: LiveReloadServer, path: str) -> None:
    """No watch of `path` left (the preview's and the plugin's), so that a folder made again is watched anew."""
    with contextlib.suppress(KeyError):
        while True:
            server.unwatch(path)


def address_problem(value: str) -> str | None:
    """Why `value` is no IP:PORT to serve on (None: it is one): MkDocs' own rules, and a port from 1 to
    65535, which MkDocs leaves to the operating system to refuse with a traceback."""
    try:
        _host, port = IpAddress().validate(value)
    except ValidationError as exc:
        return f"{value!r} is not IP:PORT, such as 127.0.0.1:8000: {exc}"
    return None if 1 <= port <= 65535 else f"{value!r} has no port from 1 to 65535, such as 127.0.0.1:8000"


def _address(config: MkDocsConfig) -> tuple[str, int]:
    """Where to serve (--dev-addr, else mkdocs.yml's dev_addr), with a warning when it is not this computer alone."""
    host, port = config.dev_addr
    if problem := address_problem(f"{host}:{port}"):
        raise ConfigurationError(f"dev_addr in {CONFIG}: {problem}")
    if not _loopback(host):
        shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        log.warning(
            "the preview shows internal values of your repository to anyone who can reach %s; serve on "
            "127.0.0.1 to keep it on this computer",
            shown,
        )
    return host, port


def _loopback(host: str) -> bool:
    return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback


def _only_for(host: str, app: Callable) -> Callable:
    """The server's application, refusing a request for another host name when it serves this computer
    alone: a web page elsewhere could otherwise reach the preview under a name of its own that resolves
    here (DNS rebinding) and read it. Served on the network, it answers to any name it is reached by."""
    if not _loopback(host):
        return app
    allowed = {*LOOPBACK_NAMES, host.lower().strip("[]")}

    def answer(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if _host_name(environ.get("HTTP_HOST", "")) in allowed:
            return app(environ, start_response)
        start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
        return [f"This preview answers only to {host} and localhost.\n".encode()]

    return answer


def _host_name(header: str) -> str | None:
    """The name in a Host header, without its port (None when it is not one)."""
    try:
        return urlsplit(f"//{header}").hostname
    except ValueError:
        return None


def serve(root: Path, dev_addr: str | None) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    with terminate.as_interrupt(), opened(root, dev_addr) as server:
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
