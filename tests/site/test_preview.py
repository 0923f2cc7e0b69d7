"""`plaintrust serve`: while the repository has problems the preview shows them on an error page
(escaped), the terminal gets the report, and live reload brings the site back once they are fixed."""

from __future__ import annotations

import fnmatch
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import jinja2
import pytest
from watchdog.events import FileModifiedEvent, FileOpenedEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from helpers import edit, write
from payloads import apply_control_payloads
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.public import preview
from plaintrust.public.guard import tree

HEADING = "The trust center cannot be built"
TITLE_LINE = "controls/access/ac-01.yaml:13:10: error [public-markup] the public title of AC-01 holds HTML"


def html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text() for p in sorted(site.rglob("*.html"))}


def test_an_invalid_repository_gets_an_escaped_error_page(base_repo: Path, caplog) -> None:
    apply_control_payloads(base_repo)
    with caplog.at_level(logging.INFO, logger="mkdocs"), preview.opened(base_repo) as server:  # built, not listening
        site = Path(server.root)
        page = (site / "index.html").read_text()
        not_found = server.error_handler(404).decode()
    assert f"<h1>{HEADING}: 4 problems</h1>" in page
    assert TITLE_LINE.replace("'", "&#39;") + " (&#39;&lt;script&gt;&#39;)" in page
    assert "<script" not in page and "javascript:" not in page.replace("&#39;javascript:alert(4)&#39;", "")
    assert not_found.count('<meta http-equiv="refresh"') == 1 and TITLE_LINE in not_found
    assert '<meta http-equiv="refresh"' not in page  # live reload reaches pages served as files
    [record] = [r for r in caplog.records if r.name == "mkdocs.plugins.plaintrust"]
    assert record.levelno == logging.ERROR and TITLE_LINE in record.getMessage()
    assert record.getMessage().endswith("3 errors, 1 warning")


def test_the_error_page_takes_every_page_of_the_last_site_and_gives_way_when_fixed(base_repo: Path) -> None:
    with preview.opened(base_repo) as server:
        site = Path(server.root)
        pages = html_files(site)
        assert "practices/access-control/index.html" in pages and not any(HEADING in p for p in pages.values())
        edit(base_repo, "controls/access/ac-01.yaml", "  category: access-control\n", "  category: no-such-category\n")
        assert server.builder() is False
        shown = html_files(site)
        assert shown.keys() == pages.keys() and all(HEADING in p for p in shown.values())
        assert not (site / "assets").exists() and not (site / "trust.json").exists()  # nothing of the old site stays
        edit(base_repo, "controls/access/ac-01.yaml", "  category: no-such-category\n", "  category: access-control\n")
        assert server.builder() is True
        assert not any(HEADING in p for p in html_files(site).values())
    assert not site.exists()  # the preview's folder goes with it


def test_a_build_that_mkdocs_stops_is_shown_too(base_repo: Path) -> None:
    # A hook publishes an internal value: the leak guard stops the build after MkDocs wrote it.
    write(
        base_repo,
        "hooks/late.py",
        "from pathlib import Path\n\n\ndef on_post_build(config):\n"
        "    Path(config.site_dir, 'late.txt').write_text('ask it-security@test.example')\n",
    )
    edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/late.py\nplugins:\n")
    with preview.opened(base_repo) as server:
        page = (Path(server.root) / "index.html").read_text()
        assert f"{HEADING}: 1 problem</h1>" in page and "internal data reached the public site" in page
        assert not (Path(server.root) / "late.txt").exists()


def site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


SUMMARY = "A password alone is never enough."


def test_a_rebuild_serves_byte_for_byte_what_a_fresh_preview_builds(base_repo: Path) -> None:
    # A rebuild reuses the last one's compiled templates, theme listing, parsed files and leak-guard
    # findings: what it serves must not tell.
    with preview.opened(base_repo) as server:
        edit(base_repo, "controls/access/ac-01.yaml", SUMMARY, "A password alone is never enough for us.")
        assert server.builder() is True
        rebuilt = site_bytes(Path(server.root))
    with preview.opened(base_repo) as fresh:
        assert site_bytes(Path(fresh.root)) == rebuilt
    assert "never enough for us." in rebuilt["practices/access-control/index.html"].decode()


def spy(monkeypatch, owner: object, name: str, noted: list, what) -> None:
    """`owner.name` as it was, noting `what(*its arguments)` in `noted` on each call."""
    original = getattr(owner, name)

    def noting(*args, **kwargs):
        noted.append(what(*args))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, noting)


def test_a_rebuild_redoes_only_what_the_save_changed(base_repo: Path, monkeypatch) -> None:
    compiled: list = []
    listed: list = []
    judged: list = []
    matched: list = []
    with preview.opened(base_repo) as server:
        spy(monkeypatch, jinja2.Environment, "compile", compiled, lambda env, source, name=None, *rest: name)
        spy(monkeypatch, jinja2.FileSystemLoader, "list_templates", listed, lambda loader: loader.searchpath)
        spy(monkeypatch, fnmatch, "fnmatch", matched, lambda name, pattern: name)
        spy(monkeypatch, tree, "_file_leaks", judged, lambda rel, *rest: rel)
        edit(base_repo, "controls/access/ac-01.yaml", SUMMARY, "A password alone is never enough for us.")
        assert server.builder() is True
    assert compiled == []  # the theme's templates, Material's search plugin's included, as compiled before
    assert listed == []  # the installed theme is not listed again (a custom_dir would be)
    assert matched == []  # nor each of its 14,000 names put through MkDocs' filter for static files again
    assert sorted(judged) == ["practices/access-control/index.html", "search/search_index.json", "trust.json"]


def test_a_rebuild_is_judged_by_the_leak_guard_as_the_first_build_is(base_repo: Path) -> None:
    with preview.opened(base_repo) as server:
        assert server.builder() is True  # the guard has read every file once: its findings are kept
        write(
            base_repo,
            "hooks/late.py",
            "from pathlib import Path\n\n\ndef on_post_build(config):\n"
            "    Path(config.site_dir, 'index.html').write_text('ask it-security@test.example')\n",
        )
        edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/late.py\nplugins:\n")
        assert server.builder() is False
        page = (Path(server.root) / "index.html").read_text()
        assert "internal data reached the public site" in page and "index.html: contains the owner" in page


def test_the_server_hears_a_save_at_once_and_a_read_is_no_change(base_repo: Path) -> None:
    with preview.opened(base_repo) as server:
        observers = server.observer
        assert isinstance(observers, preview._Observers)
        assert isinstance(observers.polling, PollingObserver)  # MkDocs' poll stays, for any file system
        assert not isinstance(observers.native, PollingObserver)  # Linux, macOS and Windows have their own
        heard: list = []
        handler = FileSystemEventHandler()
        handler.dispatch = heard.append  # type: ignore[method-assign]
        native, poll = preview._Heard(handler, observers.heard), preview._Echo(handler, observers.heard)
        path = str(base_repo / "controls/access/ac-01.yaml")
        native.dispatch(FileOpenedEvent(path))  # inotify reports reads too: the build reads every input
        native.dispatch(FileModifiedEvent(path))
        poll.dispatch(FileModifiedEvent(path))  # the same save, found by the poll a moment later
        poll.dispatch(FileModifiedEvent(str(base_repo / "controls/access/ac-02.yaml")))  # one only it saw
    assert [event.src_path for event in heard] == [path, str(base_repo / "controls/access/ac-02.yaml")]


def test_where_the_platform_refuses_to_watch_the_poll_still_hears_a_save(base_repo: Path, caplog) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    with preview.opened(base_repo, url.removeprefix("http://").rstrip("/")) as server:

        def refused() -> None:
            raise OSError(24, "inotify instance limit reached")

        server.observer.native.start = refused  # as Linux says it when every inotify instance is taken
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            threading.Thread(target=server.serve, daemon=True).start()
            assert until(url + "practices/access-control/", lambda b: SUMMARY in b)[0] == 200
        edit(base_repo, "controls/access/ac-01.yaml", SUMMARY, "A password alone is never enough for us.")
        status, body = until(url + "practices/access-control/", lambda b: "never enough for us." in b)
    assert status == 200 and "never enough for us." in body
    assert any("noticed within half a second" in r.getMessage() for r in caplog.records)


def test_one_save_is_one_rebuild_even_an_atomic_one(base_repo: Path) -> None:
    # An editor's safe save writes a temporary file and renames it over the old one: two changes a
    # moment apart, which the short settle delay must still take for one.
    url = f"http://127.0.0.1:{free_port()}/"
    with preview.opened(base_repo, url.removeprefix("http://").rstrip("/")) as server:
        assert server.build_delay == preview.SETTLE_SECONDS < 0.1  # MkDocs waits 0.1 s
        builds: list[bool] = []
        build = server.builder
        server.builder = lambda: builds.append(build())  # type: ignore[func-returns-value]
        threading.Thread(target=server.serve, daemon=True).start()
        assert until(url + "practices/access-control/", lambda b: SUMMARY in b)[0] == 200
        control = base_repo / "controls/access/ac-01.yaml"
        saved = control.with_name(".ac-01.yaml.tmp")
        saved.write_text(control.read_text().replace(SUMMARY, "A password alone is never enough for us."))
        os.replace(saved, control)
        assert until(url + "practices/access-control/", lambda b: "never enough for us." in b)[0] == 200
        time.sleep(1.2)  # the poll walks every half second: it must not build the same save again
    assert builds == [True]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def until(url: str, wanted, seconds: float = 30) -> tuple[int, str]:
    """Fetch `url` until `wanted(body)`: the server notices an edit within a second or so."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, body = fetch(url)
        except urllib.error.URLError:  # not listening yet
            status, body = 0, ""
        if wanted(body) or time.monotonic() > deadline:
            return status, body
        time.sleep(0.1)


def test_the_real_server_answers_with_the_error_page_then_the_site(base_repo: Path) -> None:
    control = base_repo / "controls/access/ac-01.yaml"
    valid = control.read_text()
    apply_control_payloads(base_repo)
    url = f"http://127.0.0.1:{free_port()}/"
    with preview.opened(base_repo, url.removeprefix("http://").rstrip("/")) as server:
        threading.Thread(target=server.serve, daemon=True).start()
        status, body = until(url, lambda b: HEADING in b)
        assert status == 200 and "&lt;script&gt;" in body and "livereload" in body  # the server reloads it
        assert until(url + "practices/nowhere/", lambda b: HEADING in b)[0] == 404
        control.write_text(valid)
        status, body = until(url, lambda b: b and HEADING not in b)
        assert status == 200 and "Example Test Co Trust Center" in body


BROKEN_TEMPLATE = '{% extends "base.html" %}{% block content %}{{ foo( }}{% endblock %}\n'
TEMPLATE_SAID = (
    "overrides/main.html, line 1, raised TemplateSyntaxError: unexpected &#39;}&#39;, expected &#39;)&#39; "
    "(your code, not plaintrust&#39;s)"
)
HOOK_SAID = "hooks/h.py, line 2, raised ValueError: no title (your code, not plaintrust&#39;s)"


def break_template(repo: Path) -> None:
    write(repo, "overrides/main.html", BROKEN_TEMPLATE)
    edit(repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")


def break_hook(repo: Path) -> None:
    write(repo, "hooks/h.py", "def on_page_markdown(markdown, **kwargs):\n    raise ValueError('no title')\n")
    edit(repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/h.py\nplugins:\n")


def test_a_broken_template_or_hook_is_shown_as_build_says_it_and_the_fix_brings_the_site_back(
    runner, base_repo: Path
) -> None:
    break_template(base_repo)
    built = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert TEMPLATE_SAID.replace("&#39;", "'") in built.output  # the same words as `build`
    with preview.opened(base_repo) as server:  # the first build: no traceback, the error page
        page = (Path(server.root) / "index.html").read_text()
        assert f"{HEADING}: 1 problem</h1>" in page and TEMPLATE_SAID in page
        assert str(base_repo / "overrides") in server._watched_paths  # saving the fix rebuilds
        write(base_repo, "overrides/main.html", '{% extends "base.html" %}\n')
        break_hook(base_repo)
        assert server.builder() is False
        page = (Path(server.root) / "index.html").read_text()
        assert HOOK_SAID in page and "TemplateSyntaxError" not in page
        edit(base_repo, "mkdocs.yml", "hooks:\n  - hooks/h.py\n", "")
        assert server.builder() is True and HEADING not in (Path(server.root) / "index.html").read_text()


def test_a_bug_of_ours_is_reported_as_one_and_the_server_keeps_answering(base_repo: Path, monkeypatch, caplog) -> None:
    from plaintrust.public import pages

    with preview.opened(base_repo) as server:
        monkeypatch.setattr(pages, "render_all", lambda *a, **k: 1 / 0)  # raised inside the plugin: ours
        with caplog.at_level(logging.ERROR, logger="mkdocs"):
            assert server.builder() is False
        page = (Path(server.root) / "index.html").read_text()
        assert "plaintrust itself failed (a bug, not a problem in your files" in page
        assert "ZeroDivisionError: division by zero" in page
        assert any(r.exc_info and r.levelno == logging.ERROR for r in caplog.records)  # the trace, to report
        monkeypatch.undo()
        assert server.builder() is True


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("127.0.0.1:99999", "Invalid value for --dev-addr: '127.0.0.1:99999' has no port from 1 to 65535"),
        ("localhost:0", "Invalid value for --dev-addr: 'localhost:0' has no port from 1 to 65535"),
        ("127.0.0.1:80x", "Invalid value for --dev-addr: '127.0.0.1:80x' is not IP:PORT"),
        ("example.com:8000", "Invalid value for --dev-addr: 'example.com:8000' is not IP:PORT"),
    ],
)
def test_a_wrong_address_is_a_usage_error(runner, base_repo: Path, address: str, said: str) -> None:
    result = runner.invoke(cli.cli, ["serve", "--root", str(base_repo), "--dev-addr", address])
    assert result.exit_code == ExitCode.USAGE and said in result.output, result.output
    assert "Traceback" not in result.output


def test_a_wrong_address_in_mkdocs_yml_is_refused_before_serving(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n", "dev_addr: 127.0.0.1:70000\nplugins:\n")
    result = runner.invoke(cli.cli, ["serve", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "dev_addr in mkdocs.yml: '127.0.0.1:70000' has no port from 1 to 65535" in result.output


def test_serve_outside_a_repository_says_so(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["serve", "--root", str(tmp_path)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "there is no trust-center repository here" in result.output
    assert "plaintrust init DIRECTORY" in result.output and "Config file" not in result.output


def test_a_terminated_preview_removes_its_folder(base_repo: Path, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [sys.executable, "-m", "plaintrust", "serve", "--root", str(base_repo), "-a", address],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, _ = until(f"http://{address}/", lambda b: "Trust Center" in b, seconds=120)
        assert status == 200 and [p.name[:19] for p in temporary.iterdir()] == ["plaintrust-preview-"]
    finally:
        server.send_signal(signal.SIGTERM)
        said, _ = server.communicate(timeout=60)
    assert server.returncode == 0 and "Shutting down" in said, said
    assert list(temporary.iterdir()) == []


def test_a_hook_that_stops_the_preview_before_it_serves_is_named(
    runner, base_repo: Path, tmp_path: Path, monkeypatch
) -> None:
    write(base_repo, "hooks/h.py", "def on_serve(server, **kwargs):\n    raise ValueError('no server')\n")
    edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/h.py\nplugins:\n")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(preview.tempfile, "tempdir", None)  # read TMPDIR again
    threads = set(threading.enumerate())
    result = runner.invoke(cli.cli, ["serve", "--root", str(base_repo), "-a", f"127.0.0.1:{free_port()}"])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert (
        "the preview did not start: hooks/h.py, line 2, raised ValueError: no server (your code, not plaintrust's)"
    ) in result.output
    assert not list(tmp_path.glob("plaintrust-preview-*"))
    _no_thread_left_but(threads)


def _no_thread_left_but(threads: set[threading.Thread], seconds: float = 5.0) -> None:
    """The server stopped whole: no watcher's thread outlives it (a process with threads left cannot
    fork the check's workers safely)."""
    deadline = time.monotonic() + seconds
    while (left := set(threading.enumerate()) - threads) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, left


def test_a_filter_changed_during_the_session_compiles_its_templates_again() -> None:
    """Jinja writes into a template's code whether a filter exists and what it is passed: a hook that
    changes one while the preview runs must not get the code compiled for the old one."""
    from plaintrust.public.session import CompiledTemplates

    kept = CompiledTemplates()

    def render(shout) -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 'x' | shout }}"}), bytecode_cache=kept)
        env.filters["shout"] = shout
        return env.get_template("t.html").render(page="p")

    assert render(lambda text: text.upper()) == "X"
    assert render(jinja2.pass_context(lambda context, text: text.upper() + "!" + context["page"])) == "X!p"
