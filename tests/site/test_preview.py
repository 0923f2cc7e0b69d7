"""`plaintrust serve`: while the repository has problems the preview shows them on an error page
(escaped), the terminal gets the report, and live reload brings the site back once they are fixed."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers import edit, write
from payloads import apply_control_payloads
from plaintrust import preview

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
    write(base_repo, "hooks/late.py", "from pathlib import Path\n\n\ndef on_post_build(config):\n"
          "    Path(config.site_dir, 'late.txt').write_text('ask it-security@test.example')\n")
    edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/late.py\nplugins:\n")
    with preview.opened(base_repo) as server:
        page = (Path(server.root) / "index.html").read_text()
        assert f"{HEADING}: 1 problem</h1>" in page and "internal data reached the public site" in page
        assert not (Path(server.root) / "late.txt").exists()


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
