"""`plaintrust notify`: email digests of what changed on the trust center, one per topic.

The news comes from `plaintrust.public.entries`, the same entries the feeds are built from, so a
digest never says what the site does not. `since` reads --since, `news` gathers the entries of a
checked repository, `plan` decides what a run sends and as whom, `digest` picks what is new for each
topic (and for each recipient), `messages` writes RFC 5322 messages, `screen` reads them for
internal values, `recipients` reads --to, `state` is the record of what was sent
(notifications/sent.json) and `store` keeps it on disk under a lock, `smtp` talks to the mail server
and `deliver` sends while recording. Nothing here prints or exits: the CLI does.
"""

from __future__ import annotations

from plaintrust.errors import PlaintrustError

# Named in `plaintrust notify --help`: kept here, where reading them imports no email machinery.
FROM_ENV = "PLAINTRUST_SMTP_FROM"  # the sender's address when --from is not given
PLACEHOLDER = "{address}"  # in --unsubscribe: each recipient's own address, URL-encoded


class NotifyError(PlaintrustError):
    """A digest could not be sent or its record could not be read or written (exit 1)."""
