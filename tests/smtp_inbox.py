"""A local SMTP server for the tests of `plaintrust notify` (aiosmtpd, on a free port of 127.0.0.1).

It keeps what it is given, refuses the recipients in `refuse` (at RCPT) and the messages to those
in `refuse_data` (at DATA, with the reply given), answers every DATA after `fail_after` messages
with a temporary failure, ends the session (421) at the next `closing` DATA commands once it has
`close_after` messages, takes the
login USER / PASSWORD (over TLS only), and offers STARTTLS with the test authority's certificate
(tests/fixtures/tls) when asked to.
"""

from __future__ import annotations

import email
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from plaintrust.actions.notify import smtp

TLS = Path(__file__).parent / "fixtures" / "tls"
USER, PASSWORD = "notifier", "s3cret-for-tests"


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage
    encrypted: bool


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    fail_after: int | None = None
    logins: list[str] = field(default_factory=list)
    refuse_data: dict[str, str] = field(default_factory=dict)
    closing: int = 0
    close_after: int = 0
    sessions: list[object] = field(default_factory=list)  # each connection's session, once

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if not any(s is session for s in self.sessions):
            self.sessions.append(session)
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.closing and len(self.received) >= self.close_after:
            self.closing -= 1
            return "421 4.3.2 closing the session"
        refused = [self.refuse_data[a] for a in envelope.rcpt_tos if a in self.refuse_data]
        if refused:
            return refused[0]
        if self.fail_after is not None and len(self.received) >= self.fail_after:
            return "451 4.3.0 try again later"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message, session.ssl is not None))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if r.recipients == (address,)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _authenticator(inbox: Inbox):
    def check(server, session, envelope, mechanism, auth_data) -> AuthResult:
        inbox.logins.append(auth_data.login.decode())
        # handled=False: the server answers a refusal itself (535), as a real one does
        return AuthResult(
            success=(auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode()), handled=False
        )

    return check


def smtp_server(monkeypatch: pytest.MonkeyPatch, tls: bool) -> Iterator[Inbox]:
    """The server, running, and PLAINTRUST_SMTP_HOST and _PORT naming it (no login, no sender set)."""
    inbox, port = Inbox(), _free_port()
    options: dict = {"authenticator": _authenticator(inbox), "auth_require_tls": True}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
        options.update(tls_context=context, require_starttls=False)
        monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))  # the client trusts the test authority
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    monkeypatch.setenv(smtp.HOST, "127.0.0.1")
    monkeypatch.setenv(smtp.PORT, str(port))
    for name in (smtp.USER, smtp.PASSWORD, "PLAINTRUST_SMTP_FROM"):
        monkeypatch.delenv(name, raising=False)
    try:
        yield inbox
    finally:
        controller.stop()
