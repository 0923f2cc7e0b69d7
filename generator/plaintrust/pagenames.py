"""Where the generated pages and files of the trust center live (relative to site/): shared by the
renderer, which writes them, and by `check`, which refuses a file of yours in their place."""

from __future__ import annotations

OVERVIEW = "index.md"
CERTIFICATIONS = "certifications.md"
UPDATES = "updates/index.md"
SUBPROCESSORS = "subprocessors.md"
DISCLOSURE = "disclosure.md"  # generated only when site/ has none of its own
FIXED = {OVERVIEW: "the overview", CERTIFICATIONS: "the certifications page", UPDATES: "the list of security updates",
         SUBPROCESSORS: "the subprocessors page"}


def category_page(category_id: str) -> str:
    return f"practices/{category_id}.md"


UPDATES_FEED = "feeds/updates.xml"
SUBPROCESSORS_FEED = "feeds/subprocessors.xml"
SECURITY_TXT = ".well-known/security.txt"
TRUST_JSON = "trust.json"
TRUST_SCHEMA = "trust-center.schema.json"
ASSETS = "assets/plaintrust"
STYLES = f"{ASSETS}/trust.css"
BRAND = f"{ASSETS}/brand.css"
FILES = {UPDATES_FEED: "the security updates feed", SUBPROCESSORS_FEED: "the subprocessor changes feed",
         SECURITY_TXT: "security.txt", TRUST_JSON: "trust.json", TRUST_SCHEMA: "the schema of trust.json",
         STYLES: "the trust center's styles", BRAND: "the brand colours"}
