"""The trust center as data: every file Plaintrust adds to a site, by its path in the docs folder.

One renderer for every engine. The MkDocs plugin (under MkDocs or ProperDocs) hands these files to
the engine as generated files; for an engine without MkDocs plugins (Zensical) they are written
into a staging docs folder beside your own pages (see `folder`). Either way the pages are Markdown
with a title in front matter and one block of escaped HTML, so every engine shows the same words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from markupsafe import escape

from plaintrust.boundary import pagenames
from plaintrust.public import feeds, pages, trust_json, wellknown
from plaintrust.public.theme import brand_css
from plaintrust.public.view import PublicView
from plaintrust.schemas import schema


@dataclass(frozen=True)
class Generated:
    pages: list[pages.GeneratedPage]
    files: dict[str, str | bytes]  # everything besides pages, by path


def generated(view: PublicView, base: str, directory_urls: bool, *, disclosure: bool, overview: bool) -> Generated:
    """The generated pages and files of `view`; `disclosure`/`overview` are False where site/ has
    its own disclosure page or index.md (see `pages.render_all`). `base` is the site's absolute URL."""
    return Generated(
        pages.render_all(view, directory_urls, disclosure=disclosure, overview=overview),
        _files(view, base, directory_urls),
    )


def _files(view: PublicView, base: str, directory_urls: bool) -> dict[str, str | bytes]:
    """Styles, feeds (Atom and JSON Feed), security.txt, trust.json, the evidence log and trust.json's schema."""
    return {
        pagenames.STYLES: _asset("trust.css"),
        pagenames.BRAND: brand_css(view.color),
        **feeds.render_all(view, base, directory_urls),
        pagenames.SECURITY_TXT: wellknown.security_txt(view, base, directory_urls),
        pagenames.TRUST_JSON: trust_json.render(view, base, directory_urls),
        pagenames.EVIDENCE_LOG: trust_json.evidence_log(view),
        pagenames.TRUST_SCHEMA: json.dumps(schema("trust-center"), indent=2) + "\n",
    }


def _asset(name: str) -> str:
    return resources.files("plaintrust.public").joinpath("assets", name).read_text("utf-8")


def feed_links(view: PublicView, base: str) -> str:
    """The Atom feeds as `<link>`s for every page's head, whatever the theme (the JSON Feeds are
    listed on the overview).

    `rel="alternate feed"` rather than a bare "alternate": Material reads every bare alternate
    link as a language version and fetches a sitemap.xml beside it.
    """
    return "".join(
        f'<link rel="alternate feed" type="application/atom+xml" title="{pagenames.FEED_TOPICS[topic].capitalize()}"'
        f' href="{base}{pagenames.feed_file(topic)}">'
        for topic in pagenames.feed_topics(policies=bool(view.policies))
    )


def navigation(view: PublicView, generated: list[pages.GeneratedPage], written: list[str]) -> list:
    """Overview, certifications, practices, policies (when one is published), updates, subprocessors,
    disclosure, then your pages (`written`: the src paths of the site/ pages published); the security
    FAQ among them where your own faq.md would be."""
    practices = [{str(escape(c.title)): c.page} for c in view.categories]
    own = {p.src_uri for p in generated}
    yours = sorted(
        [
            src
            for src in written
            if src not in own and not src.startswith("updates/") and src not in (pages.DISCLOSURE, pages.OVERVIEW)
        ]
        + ([pages.FAQ] if view.faq else [])
    )
    return [
        {"Overview": pages.OVERVIEW},
        {"Certifications and reports": pages.CERTIFICATIONS},
        {"Security practices": practices},
        *([{"Policies": pages.LINKS["policies"]}] if view.policies else []),
        {"Security updates": pages.UPDATES},
        {"Subprocessors": pages.SUBPROCESSORS},
        {"Report a vulnerability": pages.DISCLOSURE},
        *({pages.FAQ_TITLE: src} if view.faq and src == pages.FAQ else src for src in yours),
    ]
