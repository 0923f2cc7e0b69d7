"""`plaintrust notify`: digests written as .eml files and parsed back, the same bytes on a rerun;
sent to a local SMTP server (aiosmtpd) with and without STARTTLS, a login only over TLS; never the
same news twice, an updated entry again, a failure halfway resumed for exactly those who missed it,
a refusal at RCPT or DATA only that recipient's, a session the server ends reopened once; the record,
not the first --since, deciding what is news; two runs at once taking turns; the unsubscribe address
per recipient; no internal value in a digest; bad recipients' lines and the refusals of the command
line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from feed_site import RESOLVED
from helpers import OVERDUE, OVERDUE_NOTICE, commit, edit, git, write
from plaintrust import cli, locks
from plaintrust.actions.notify import digest, news, smtp, state, store
from plaintrust.errors import ExitCode
from plaintrust.public.entries import Entry
from smtp_inbox import PASSWORD, USER, Inbox, smtp_server

ROOT = Path(__file__).parents[1]
SENDER = "news@test.example"
UNSUBSCRIBE = "https://lists.test.example/unsubscribe"
SUBPROCESSORS = """\
subprocessors:
  - {name: Example Cloud, purpose: Hosting, location: EU, data: All customer data, added: 2025-01-10}
  - {name: Wingtip Mail, purpose: Sending email, location: EU, data: Email addresses, added: 2026-11-10}
"""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A server that offers no STARTTLS."""
    yield from smtp_server(monkeypatch, tls=False)


@pytest.fixture
def tls_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A server that offers STARTTLS, with a certificate of the test authority."""
    yield from smtp_server(monkeypatch, tls=True)


# A small repository with news since 1 November 2026: one security update (an open notice whose
# promised update is overdue), one subprocessor added, one audit in progress (started on 16 November).


@pytest.fixture
def repo(base_repo: Path) -> Path:
    (base_repo / "site/trust.yaml").write_text(
        (base_repo / "site/trust.yaml").read_text(encoding="utf-8") + SUBPROCESSORS, encoding="utf-8"
    )
    write(base_repo, OVERDUE_NOTICE, OVERDUE)
    edit(base_repo, "site/trust.yaml", "    state: in-progress\n", "    state: in-progress\n    started: 2026-11-16\n")
    return base_repo


@pytest.fixture
def subscribers(tmp_path: Path) -> Path:
    return write(tmp_path, "private/subscribers.txt", "# customers\nann@customer.example\n\nbo@other.example\n")


def _notify(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["notify", "--root", str(repo), *args])


def _send(runner, repo: Path, to: Path, *args: str):
    return _notify(runner, repo, "--send", "--to", str(to), "--from", SENDER, "--unsubscribe", UNSUBSCRIBE, *args)


def _parsed(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def _bodies(message: EmailMessage) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


# Written: -o DIR, the example itself through the real pipeline.


def test_the_examples_digests_parse_back_whole_and_come_out_the_same_twice(runner, tmp_path: Path) -> None:
    args = ["--since", "2026-11-01", "--from", SENDER, "--unsubscribe", UNSUBSCRIBE]
    first = _notify(runner, ROOT, *args, "-o", str(tmp_path / "one"))
    assert first.exit_code == ExitCode.OK, first.output
    again = _notify(runner, ROOT, *args, "-o", str(tmp_path / "two"))
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == ["certifications.eml", "subprocessors.eml", "updates.eml"]
    assert all((tmp_path / "one" / n).read_bytes() == (tmp_path / "two" / n).read_bytes() for n in names), again.output
    updates = _parsed(tmp_path / "one/updates.eml")
    assert updates["Subject"] == "Northwind Cloud: 1 security update"
    assert updates["From"] == f"Northwind Cloud <{SENDER}>" and updates["To"] is None
    assert updates["Date"] == "Sun, 22 Nov 2026 08:00:00 +0000"  # the notice's `updated`, not the clock
    assert updates["Message-ID"].endswith(".updates@trust.northwind.example>")
    assert updates["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert updates["List-Unsubscribe-Post"] is None  # one address for everyone cannot say who leaves
    assert updates.get_content_type() == "multipart/alternative"
    plain, html = _bodies(updates)
    link = "https://trust.northwind.example/updates/2026-11-18-email-provider-incident/"
    assert "[Resolved] Security incident at our email provider" in plain and link in plain
    assert f'<a href="{link}"' in html and "Security incident at our email provider" in html
    assert "<script" not in html and "src=" not in html and "@import" not in html  # nothing loads from elsewhere


def test_the_message_id_and_bytes_follow_the_entries_not_the_day(
    runner, repo: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    assert _notify(runner, repo, "--since", "2026-11-01", "-o", str(out)).exit_code == ExitCode.OK
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1795348800 + 3600))  # an hour later: the same news
    assert _notify(runner, repo, "--since", "2026-11-01", "-o", str(out)).exit_code == ExitCode.OK
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    edit(repo, OVERDUE_NOTICE, "updated: 2026-11-20T09:00:00Z", "updated: 2026-11-22T10:00:00Z")
    edit(repo, OVERDUE_NOTICE, "next_update_by: 2026-11-21T09:00:00Z", "next_update_by: 2026-11-23T09:00:00Z")
    assert _notify(runner, repo, "--since", "2026-11-01", "-o", str(out)).exit_code == ExitCode.OK
    changed = _parsed(out / "updates.eml")
    assert changed["Message-ID"] != email.message_from_bytes(before["updates.eml"], policy=policy.default)["Message-ID"]
    assert changed["Date"] == "Sun, 22 Nov 2026 10:00:00 +0000"


def test_without_from_the_files_come_from_the_security_contact_and_say_there_is_no_unsubscribe(
    runner, repo: Path, tmp_path: Path
) -> None:
    result = _notify(runner, repo, "--since", "2026-11-01", "-o", str(tmp_path / "out"), "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["updates.eml"]
    message = _parsed(tmp_path / "out/updates.eml")
    assert message["From"] == "Example Test Co <security@test.example>" and message["List-Unsubscribe"] is None
    assert "carry no List-Unsubscribe" in result.stderr


def test_topics_narrow_and_a_rerun_with_no_news_of_a_topic_removes_its_old_file(
    runner, repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _notify(runner, repo, "--since", "2026-11-01", "-o", str(out)).exit_code == ExitCode.OK
    result = _notify(runner, repo, "--since", "2026-11-21", "-o", str(out), "--topic", "updates,subprocessors")
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in out.iterdir()) == ["updates.eml"]
    assert "removed" in result.stderr and "subprocessors.eml" in result.stderr


def test_since_a_git_tag_counts_from_the_day_of_its_commit(runner, repo: Path, tmp_path: Path) -> None:
    git(repo, "init", "--quiet")
    commit(repo, "the trust center", day="2026-11-15")
    git(repo, "tag", "published")
    result = _notify(runner, repo, "--since", "published", "-o", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["certifications.eml", "updates.eml"]


def test_links_follow_mkdocs_use_directory_urls(runner, repo: Path, tmp_path: Path) -> None:
    edit(repo, "mkdocs.yml", "docs_dir: site\n", "docs_dir: site\nuse_directory_urls: false\n")
    result = _notify(runner, repo, "--since", "2026-11-01", "-o", str(tmp_path / "out"), "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    plain, html = _bodies(_parsed(tmp_path / "out/updates.eml"))
    page = "https://trust.test.example/updates/2026-11-20-slow-exports.html"
    assert f"Read it on the site: {page}" in plain and f'href="{page}"' in html


# Sent: each recipient their own message, recorded after each one.


def test_each_recipient_gets_their_own_message_and_a_rerun_sends_nothing(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.OK, result.output
    assert len(server.received) == 6  # three topics, two recipients
    for received in server.received:
        assert received.sender == SENDER and len(received.recipients) == 1
        assert received.message["To"] == received.recipients[0]  # never the list
        assert "bo@" not in received.message.as_string() or received.recipients == ("bo@other.example",)
    assert "offers no STARTTLS: the messages go unencrypted" in result.stderr
    assert {r.message["Date"] for r in server.received} == {"Sun, 22 Nov 2026 12:00:00 +0000"}  # when sent
    assert sorted(m["Subject"] for m in server.to("ann@customer.example")) == [
        "Example Test Co: 1 certification update",
        "Example Test Co: 1 security update",
        "Example Test Co: 1 subprocessor change",
    ]
    record = json.loads((repo / state.PATH).read_text(encoding="utf-8"))
    assert record["since"] == "2026-11-01T00:00:00Z" and record["partial"] == {}
    assert set(record["sent"]) == {"updates", "subprocessors", "certifications"}
    again = _send(runner, repo, subscribers)  # no --since: from the record's start
    assert again.exit_code == ExitCode.OK, again.output
    assert len(server.received) == 6 and "nothing new: notifications/sent.json holds every entry" in again.stderr


def test_starttls_is_used_when_offered_and_the_login_goes_over_it(
    runner, repo: Path, subscribers: Path, tls_server: Inbox, monkeypatch
) -> None:
    monkeypatch.setenv(smtp.USER, USER)
    monkeypatch.setenv(smtp.PASSWORD, PASSWORD)
    result = _send(runner, repo, subscribers, "--since", "2026-11-01", "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    assert len(tls_server.received) == 2 and all(r.encrypted for r in tls_server.received)
    assert tls_server.logins == [USER] and "unencrypted" not in result.stderr


def test_a_wrong_password_stops_before_any_message(
    runner, repo: Path, subscribers: Path, tls_server: Inbox, monkeypatch
) -> None:
    monkeypatch.setenv(smtp.USER, USER)
    monkeypatch.setenv(smtp.PASSWORD, "wrong")
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS
    assert "refused the login of notifier" in result.output and "wrong" not in result.output
    assert tls_server.received == []


def test_a_password_is_never_sent_unencrypted_to_another_machine(
    runner, repo: Path, subscribers: Path, server: Inbox, monkeypatch
) -> None:
    monkeypatch.setenv(smtp.USER, USER)
    monkeypatch.setenv(smtp.PASSWORD, PASSWORD)
    monkeypatch.setattr(smtp, "is_local", lambda host: False)  # as if 127.0.0.1 were a remote server
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS
    assert "offers no STARTTLS, and a password is never sent unencrypted" in result.output
    assert server.received == [] and server.logins == []


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("mail.example.com", False),
        ("10.0.0.1", False),
        ("localhost.example.com", False),
    ],
)
def test_only_this_machine_counts_as_local(host: str, local: bool) -> None:
    assert smtp.is_local(host) is local


def test_an_updated_entry_is_sent_again_as_an_update(runner, repo: Path, subscribers: Path, server: Inbox) -> None:
    assert _send(runner, repo, subscribers, "--since", "2026-11-01").exit_code == ExitCode.OK
    edit(repo, OVERDUE_NOTICE, "updated: 2026-11-20T09:00:00Z", "updated: 2026-11-22T10:00:00Z")
    edit(repo, OVERDUE_NOTICE, "next_update_by: 2026-11-21T09:00:00Z", "next_update_by: 2026-11-23T09:00:00Z")
    result = _send(runner, repo, subscribers)
    assert result.exit_code == ExitCode.OK, result.output
    later = server.received[6:]
    assert [r.recipients for r in later] == [("ann@customer.example",), ("bo@other.example",)]
    plain, html = _bodies(later[0].message)
    assert "an update of news we sent before" in plain and "an update of news we sent before" in html
    assert _send(runner, repo, subscribers).exit_code == ExitCode.OK and len(server.received) == 8


def test_a_refused_recipient_gets_it_on_the_next_run_and_no_one_else_twice(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    server.refuse = {"bo@other.example"}
    result = _send(runner, repo, subscribers, "--since", "2026-11-01", "--topic", "updates")
    assert result.exit_code == ExitCode.FINDINGS
    assert "refused the address on line 4 of --to: 550 5.1.1 no such mailbox" in result.stderr
    assert "bo@other.example" not in result.output  # a log names a line, never an address
    assert [r.recipients for r in server.received] == [("ann@customer.example",)]
    server.refuse = set()
    assert _send(runner, repo, subscribers, "--topic", "updates").exit_code == ExitCode.OK
    assert [r.recipients for r in server.received] == [("ann@customer.example",), ("bo@other.example",)]
    assert json.loads((repo / state.PATH).read_text(encoding="utf-8"))["partial"] == {}


def test_a_failure_halfway_keeps_what_was_sent_and_the_rerun_sends_the_rest(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    server.close_after, server.closing = (
        3,
        2,
    )  # updates to both, subprocessors to ann; then the server ends each session
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS
    assert "ended the session twice: 421 4.3.2 closing the session" in result.output
    record = json.loads((repo / state.PATH).read_text(encoding="utf-8"))
    assert list(record["sent"]) == ["updates"] and list(record["partial"]) == ["subprocessors"]
    assert "ann@customer.example" not in (repo / state.PATH).read_text(encoding="utf-8")  # kept as a hash
    server.fail_after = None
    assert _send(runner, repo, subscribers).exit_code == ExitCode.OK
    sent = [(r.recipients[0], r.message["Subject"].split(": ")[1]) for r in server.received]
    assert sorted(sent) == sorted(
        (who, what)
        for who in ("ann@customer.example", "bo@other.example")
        for what in ("1 security update", "1 subprocessor change", "1 certification update")
    )


def test_a_killed_runs_journal_is_read_back_and_its_cut_short_line_ignored(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    """A run killed while sending leaves notifications/sending.jsonl: ann's message went out, bo's
    was being written when the run died. The next run sends the update to bo alone."""
    notice = "https://trust.test.example/updates/2026-11-20-slow-exports/"
    stamped = {notice: dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)}
    store.save(repo, state.Record(since=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))
    store.note(repo, "updates", state.recipient_key("ann@customer.example"), stamped)
    with (repo / state.JOURNAL).open("ab") as journal:
        journal.write(b'{"entries": {"https://trust.test.example/upd')
    result = _send(runner, repo, subscribers, "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    assert [r.recipients for r in server.received] == [("bo@other.example",)]
    assert "(1 had it already)" in result.stderr and not (repo / state.JOURNAL).exists()
    assert json.loads((repo / state.PATH).read_text(encoding="utf-8"))["sent"]["updates"][notice]["updated"] == (
        "2026-11-21T09:00:00Z"
    )


def test_a_journal_line_that_plaintrust_did_not_write_stops_the_run(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    write(repo, state.JOURNAL, '{"topic": "updates"}\n')
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS and "sending.jsonl: line 1" in result.output
    assert server.received == []


def test_bad_lines_of_to_are_reported_with_their_numbers_and_nothing_is_sent(
    runner, repo: Path, tmp_path: Path, server: Inbox
) -> None:
    to = write(
        tmp_path,
        "to.txt",
        "ann@customer.example\nAnn <ann@x.example>\nbo@other.example, cy@x.example\n\nno-at-sign\nANN@customer.example\n",
    )
    result = _send(runner, repo, to, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS
    for line in (2, 3, 5):
        assert f"to.txt:{line}:1: error [notify-recipient]" in result.stderr
    assert "to.txt:6:1: warning [notify-recipient] listed again (first on line 1)" in result.stderr
    assert "nothing was sent" in result.stderr and server.received == []
    assert not (repo / state.PATH).exists()


# Refusals: exit 2, nothing written, nothing sent.


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ([], "nothing to do"),
        (["--send"], "--send needs --to FILE"),
        (["-o", "site/out"], "is in site/"),
        (["-o", "notifications"], "is in notifications/"),
        (["-o", "build/site/mail"], "is in build/site/"),
        (["-o", "out", "--since", "-x"], "starts with '-'"),
        (["-o", "out", "--since", "2026-02-30"], "no day of the calendar"),
        (["-o", "out", "--since", "no-such-tag"], "no commit, branch or tag named 'no-such-tag'"),
        (["-o", "out", "--since", "2026-11-01", "--topic", "weather"], "'weather' is not a topic of this site"),
        (["-o", "out", "--since", "2026-11-01", "--topic", "policies"], "nothing of the kind is published"),
        (["-o", "out", "--unsubscribe", "javascript:alert(1)"], "give an https: or a mailto: address"),
        (["-o", "out", "--from", "Ann <ann@x.example>"], "not a plain email address"),
        (["-o", "out"], "nothing is recorded as sent yet"),
        (["-o", "out", "--since", "2026-11-23"], "is after today (22 November 2026)"),
        (["-o", "out", "--since", "2027-11-01"], "nothing would count as news until then"),
    ],
)
def test_usage_mistakes_are_refused_before_anything_is_done(
    runner, repo: Path, args: list[str], said: str, monkeypatch
) -> None:
    monkeypatch.chdir(repo)
    result = _notify(runner, repo, *args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert said in " ".join(result.stderr.split())
    assert not (repo / "out").exists() and not (repo / state.PATH).exists()


@pytest.mark.parametrize("place", ["site/subscribers.txt", "build/site/subscribers.txt"])
def test_the_recipients_may_not_lie_where_the_site_is_published(runner, repo: Path, place: str, server: Inbox) -> None:
    to = write(repo, place, "ann@customer.example\n")
    result = _send(runner, repo, to, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.USAGE and "which is published" in result.stderr
    assert server.received == []


def test_a_link_out_of_site_to_the_recipients_is_refused_too(runner, repo: Path, tmp_path: Path, server: Inbox) -> None:
    write(repo, "site/private.txt", "ann@customer.example\n")
    (tmp_path / "to.txt").symlink_to(repo / "site/private.txt")
    result = _send(runner, repo, tmp_path / "to.txt", "--since", "2026-11-01")
    assert result.exit_code == ExitCode.USAGE and "which is published" in result.stderr


@pytest.mark.parametrize(
    ("unset", "said"),
    [
        (smtp.HOST, "set PLAINTRUST_SMTP_HOST"),
        (smtp.PASSWORD, "set both PLAINTRUST_SMTP_USER and PLAINTRUST_SMTP_PASSWORD"),
    ],
)
def test_sending_needs_a_server_and_a_whole_login(
    runner, repo: Path, subscribers: Path, server: Inbox, monkeypatch, unset: str, said: str
) -> None:
    monkeypatch.setenv(smtp.USER, USER)
    monkeypatch.setenv(smtp.PASSWORD, PASSWORD)
    monkeypatch.delenv(unset)
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.USAGE and said in result.stderr
    assert server.received == []


def test_sending_needs_a_sender_and_a_way_to_unsubscribe(runner, repo: Path, subscribers: Path, server: Inbox) -> None:
    base = ["--send", "--to", str(subscribers), "--since", "2026-11-01"]
    no_sender = _notify(runner, repo, *base, "--unsubscribe", UNSUBSCRIBE)
    assert no_sender.exit_code == ExitCode.USAGE and "--send needs the sender's address" in no_sender.stderr
    no_way_out = _notify(runner, repo, *base, "--from", SENDER)
    assert no_way_out.exit_code == ExitCode.USAGE and "--send needs a way to unsubscribe" in no_way_out.stderr
    assert server.received == []


def test_trust_yamls_subscribe_url_is_never_the_way_out(
    runner, repo: Path, subscribers: Path, server: Inbox, tmp_path: Path
) -> None:
    """A sign-up address as List-Unsubscribe would make the Unsubscribe button subscribe."""
    sign_up = "mailto:news@test.example?subject=subscribe"
    edit(repo, "site/trust.yaml", "security_contact:", f"subscribe_url: {sign_up}\nsecurity_contact:")
    result = _notify(runner, repo, "--send", "--to", str(subscribers), "--from", SENDER, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.USAGE and "--send needs a way to unsubscribe" in result.stderr
    assert server.received == []
    written = _notify(runner, repo, "--since", "2026-11-01", "-o", str(tmp_path / "out"), "--topic", "updates")
    assert written.exit_code == ExitCode.OK, written.output
    message = _parsed(tmp_path / "out/updates.eml")
    assert message["List-Unsubscribe"] is None and "subscribe" not in message.get_body(("plain",)).get_content()


def test_a_repository_with_errors_sends_nothing(runner, repo: Path, subscribers: Path, server: Inbox) -> None:
    edit(repo, "site/trust.yaml", "organization: Example Test Co", "organization: [not, a, name]")
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS and "nothing was written or sent" in result.stderr
    assert server.received == []


def test_a_broken_record_stops_the_run_and_says_how_to_recover(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    write(repo, state.PATH, '{"format": 1, "since": "yesterday"}')
    result = _send(runner, repo, subscribers)
    assert result.exit_code == ExitCode.FINDINGS and "Restore it from git" in result.output
    assert server.received == []


def test_the_recipients_may_not_lie_in_the_folder_the_ci_jobs_commit(runner, repo: Path, server: Inbox) -> None:
    to = write(repo, "notifications/subscribers.txt", "ann@customer.example\n")
    result = _send(runner, repo, to, "--since", "2026-11-01")
    assert (
        result.exit_code == ExitCode.USAGE and "is in notifications/, which the notify CI jobs commit" in result.stderr
    )
    assert server.received == [] and not (repo / state.PATH).exists()


def test_recipients_tracked_by_git_are_sent_to_with_a_warning(runner, repo: Path, server: Inbox) -> None:
    to = write(repo, "subscribers.txt", "ann@customer.example\n")
    git(repo, "init", "--quiet")
    commit(repo, "the trust center and, by mistake, the subscribers")
    result = _send(runner, repo, to, "--since", "2026-11-01", "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    assert (
        "warning: git tracks" in result.stderr
        and "every clone of the repository holds these addresses" in result.stderr
    )
    untracked = write(repo.parent, "private/subscribers.txt", "ann@customer.example\n")
    assert "git tracks" not in _send(runner, repo, untracked, "--topic", "updates").stderr


# What is news: the record decides, not the first --since.

LATE_NOTICE = "site/updates/2026-10-20-late-write-up.md"


def test_news_dated_before_the_first_since_is_sent_once_the_record_lacks_it(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    """The first --send takes what was then older than --since as seen; a notice written up later
    but dated earlier is still news for the next run, which counts from the record. An explicit
    --since narrows it out."""
    assert _send(runner, repo, subscribers, "--since", "2026-11-01").exit_code == ExitCode.OK
    record = json.loads((repo / state.PATH).read_text(encoding="utf-8"))
    assert "https://trust.test.example/subprocessors/#added-example-cloud-2025-01-10" in record["seen"]["subprocessors"]
    count = len(server.received)
    write(
        repo,
        LATE_NOTICE,
        RESOLVED.replace("2026-10-01T10:00:00Z", "2026-10-20T10:00:00Z").replace(
            "2026-10-02T10:00:00Z", "2026-10-21T10:00:00Z"
        ),
    )
    narrowed = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert narrowed.exit_code == ExitCode.OK and len(server.received) == count, narrowed.output
    assert "nothing new since 1 November 2026" in narrowed.stderr
    result = _send(runner, repo, subscribers)
    assert result.exit_code == ExitCode.OK, result.output
    late = server.received[count:]
    assert [r.recipients for r in late] == [("ann@customer.example",), ("bo@other.example",)]
    assert "Old issue, fixed" in _bodies(late[0].message)[0]
    assert _send(runner, repo, subscribers).exit_code == ExitCode.OK and len(server.received) == count + 2


def test_an_entry_seen_but_never_sent_is_never_called_an_update() -> None:
    moment = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    entry = Entry("updates", "https://t.example/#a", "T", "https://t.example/", moment, moment, "", "")
    record = state.Record(moment, seen={"updates": {entry.id: moment - dt.timedelta(days=1)}})
    [found] = digest.digests({"updates": (entry,)}, ("updates",), None, record)
    assert [item.again for item in found.items] == [False]
    record.completed("updates", {entry.id: moment - dt.timedelta(days=1)}, moment)
    [again] = digest.digests({"updates": (entry,)}, ("updates",), None, record)
    assert [item.again for item in again.items] == [True]


# Refusals at RCPT or DATA are the recipient's; a session the server ends is opened once more.


def test_a_message_refused_at_data_is_that_recipients_and_the_others_get_theirs(
    runner, repo: Path, subscribers: Path, server: Inbox
) -> None:
    server.refuse_data = {"ann@customer.example": "552 5.2.2 mailbox full"}
    result = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert result.exit_code == ExitCode.FINDINGS
    assert "refused the address on line 2 of --to: 552 5.2.2 mailbox full" in result.stderr
    assert {r.recipients for r in server.received} == {("bo@other.example",)} and len(server.received) == 3
    server.refuse_data = {}
    assert _send(runner, repo, subscribers).exit_code == ExitCode.OK
    assert len(server.to("ann@customer.example")) == 3 and len(server.to("bo@other.example")) == 3
    assert json.loads((repo / state.PATH).read_text(encoding="utf-8"))["partial"] == {}


def test_a_session_the_server_ends_is_opened_again_once(runner, repo: Path, subscribers: Path, server: Inbox) -> None:
    server.close_after, server.closing = 1, 1
    result = _send(runner, repo, subscribers, "--since", "2026-11-01", "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    assert [r.recipients for r in server.received] == [("ann@customer.example",), ("bo@other.example",)]
    assert len(server.sessions) == 2


# Unsubscribing: each recipient's own address, one-click only then.


def test_one_click_unsubscribe_names_each_recipient_and_files_name_no_one(
    runner, repo: Path, subscribers: Path, server: Inbox, tmp_path: Path
) -> None:
    url = "https://lists.test.example/unsubscribe?who={address}"
    out = tmp_path / "out"
    result = _notify(
        runner, repo, "--send", "--to", str(subscribers), "--from", SENDER, "--unsubscribe", url,
        "--since", "2026-11-01", "--topic", "updates", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == ExitCode.OK, result.output
    for address, encoded in (
        ("ann@customer.example", "ann%40customer.example"),
        ("bo@other.example", "bo%40other.example"),
    ):
        [message] = server.to(address)
        own = f"https://lists.test.example/unsubscribe?who={encoded}"
        assert message["List-Unsubscribe"].strip() == f"<{own}>"  # folded onto its own line: long
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert all(own in body and "{address}" not in body for body in _bodies(message))
    written = _parsed(out / "updates.eml")
    assert written["List-Unsubscribe"] is None and written["List-Unsubscribe-Post"] is None
    assert "{address}" not in out.joinpath("updates.eml").read_text() and "carry no List-Unsubscribe" in result.stderr


def test_a_written_message_keeps_the_date_of_its_news(runner, repo: Path, tmp_path: Path) -> None:
    result = _notify(runner, repo, "--since", "2026-11-01", "-o", str(tmp_path / "out"), "--topic", "updates")
    assert result.exit_code == ExitCode.OK, result.output
    assert _parsed(tmp_path / "out/updates.eml")["Date"] == "Sat, 21 Nov 2026 09:00:00 +0000"


# The leak guard reads every digest before anything is written or sent.


def test_a_digest_holding_an_internal_value_is_neither_written_nor_sent(
    runner, repo: Path, subscribers: Path, server: Inbox, tmp_path: Path, monkeypatch
) -> None:
    real = news.topic_entries

    def leaking(*args, **kwargs):
        found = real(*args, **kwargs)
        first = found["updates"][0]
        leaked = dataclasses.replace(
            first, summary_text="Ask it-security@test.example.", summary_html="<p>Ask it-security@test.example.</p>"
        )
        return {**found, "updates": (leaked, *found["updates"][1:])}

    monkeypatch.setattr(news, "topic_entries", leaking)
    written = _notify(runner, repo, "--since", "2026-11-01", "-o", str(tmp_path / "out"))
    assert written.exit_code == ExitCode.FINDINGS and not (tmp_path / "out").exists()
    assert "the owner of control" in written.output and "it-security@test.example" in written.output
    sent = _send(runner, repo, subscribers, "--since", "2026-11-01")
    assert sent.exit_code == ExitCode.FINDINGS and server.received == []


# The journal: whole lines, however the system takes a write.


def test_a_short_write_still_journals_the_whole_line(repo: Path, monkeypatch) -> None:
    real = os.write
    monkeypatch.setattr(store.os, "write", lambda fd, data: real(fd, bytes(data[:7])))
    stamped = {"https://trust.test.example/updates/x/": dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)}
    store.note(repo, "updates", state.recipient_key("ann@customer.example"), stamped)
    monkeypatch.undo()
    record = store.load(repo)
    assert record.sent_at("updates", *stamped, state.recipient_key("ann@customer.example")) == dt.datetime(
        2026, 11, 21, 9, tzinfo=dt.UTC
    )


# Two runs at once take turns: the second reads what the first sent.


def test_two_runs_at_once_send_each_message_once(repo: Path, subscribers: Path, server: Inbox) -> None:
    plaintrust = shutil.which("plaintrust", path=str(Path(sys.executable).parent))
    if plaintrust is None or locks.fcntl is None:
        pytest.skip("needs the plaintrust script and fcntl")
    command = [plaintrust, "notify", "--root", str(repo), "--send", "--to", str(subscribers), "--from", SENDER]
    command += ["--unsubscribe", UNSUBSCRIBE, "--since", "2026-11-01"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted((r.recipients[0], r.message["Subject"]) for r in server.received) == sorted(
        (who, subject)
        for who in ("ann@customer.example", "bo@other.example")
        for subject in (
            "Example Test Co: 1 certification update",
            "Example Test Co: 1 security update",
            "Example Test Co: 1 subprocessor change",
        )
    )
