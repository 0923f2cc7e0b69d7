"""`plaintrust notify`: what the repository's texts hold never breaks a header, adds one, reaches
another recipient or becomes markup in an email; the unsubscribe address and the recipients are
checked before anything is sent; the record keeps no address and no other command overwrites it."""

from __future__ import annotations

import datetime as dt
import email
import json
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import OVERDUE, OVERDUE_NOTICE, edit, write
from payloads import PAYLOAD
from plaintrust import cli
from plaintrust.actions.notify import deliver, messages, recipients, smtp, state
from plaintrust.actions.notify.digest import Digest, Item
from plaintrust.actions.notify.recipients import is_address
from plaintrust.errors import ExitCode
from plaintrust.public.entries import Entry

INJECTION = "\r\nBcc: victim@evil.example\r\nX-Injected: yes"
HEADERS = ["From", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"]
HEAD = messages.Letterhead(
    "Org", "https://trust.test.example/", "news@test.example", "https://l.test.example/u?who={address}"
)


def _entry(
    title: str = "A title", summary_html: str = "<p>Fine.</p>", link: str = "https://trust.test.example/x/"
) -> Entry:
    moment = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    return Entry("updates", link + "#a", title, link, moment, moment, "Fine.", summary_html)


def _digest(*entries: Entry) -> Digest:
    return Digest("updates", tuple(Item(e, False) for e in entries))


def _reparsed(msg: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(messages.render(msg), policy=policy.default)


def _headers_intact(parsed: EmailMessage, to: str | None = None, one_click: bool = True) -> None:
    expected = HEADERS[:1] + (["To"] if to else []) + HEADERS[1 : None if one_click else -1]
    assert [k for k in parsed if k not in ("MIME-Version", "Content-Type")] == expected
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert "\n" not in str(parsed["Subject"]) and "\n" not in str(parsed["From"])
    assert parsed["To"] == to


TAGS = {"html", "head", "meta", "title", "body", "div", "h1", "h2", "p", "a"}
ATTRIBUTES = {"lang", "charset", "name", "content", "style", "href"}


class _Markup(HTMLParser):
    """Every element and attribute of an HTML body, as a mail program reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.links += [value or "" for name, value in attrs if name == "href"]


def _no_markup(html: str) -> None:
    """Only the digest's own elements and attributes, and links to the web: the texts stay text."""
    found = _Markup()
    found.feed(html)
    assert found.tags <= TAGS, found.tags - TAGS
    assert found.attributes <= ATTRIBUTES, found.attributes - ATTRIBUTES
    assert all(link.startswith("https://") or link == "#" for link in found.links), found.links


def test_names_with_markup_and_line_breaks_stay_text_in_every_message(runner, base_repo: Path, tmp_path: Path) -> None:
    """trust.yaml's texts are plain text (pages escape them): the organisation and a subprocessor's
    name carry script tags and header lines; the notice's title a header line."""
    trust = base_repo / "site/trust.yaml"
    # JSON strings are YAML's double-quoted scalars: the line breaks arrive as written.
    text = trust.read_text(encoding="utf-8").replace(
        "organization: Example Test Co", f"organization: {json.dumps(f'Org {PAYLOAD}{INJECTION}')}"
    )
    name = json.dumps(f"Sub {PAYLOAD}{INJECTION}")
    text += f"subprocessors:\n  - {{name: {name}, purpose: Mail, location: EU, data: Emails, added: 2026-11-10}}\n"
    trust.write_text(text, encoding="utf-8")
    write(
        base_repo,
        OVERDUE_NOTICE,
        OVERDUE.replace("title: Slow data exports", 'title: "Slow\\r\\nBcc: victim@evil.example"'),
    )
    out = tmp_path / "out"
    result = runner.invoke(
        cli.cli,
        [
            "notify",
            "--root",
            str(base_repo),
            "--since",
            "2026-11-01",
            "-o",
            str(out),
            "--unsubscribe",
            "https://l.test.example/u",
        ],
    )
    assert result.exit_code == ExitCode.OK, result.output
    for name in ("updates.eml", "subprocessors.eml"):
        parsed = email.message_from_bytes((out / name).read_bytes(), policy=policy.default)
        _headers_intact(parsed, one_click=False)  # one address for all: no one-click
        assert parsed["Subject"].startswith("Org <script>alert(1)</script>")  # shown as typed, in plain text
        plain, html = (parsed.get_body((kind,)).get_content() for kind in ("plain", "html"))
        _no_markup(html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "victim@evil.example" in plain  # words kept, as text


def test_each_message_goes_to_its_recipient_alone_whatever_its_headers_say() -> None:
    """smtplib is given the recipient, never left to read To, Cc or Bcc from the message."""
    calls = []

    class Client:
        def send_message(self, msg, from_addr, to_addrs):
            calls.append((from_addr, to_addrs, msg["To"]))

    organisation = HEAD.__class__(f"Org{INJECTION}", HEAD.base, HEAD.sender, HEAD.unsubscribe)
    msg = messages.message(_digest(_entry(f"Title{INJECTION}")), organisation, "ann@customer.example")
    connection = smtp.Connection(smtp.Server("mail.test.example", 587), Client(), True)  # type: ignore[arg-type]
    assert smtp.deliver(connection, msg, HEAD.sender, "ann@customer.example") is None
    assert calls == [("news@test.example", ["ann@customer.example"], "ann@customer.example")]
    _headers_intact(_reparsed(msg), "ann@customer.example")


@pytest.mark.parametrize("text", ["\x00", "\x0b", "\x1b[31m", "\u2028", "\u0085", "\r", "\n\t"])
def test_control_characters_in_the_organisation_never_reach_a_header(text: str) -> None:
    head = messages.Letterhead(f"Org{text}Bcc: x@evil.example", HEAD.base, HEAD.sender, None)
    parsed = _reparsed(messages.message(_digest(_entry()), head))
    assert (
        parsed["Bcc"] is None
        and parsed["Subject"].isprintable()
        and parsed["From"].addresses[0].display_name.isprintable()
    )


def test_an_entrys_html_is_cleaned_again_and_a_link_that_is_not_http_is_not_followed() -> None:
    entry = _entry(
        "T",
        '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(2)">go</a></p>',
        "javascript:alert(3)//",
    )
    html = messages.html_body(_digest(entry), HEAD)
    _no_markup(html)
    assert 'href="#"' in html and "onclick" not in html
    assert "javascript:" not in messages.text_body(_digest(entry), HEAD)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "http://lists.test.example/u",
        "https://lists.test.example/u\r\nBcc: victim@evil.example",
        "https://lists.test.example/u>, <https://evil.example/",
        'https://lists.test.example/"onmouseover="x()',
        "https:///no-host",
        "data:text/html,<script>alert(1)</script>",
        "mailto:a@b.example\nBcc: c@d.example",
    ],
)
def test_an_unsubscribe_address_that_a_header_or_a_page_cannot_carry_is_refused(
    runner, base_repo: Path, url: str, tmp_path: Path
) -> None:
    assert messages.unsubscribe_link(url) is None
    result = runner.invoke(
        cli.cli,
        ["notify", "--root", str(base_repo), "--since", "2026-11-01", "-o", str(tmp_path / "o"), "--unsubscribe", url],
    )
    assert result.exit_code == ExitCode.USAGE and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "line",
    [
        "ann@customer.example\x00",
        "ann@customer.example, bo@other.example",
        "Ann <ann@customer.example>",
        "<ann@customer.example>",
        "ann@customer.example>\r\nRCPT TO:<victim@evil.example",
        "ann@[127.0.0.1]",
        "ann@localhost",
        "ann@-customer.example",
        "ann@customer..example",
        ".ann@customer.example",
        "ånn@customer.example",
        "a" * 250 + "@customer.example",
    ],
)
def test_only_plain_addresses_are_recipients(line: str) -> None:
    assert not is_address(line)


def test_a_recipient_line_split_by_a_carriage_return_is_reported_not_sent(
    runner, base_repo: Path, tmp_path: Path
) -> None:
    to = tmp_path / "to.txt"
    to.write_bytes(b"ann@customer.example\rBcc: victim@evil.example\n")
    result = runner.invoke(
        cli.cli,
        [
            "notify",
            "--root",
            str(base_repo),
            "--send",
            "--to",
            str(to),
            "--from",
            "n@test.example",
            "--since",
            "2026-11-01",
        ],
        env={smtp.HOST: "127.0.0.1", smtp.PORT: "9"},  # nothing listens: nothing may even be tried
    )
    assert result.exit_code == ExitCode.FINDINGS and "to.txt:2:1: error [notify-recipient]" in result.stderr


def test_the_record_keeps_no_address() -> None:
    record = state.Record()
    record.delivered(
        "updates",
        state.recipient_key("Ann@Customer.example"),
        {"https://t.example/#a": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
    )
    written = state.render(record).decode()
    assert "@" not in written and state.recipient_key("ann@customer.example") in written


@pytest.mark.parametrize("command", [["gaps", "-o"], ["impact", "-o"], ["notify", "--since", "2026-11-01", "-o"]])
def test_no_command_writes_over_the_record(runner, base_repo: Path, command: list[str]) -> None:
    record = write(base_repo, state.PATH, "kept\n")
    target = record if command[0] != "notify" else record.parent
    result = runner.invoke(cli.cli, [command[0], "--root", str(base_repo), *command[1:], str(target)])
    assert result.exit_code == ExitCode.USAGE and "is in notifications/" in result.stderr
    assert record.read_text() == "kept\n"


def test_eml_files_are_refused_where_a_link_would_lead_into_the_site(runner, base_repo: Path, tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(base_repo / "site", target_is_directory=True)
    result = runner.invoke(
        cli.cli, ["notify", "--root", str(base_repo), "--since", "2026-11-01", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == ExitCode.USAGE and "is in site/" in result.stderr
    assert not list((base_repo / "site").glob("*.eml"))


def test_stale_files_are_only_ours(tmp_path: Path) -> None:
    for name in ("updates.eml", "notes.eml", "policies.txt"):
        write(tmp_path, name, "x")
    assert deliver.stale(tmp_path, ["subprocessors.eml"]) == [tmp_path / "updates.eml"]


def test_an_edit_to_the_notices_title_changes_no_header(runner, base_repo: Path, tmp_path: Path) -> None:
    write(base_repo, OVERDUE_NOTICE, OVERDUE)
    args = ["notify", "--root", str(base_repo), "--since", "2026-11-01", "--topic", "updates", "-o"]
    assert runner.invoke(cli.cli, [*args, str(tmp_path / "a")]).exit_code == ExitCode.OK
    edit(base_repo, OVERDUE_NOTICE, "title: Slow data exports", "title: Very slow data exports")
    assert runner.invoke(cli.cli, [*args, str(tmp_path / "b")]).exit_code == ExitCode.OK
    a, b = (email.message_from_bytes((tmp_path / d / "updates.eml").read_bytes(), policy=policy.default) for d in "ab")
    assert [(k, a[k]) for k in a] == [(k, b[k]) for k in b]  # the subject is a count, never a title


def test_a_device_as_the_recipients_file_is_not_read_whole(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (problem,) = recipients.read(Path("/dev/zero"), "/dev/zero").diagnostics
    assert "larger than 16 MB" in problem.message


@pytest.mark.parametrize("address", ["o'brien&co+news@customer.example", "a=b?c/d#e{f}|g~h`i$j%k@customer.example"])
def test_an_address_in_the_unsubscribe_url_is_encoded_whole(address: str) -> None:
    """`{address}` becomes the recipient's address with every character but letters, digits and
    `_.-~` percent-encoded: no quote, ampersand or brace can end the URL, add a parameter or markup."""
    assert is_address(address)
    parsed = _reparsed(messages.message(_digest(_entry()), HEAD, address))
    _headers_intact(parsed, address)
    url = parsed["List-Unsubscribe"].strip()[1:-1]
    assert url.startswith("https://l.test.example/u?who=") and url.count("=") == 1
    assert set(url.removeprefix("https://l.test.example/u?who=")) <= set(
        "abcdefghijklmnopqrstuvwxyz0123456789%_.-~ABCDEF"
    )
    html = parsed.get_body(("html",)).get_content()
    _no_markup(html)
    assert f'href="{url}"' in html
