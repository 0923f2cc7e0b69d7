"""Where the generated pages of the trust center live (relative to site/): shared by the renderer,
which writes them, and by `check`, which refuses a hand-written page in their place."""

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
