"""Where the generated pages and files of the trust center live (relative to site/): shared by the
renderer, which writes them, and by `check`, which refuses a file of yours in their place."""

from __future__ import annotations

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


def category_page(category_id: str) -> str:
    return f"practices/{category_id}.md"


POLICIES = "policies/index.md"  # generated only when a policy is published
FAQ = "faq.md"  # the security FAQ: generated only when answers/ holds a public or nda answer


def policy_page(policy_id: str) -> str:
    """`policies/<id>.md`: the schema keeps ids to lowercase slugs that are never `index` or
    `readme`, so no policy takes the list's place."""
    return f"policies/{policy_id}.md"


UPDATES_FEED = "feeds/updates.xml"
SUBPROCESSORS_FEED = "feeds/subprocessors.xml"
SECURITY_TXT = ".well-known/security.txt"
TRUST_JSON = "trust.json"
TRUST_SCHEMA = "trust-center.schema.json"
EVIDENCE_LOG = "evidence-log.json"
ASSETS = "assets/plaintrust"
STYLES = f"{ASSETS}/trust.css"
BRAND = f"{ASSETS}/brand.css"
FILES = {
    UPDATES_FEED: "the security updates feed",
    SUBPROCESSORS_FEED: "the subprocessor changes feed",
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
