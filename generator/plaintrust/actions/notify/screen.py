"""The leak guard over the digests: an email never lands in the site folder, so the build's guard
(`plaintrust.public.guard`) never reads one. Each digest's text and HTML body (the text body starts
with the Subject) are read for the same internal values, as a file of the site is, before anything
is written or sent; a message addressed to no one is read, so no recipient's address is taken for
an internal value."""

from __future__ import annotations

from collections.abc import Iterable

from plaintrust import pipeline
from plaintrust.actions.notify import NotifyError
from plaintrust.actions.notify.digest import Digest
from plaintrust.actions.notify.messages import Letterhead, html_body, text_body
from plaintrust.public.guard import tree


def refuse_leaks(digests: Iterable[Digest], head: Letterhead, result: pipeline.Result) -> None:
    """NotifyError naming every internal value a digest would carry; nothing is written or sent then."""
    own = head.to(None)
    texts = {}
    for digest in digests:
        texts[f"the {digest.topic} digest (text)"] = text_body(digest, own)
        texts[f"the {digest.topic} digest (HTML)"] = html_body(digest, own)
    leaks = tree.scan_texts(texts, result.model, result.ordinary)
    if leaks:
        raise NotifyError(
            "; ".join(map(str, leaks)) + ". Nothing was written or sent: the digests tell what the site's "
            "pages say, so `plaintrust build` refuses the same value; remove it from the public text that holds it"
        )
