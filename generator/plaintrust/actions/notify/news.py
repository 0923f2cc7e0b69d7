"""The news a digest may tell: the public view's entries, topic by topic, with absolute links."""

from __future__ import annotations

from dataclasses import dataclass

from plaintrust import pipeline
from plaintrust.actions.notify import NotifyError
from plaintrust.public import view
from plaintrust.public.entries import Entry, topic_entries


@dataclass(frozen=True)
class News:
    organization: str
    base: str  # the site's address, ending in '/'
    security_contact: str  # trust.yaml's: mailto: or https:
    topics: dict[str, tuple[Entry, ...]]  # only the topics the site has, newest first


def gather(result: pipeline.Result) -> News:
    """The entries of a repository that `check` passes (the caller makes sure): the public view's
    only, so a digest never says what the site does not."""
    if result.model.trust is None:
        raise NotifyError("site/trust.yaml must load first: the digests tell what the site says; nothing was done")
    site_url = result.model.settings.site_url
    if not site_url:
        raise NotifyError("set site_url in mkdocs.yml: every message links to the pages of the site; nothing was done")
    base = site_url if site_url.endswith("/") else site_url + "/"
    shown = view.build(result.model)
    entries = topic_entries(shown, base, result.model.settings.directory_urls)
    return News(shown.organization, base, shown.security_contact, entries)
