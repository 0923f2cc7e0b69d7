"""Where the generated pages and files of the trust center live (relative to site/): shared by the
renderer, which writes them, and by `check`, which refuses a file of yours in their place."""

from __future__ import annotations

import re
from collections.abc import Iterable

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs renders as a page
OVERVIEW = "index.md"
CERTIFICATIONS = "certifications.md"
UPDATES = "updates/index.md"
SUBPROCESSORS = "subprocessors.md"
DISCLOSURE = "disclosure.md"  # generated only when site/ has none of its own
FIXED = {
    OVERVIEW: "the overview",
    CERTIFICATIONS: "the certifications page",
    UPDATES: "the list of security updates",
    SUBPROCESSORS: "the subprocessors page",
}


def slug(text: str) -> str:
    """The part of a page name, anchor or feed entry id that `text` gives: lowercase ASCII letters
    and digits, any run of anything else one hyphen ("ISO/IEC 27001:2022" -> "iso-iec-27001-2022")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category_page(category_id: str) -> str:
    return f"practices/{category_id}.md"


POLICIES = "policies/index.md"  # generated only when a policy is published
FAQ = "faq.md"  # the security FAQ: generated only when answers/ holds a public or nda answer


def policy_page(policy_id: str) -> str:
    """`policies/<id>.md`: the schema keeps ids to lowercase slugs that are never `index` or
    `readme`, so no policy takes the list's place."""
    return f"policies/{policy_id}.md"


def feed_file(topic: str, kind: str = "atom") -> str:
    """`feeds/<topic>.xml` (Atom) or `feeds/<topic>.json` (JSON Feed)."""
    return f"feeds/{topic}.{'json' if kind == 'json' else 'xml'}"


# topic -> what its feeds hold; "all" is every other topic in one feed, "policies" is written only
# when a policy is published.
FEED_TOPICS = {
    "updates": "security updates",
    "subprocessors": "subprocessor changes",
    "certifications": "certification news",
    "policies": "policy changes",
    "all": "combined news",
}
# The topics of news, each a feed and an email digest ("policies" only when the site has policies).
TOPICS = tuple(t for t in FEED_TOPICS if t != "all")


def feed_topics(policies: bool) -> tuple[str, ...]:
    """The topics the site has feeds for (with "all", the combined one): "policies" only when a
    policy is published (`policies`)."""
    return tuple(t for t in FEED_TOPICS if t != "policies" or policies)


UPDATES_FEED = feed_file("updates")
SUBPROCESSORS_FEED = feed_file("subprocessors")


def feed_files(topics: Iterable[str]) -> dict[str, str]:
    """path -> what the file is, for both feeds (Atom and JSON Feed) of each of `topics`."""
    return {
        path: f"the {FEED_TOPICS[topic]} {name}"
        for topic in topics
        for path, name in ((feed_file(topic), "feed"), (feed_file(topic, "json"), "JSON Feed"))
    }


SECURITY_TXT = ".well-known/security.txt"
TRUST_JSON = "trust.json"
TRUST_SCHEMA = "trust-center.schema.json"
EVIDENCE_LOG = "evidence-log.json"
ASSETS = "assets/plaintrust"
STYLES = f"{ASSETS}/trust.css"
BRAND = f"{ASSETS}/brand.css"
FILES = {
    **feed_files(feed_topics(policies=False)),
    SECURITY_TXT: "security.txt",
    TRUST_JSON: "trust.json",
    TRUST_SCHEMA: "the schema of trust.json",
    EVIDENCE_LOG: "the evidence log",
    STYLES: "the trust center's styles",
    BRAND: "the brand colours",
}

# Written by MkDocs, its search plugin or the theme beside our own files.
BUILD_FILES = {
    "search/search_index.json": "the search index",
    "sitemap.xml": "the sitemap",
    "sitemap.xml.gz": "the compressed sitemap",
    "404.html": "the not-found page",
}


def page_key(src: str) -> str:
    """Where a Markdown page ends up: `x.md`, `x/index.md` and `x/README.md` are all the page `x/`."""
    stem = next((src[: -len(s)] for s in MARKDOWN_SUFFIXES if src.endswith(s)), src)
    head, _, base = stem.rpartition("/")
    return head if base in ("index", "README") else stem


def generated_pages(category_ids, policy_ids=(), faq: bool = False) -> dict[str, str]:
    """page key -> what the page is, for every page the trust center generates (`policy_ids`: of the
    published policies; `faq`: whether answers/ holds an answer the FAQ shows)."""
    found = {page_key(src): what for src, what in FIXED.items()}
    found.update({page_key(category_page(c)): f"the {c!r} practices page" for c in category_ids})
    found.update({page_key(policy_page(p)): f"the page of the policy {p!r}" for p in policy_ids})
    if policy_ids:
        found[page_key(POLICIES)] = "the list of policies"
    if faq:
        found[page_key(FAQ)] = "the security FAQ"
    return found
