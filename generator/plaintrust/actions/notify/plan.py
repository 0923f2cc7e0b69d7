"""What a run of `plaintrust notify` sends, and as whom: the policy behind the command line.

- Where news counts from: the record decides. An entry is news until the record holds it at its
  current `updated`, whatever its date, so an entry dated before the last run (a notice written up
  late, a certificate added to trust.yaml after the fact) is still sent. --since narrows that to
  entries updated since a day. With an empty record, --since is required: the first --send records
  every entry then updated before it as seen (never sent), so the first digest is not the history.
- The letterhead: the sender (--from, else a mailto: security contact for files), and
  List-Unsubscribe from --unsubscribe alone; --send needs one.
"""

from __future__ import annotations

from pathlib import Path

from plaintrust import pipeline
from plaintrust.actions.notify import FROM_ENV, screen, store
from plaintrust.actions.notify.digest import Digest, chosen, digests, older
from plaintrust.actions.notify.messages import Letterhead, contact_address
from plaintrust.actions.notify.news import News
from plaintrust.actions.notify.since import Since
from plaintrust.actions.notify.state import PATH, Record
from plaintrust.errors import Refused


def start(root: Path, record: Record, news: News, since: Since | None) -> None:
    """On the first --send (an empty record) with --since: where it counts from, and every entry
    updated before that day recorded as seen, written before anything is sent."""
    if record.empty and since is not None:
        record.start(since.moment, older(news.topics, since.moment))
        store.save(root, record)


def found(
    news: News, topics: tuple[str, ...], since: Since | None, record: Record, result: pipeline.Result, head: Letterhead
) -> tuple[Digest, ...]:
    """The digests of the topics asked for: what the record lacks (updated since --since, when
    given), checked for internal values. A usage error when neither the record nor --since says
    where news starts."""
    if record.empty and since is None:
        raise Refused(
            f"nothing is recorded as sent yet ({PATH}): pass --since with the day (YYYY-MM-DD), "
            "or the git tag or commit, news counts from",
            "--since",
        )
    news_found = digests(news.topics, chosen(news.topics, topics), since.moment if since else None, record)
    screen.refuse_leaks(news_found, head, result)
    return news_found


def nothing_new(since: Since | None) -> str:
    if since is not None:
        return f"nothing new since {since.said}: no message"
    return f"nothing new: {PATH} holds every entry as it is now; no message"


def letterhead(news: News, sender: str | None, unsubscribe: str | None, send: bool) -> Letterhead:
    """Who the messages are from and where a recipient unsubscribes; a usage error when --send has
    no way to unsubscribe, or no sender can be named."""
    address = sender or contact_address(news.security_contact)
    if address is None:
        raise Refused(
            f"-o needs the sender's address: --from ADDRESS (or {FROM_ENV}); site/trust.yaml's "
            "security_contact is no mailto: address to use instead"
        )
    if unsubscribe is None and send:
        raise Refused(
            "--send needs a way to unsubscribe, which every message carries: --unsubscribe URL "
            "(subscribe_url of site/trust.yaml is a way to sign up, never to leave)",
            "--unsubscribe",
        )
    return Letterhead(news.organization, news.base, address, unsubscribe)
