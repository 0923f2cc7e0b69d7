"""Digests out: written as .eml files, or sent to each recipient and recorded message by message."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from plaintrust import clock
from plaintrust.actions.notify import messages, smtp, state, store
from plaintrust.actions.notify.digest import Digest, for_recipient
from plaintrust.actions.notify.messages import Letterhead
from plaintrust.public.entries import TOPICS

SUFFIX = ".eml"


@dataclass(frozen=True)
class Outcome:
    """One topic's digest, sent."""

    digest: Digest
    delivered: int  # recipients it reached in this run
    had_it: int  # recipients who had it all already (from a run that stopped halfway)
    refused: tuple[tuple[str, str], ...]  # (recipient, the server's reason): tried again next run

    def say(self, shown: Callable[[str], str]) -> str:
        """What happened, each refused recipient as `shown` names them (a log never lists addresses)."""
        count, people = len(self.digest.items), self.delivered
        said = f"{self.digest.topic}: {count} {'entry' if count == 1 else 'entries'} sent to {people} "
        said += "recipient" if people == 1 else "recipients"
        if self.had_it:
            said += f" ({self.had_it} had it already)"
        return said + "".join(f"; refused {shown(who)}: {why}" for who, why in self.refused)


def files(digests: Iterable[Digest], head: Letterhead) -> dict[str, bytes]:
    """`<topic>.eml` -> the message, addressed to no one: what a mailing-list tool sends on."""
    return {d.topic + SUFFIX: messages.render(messages.message(d, head)) for d in digests}


def stale(folder: Path, written: Iterable[str]) -> list[Path]:
    """The `<topic>.eml` files of `folder` an earlier run left for a topic with no news now."""
    kept = set(written)
    return [
        folder / f"{t}{SUFFIX}" for t in TOPICS if f"{t}{SUFFIX}" not in kept and (folder / f"{t}{SUFFIX}").is_file()
    ]


def send(
    root: Path,
    digests: Iterable[Digest],
    recipients: tuple[str, ...],
    record: state.Record,
    head: Letterhead,
    connection: smtp.Connection,
    done: Callable[[Outcome], None],
) -> None:
    """Each digest to each recipient as their own message, each one journaled once the server took
    it, and the record written when the digest is done (or stops); `done` hears of each digest."""
    for digest in digests:
        done(_send_one(root, digest, recipients, record, head, connection))


def _send_one(
    root: Path, digest: Digest, recipients: tuple[str, ...], record: state.Record, head: Letterhead, to: smtp.Connection
) -> Outcome:
    delivered, had_it, refused = 0, 0, []
    try:
        for address in recipients:
            key = state.recipient_key(address)
            own = for_recipient(digest, record, key)
            if own is None:
                had_it += 1
                continue
            why = smtp.deliver(to, messages.message(own, head, address, clock.now()), head.sender, address)
            if why is not None:
                refused.append((address, why))
                continue
            record.delivered(digest.topic, key, own.stamps)
            store.note(root, digest.topic, key, own.stamps)
            delivered += 1
        if not refused:
            record.completed(digest.topic, digest.stamps, clock.now().replace(microsecond=0))
    finally:
        store.save(root, record)  # what went out, even when the server stopped answering halfway
    return Outcome(digest, delivered, had_it, tuple(refused))
