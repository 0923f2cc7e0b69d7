"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, machine-readable."""

from __future__ import annotations

import datetime as dt

from plaintrust import clock
from plaintrust.public.pages import LINKS, page_url
from plaintrust.public.view import PublicView

# RFC 9116 asks for less than a year; half a year makes a site that stops being rebuilt go quiet
# honestly instead of advertising a contact nobody reads.
VALID_DAYS = 180


def security_txt(view: PublicView, base: str, directory_urls: bool) -> bytes:
    expires = clock.midnight(view.today + dt.timedelta(days=VALID_DAYS))
    policy = view.security_policy or base + page_url(LINKS["disclosure"], directory_urls)
    lines = [
        f"Contact: {view.security_contact}",
        f"Expires: {clock.stamp(expires)}",
        f"Preferred-Languages: {', '.join(view.preferred_languages)}",
        f"Canonical: {base}{LINKS['security_txt']}",
        f"Policy: {policy}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
