"""The mail server, from the environment: PLAINTRUST_SMTP_HOST (required), PLAINTRUST_SMTP_PORT (587),
PLAINTRUST_SMTP_USER and PLAINTRUST_SMTP_PASSWORD (a login, when both are set).

Port 465 speaks TLS from the first byte (SMTP_SSL); any other port switches to TLS with STARTTLS
whenever the server offers it. Certificates are verified against the system's authorities (or the
file SSL_CERT_FILE names) and the host name. A password is never sent over a connection that is not
encrypted, except to a server on this machine (localhost, a local relay): the run stops first. Without
a login, a server that offers no STARTTLS gets the messages in the clear (they tell what the public
site says), and the run says so.

A reply refusing one message at RCPT or DATA (550 no such mailbox, 552 mailbox full, 451 try later)
is that recipient's: the run goes on with the others, and the recipient gets it on the next run.
What ends the session stops the run: a dropped connection, an error of the network, or 421 (the
server closing), after which the message is tried once more on a new connection.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from plaintrust.actions.notify import NotifyError
from plaintrust.errors import Refused

HOST, PORT, USER, PASSWORD = (f"PLAINTRUST_SMTP_{name}" for name in ("HOST", "PORT", "USER", "PASSWORD"))
DEFAULT_PORT = 587
TLS_PORT = 465  # TLS from the start (RFC 8314), no STARTTLS
TIMEOUT = 60  # seconds a server may take to answer
CLOSING = 421  # the server ends the session (RFC 5321): no refusal of the recipient


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass
class Connection:
    """A session with `server`; `client` is replaced when the server ends it (421) and it is opened again."""

    server: Server
    client: smtplib.SMTP
    encrypted: bool


def server(environ: Mapping[str, str]) -> Server:
    """The server the environment names; a usage error when it names none or half a login."""
    host = environ.get(HOST, "").strip()
    if not host:
        raise Refused(f"--send needs the mail server: set {HOST} (and {PORT}, {USER}, {PASSWORD} as needed)")
    given = environ.get(PORT, "").strip() or str(DEFAULT_PORT)
    if not given.isdigit() or not 0 < int(given) < 65536:
        raise Refused(f"{PORT} is {given!r}: a port number from 1 to 65535")
    user, password = environ.get(USER) or None, environ.get(PASSWORD) or None
    if (user is None) != (password is None):
        raise Refused(f"set both {USER} and {PASSWORD} to log in, or neither")
    return Server(host, int(given), user, password)


@contextmanager
def connected(to: Server) -> Iterator[Connection]:
    """A connection to the server, encrypted whenever it can be, logged in when a login is given."""
    connection = _opened(to, "nothing was sent")
    try:
        yield connection
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(f"the mail server {to.host}:{to.port}: {_said(exc)}") from None
    finally:
        _quit(connection.client)


def _opened(to: Server, outcome: str) -> Connection:
    """A new session, TLS and login done; NotifyError naming `outcome` (what was sent) when it fails."""
    context = ssl.create_default_context()
    try:
        client = (
            smtplib.SMTP_SSL(to.host, to.port, timeout=TIMEOUT, context=context)
            if to.port == TLS_PORT
            else smtplib.SMTP(to.host, to.port, timeout=TIMEOUT)
        )
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(f"cannot reach the mail server {to.host}:{to.port}: {_said(exc)}; {outcome}") from None
    try:
        encrypted = to.port == TLS_PORT or _started_tls(client, context)
        _login(client, to, encrypted)
    except (OSError, smtplib.SMTPException) as exc:
        _quit(client)
        raise NotifyError(f"the mail server {to.host}:{to.port}: {_said(exc)}; {outcome}") from None
    except NotifyError:
        _quit(client)
        raise
    return Connection(to, client, encrypted)


def _started_tls(client: smtplib.SMTP, context: ssl.SSLContext) -> bool:
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("starttls"):
        return False
    client.starttls(context=context)
    client.ehlo()  # what the server offers may change once encrypted
    return True


def _login(client: smtplib.SMTP, to: Server, encrypted: bool) -> None:
    if to.user is None or to.password is None:
        return
    if not encrypted and not is_local(to.host):
        raise NotifyError(
            f"the mail server {to.host}:{to.port} offers no STARTTLS, and a password is never sent "
            "unencrypted (but to a server on this machine); nothing was sent"
        )
    try:
        client.login(to.user, to.password)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyError(f"the mail server refused the login of {to.user}: {_said(exc)}; nothing was sent") from None


def is_local(host: str) -> bool:
    """Whether `host` names this machine: localhost or a loopback address."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def deliver(connection: Connection, msg: EmailMessage, sender: str, recipient: str) -> str | None:
    """Send `msg` to `recipient` alone; the server's reason when it refuses that message, None once
    it took it. When the server ends the session (421), once more on a new one. NotifyError for
    anything else: the session is then of no use."""
    refused = _attempt(connection, msg, sender, recipient)
    if refused is not None and refused[0] == CLOSING:
        _quit(connection.client)
        fresh = _opened(connection.server, "what was sent before is recorded")
        connection.client, connection.encrypted = fresh.client, fresh.encrypted
        refused = _attempt(connection, msg, sender, recipient)
    if refused is not None and refused[0] == CLOSING:
        raise NotifyError(f"the mail server ended the session twice: {refused[0]} {refused[1]}")
    return f"{refused[0]} {refused[1]}" if refused else None


def _attempt(connection: Connection, msg: EmailMessage, sender: str, recipient: str) -> tuple[int, str] | None:
    """None once the server took `msg`; (code, reason) when it refused it at RCPT or DATA, or ended
    the session (421) at any step. NotifyError for what is no one recipient's: a refused sender, a
    dropped connection, a network error."""
    try:
        connection.client.send_message(msg, from_addr=sender, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as exc:
        code, said = next(iter(exc.recipients.values()), (0, b""))
        return code, _text(said)
    except smtplib.SMTPResponseException as exc:
        if isinstance(exc, smtplib.SMTPDataError) or exc.smtp_code == CLOSING:
            return exc.smtp_code, _text(exc.smtp_error)
        raise NotifyError(f"sending a message failed: {_said(exc)}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise NotifyError(f"sending a message failed: {_said(exc)}") from None
    return None


def _text(said: bytes | str) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else said


def _said(exc: Exception) -> str:
    """What went wrong, in the server's words when it gave some."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()  # the server went away first: nothing more to say to it
