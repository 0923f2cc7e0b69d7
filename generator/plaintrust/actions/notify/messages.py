"""A digest as an RFC 5322 message: plain text and HTML (multipart/alternative), the same bytes every run.

Headers hold no text of an entry: the Subject is the organisation's name and a count ("Northwind
Cloud: 2 security updates"), so no title, however written, can break a header or add one. Every
value that does reach a header is put on one line first. A message written to a file is dated by
its newest entry's `updated` (the same bytes on every run); a message sent, by the moment it is sent
(RFC 5322: when it was ready to go). The Message-ID is a hash of the topic and the entries with their
stamps, and the MIME boundary comes from it too: never the clock, never chance. Both bodies are quoted-printable, where a boundary
starting with "=_" cannot occur. The HTML is escaped value by value around each entry's summary,
which the entries give as safe HTML and which is cleaned once more; it loads nothing from anywhere
(no image, no style sheet, no script): the styles are inline.

List-Unsubscribe comes from --unsubscribe alone, never from trust.yaml's `subscribe_url`: a sign-up
form, or a `mailto:...?subject=subscribe`, would make a mail program's Unsubscribe button subscribe.
One-click unsubscribe (RFC 8058, List-Unsubscribe-Post) is offered only when the https address names
the recipient with `{address}`: a POST to one address for everyone could not say who leaves.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from dataclasses import dataclass, replace
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from urllib.parse import quote, unquote, urlsplit

from markupsafe import Markup

from plaintrust.actions.notify import PLACEHOLDER
from plaintrust.actions.notify.digest import Digest, Item
from plaintrust.actions.notify.recipients import is_address
from plaintrust.boundary.safe_text import clean_page
from plaintrust.clock import stamp
from plaintrust.words import day_words, moment_words

NOUNS = {
    "updates": ("security update", "security updates"),
    "subprocessors": ("subprocessor change", "subprocessor changes"),
    "certifications": ("certification update", "certification updates"),
    "policies": ("policy update", "policy updates"),
}
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Letterhead:
    """What every message of a run shares."""

    organization: str
    base: str  # the site's address, ending in '/'
    sender: str  # a plain address (checked by the caller)
    unsubscribe: str | None  # an https: or mailto: address, checked by `unsubscribe_link`; may hold PLACEHOLDER

    def to(self, recipient: str | None) -> Letterhead:
        """The letterhead of `recipient`'s own message: PLACEHOLDER in the unsubscribe address
        becomes their address, and a message to no one (a file) gets no address that names someone."""
        if self.unsubscribe is None or PLACEHOLDER not in self.unsubscribe:
            return self
        own = self.unsubscribe.replace(PLACEHOLDER, quote(recipient, safe="")) if recipient else None
        return replace(self, unsubscribe=own)

    @property
    def one_click(self) -> bool:
        """Whether the unsubscribe address takes RFC 8058's one-click POST: an https: address that
        names each recipient, so the POST says who unsubscribes."""
        return bool(self.unsubscribe and self.unsubscribe.startswith("https:") and PLACEHOLDER in self.unsubscribe)


def one_line(text: str) -> str:
    """`text` as a header may hold it: every run of white space (line breaks too) one space, no control character."""
    return _CONTROL.sub("", " ".join(text.split()))


def unsubscribe_link(url: str) -> str | None:
    """`url` when it is an https: or mailto: address a header can carry whole, else None."""
    parts = urlsplit(url) if url.isascii() and url.isprintable() else None
    if parts is None or any(c in url for c in ' <>"') or parts.scheme not in ("https", "mailto"):
        return None
    if parts.scheme == "https" and not parts.netloc:
        return None
    return url if parts.scheme == "https" or "?" in url else url + "?subject=unsubscribe"


def contact_address(contact: str) -> str | None:
    """The address of a mailto: contact, when it is one plain address."""
    parts = urlsplit(contact)
    address = unquote(parts.path) if parts.scheme == "mailto" else ""
    return address if is_address(address) else None


def web_link(url: str) -> str:
    """`url` when it is an http(s) address (an entry's page always is), else nothing to follow."""
    return url if urlsplit(url).scheme in ("https", "http") else "#"


def subject(organization: str, digest: Digest) -> str:
    one, many = NOUNS.get(digest.topic, ("update", "updates"))
    count = len(digest.items)
    return one_line(f"{organization}: {count} {one if count == 1 else many}")


def message(
    digest: Digest, head: Letterhead, recipient: str | None = None, sent: dt.datetime | None = None
) -> EmailMessage:
    """The digest as a message; To is `recipient` alone (each recipient gets their own), or left
    out; dated `sent`, the moment it is sent, or else by its newest entry."""
    msg = EmailMessage(policy=policy.SMTP)
    _address(msg, head, recipient)
    msg["Subject"] = subject(head.organization, digest)
    msg["Date"] = email.utils.format_datetime(sent or digest.newest)
    msg["Message-ID"] = f"<{_fingerprint(digest)}.{digest.topic}@{_host(head.base)}>"
    msg["List-Id"] = f"<{digest.topic}.{_host(head.base)}>"
    own = head.to(recipient)
    if own.unsubscribe:
        msg["List-Unsubscribe"] = f"<{own.unsubscribe}>"
        if head.one_click:
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text_body(digest, own), cte="quoted-printable")
    msg.add_alternative(html_body(digest, own), subtype="html", cte="quoted-printable")
    for part in msg.iter_parts():
        del part["MIME-Version"]  # the message says it once, at the top
    msg.set_boundary(f"=_{_fingerprint(digest)[:24]}")
    return msg


def _address(msg: EmailMessage, head: Letterhead, recipient: str | None) -> None:
    msg["From"] = Address(display_name=one_line(head.organization), addr_spec=head.sender)
    if recipient is not None:
        msg["To"] = recipient


def render(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=policy.SMTP)


def _fingerprint(digest: Digest) -> str:
    lines = sorted(f"{entry_id} {stamp(updated)}" for entry_id, updated in digest.stamps.items())
    return hashlib.sha256("\n".join([digest.topic, *lines]).encode("utf-8")).hexdigest()[:40]


def _host(base: str) -> str:
    """The site's host name, for the ids: one a header can hold as it is."""
    host = (urlsplit(base).hostname or "").rstrip(".")
    return host if _HOST.fullmatch(host) else "trust-center.invalid"


def when(moment: dt.datetime) -> str:
    """A day alone when the data gave one (midnight UTC), else the day and the time."""
    moment = moment.astimezone(dt.UTC)
    return day_words(moment.date()) if moment.time() == dt.time() else moment_words(moment)


def dated(item: Item) -> str:
    entry = item.entry
    said = f"Published {when(entry.published)}"
    if entry.updated > entry.published:
        said += f", updated {when(entry.updated)}"
    return said + (" (an update of news we sent before)" if item.again else "")


def text_body(digest: Digest, head: Letterhead) -> str:
    lines = [subject(head.organization, digest), "", f"New on the trust center of {one_line(head.organization)}:", ""]
    for item in digest.items:
        lines += [one_line(item.entry.title), dated(item), "", item.entry.summary_text.strip(), ""]
        lines += [f"Read it on the site: {web_link(item.entry.link)}", "", ""]
    return "\n".join(lines + _footer_lines(head)) + "\n"


def _footer_lines(head: Letterhead) -> list[str]:
    lines = [
        "--",
        f"You get this email because you asked for news of the trust center of {one_line(head.organization)}.",
    ]
    lines.append(f"The trust center: {head.base}")
    if head.unsubscribe:
        lines.append(f"To stop these emails: {head.unsubscribe}")
    return lines


# Inline styles only: mail programs drop style sheets, and nothing is ever loaded from elsewhere.
_PAGE = Markup(
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n</head>\n'
    '<body style="margin:0;padding:24px;background:#ffffff;color:#1f2328;'
    'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5">\n'
    '<div style="max-width:640px;margin:0 auto">\n'
    '<h1 style="font-size:20px;margin:0 0 16px">{title}</h1>\n'
    '<p style="margin:0 0 16px">New on the <a href="{base}" style="color:#0969da">trust center of {organization}</a>:</p>\n'
    "{items}"
    '<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #d0d7de;color:#59636e;font-size:13px">'
    "You get this email because you asked for news of the trust center of {organization}.{unsubscribe}</p>\n"
    "</div>\n</body>\n</html>\n"
)
_ITEM = Markup(
    '<div style="padding:12px 0;border-top:1px solid #d0d7de">\n'
    '<h2 style="font-size:17px;margin:0 0 4px"><a href="{link}" style="color:#0969da">{title}</a></h2>\n'
    '<p style="margin:0 0 8px;color:#59636e;font-size:14px">{dated}</p>\n'
    "{summary}\n"
    '<p style="margin:8px 0 0"><a href="{link}" style="color:#0969da">Read it on the site</a></p>\n'
    "</div>\n"
)


def html_body(digest: Digest, head: Letterhead) -> str:
    items = Markup("").join(_html_item(item) for item in digest.items)
    unsubscribe = (
        Markup(' <a href="{}" style="color:#59636e">Stop these emails</a>.').format(head.unsubscribe)
        if head.unsubscribe
        else Markup("")
    )
    organization = one_line(head.organization)
    title = subject(head.organization, digest)
    return str(
        _PAGE.format(title=title, base=head.base, organization=organization, items=items, unsubscribe=unsubscribe)
    )


def _html_item(item: Item) -> Markup:
    summary = Markup(clean_page(item.entry.summary_html))  # safe already; cleaned again, as a page is
    return _ITEM.format(
        link=web_link(item.entry.link), title=one_line(item.entry.title), dated=dated(item), summary=summary
    )
