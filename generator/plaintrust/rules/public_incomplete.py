"""A control with a `public` block needs both a `category` and a non-empty plain-language `summary`.

Leave `public` out entirely to keep a control off the trust center.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "public-incomplete"


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        public = control.public
        if public is None:
            continue
        if not (public.summary or "").strip():
            yield control.source.at("public").error(ID, f"control {control.id} is public but has no summary",
                              "write one or two plain sentences for customers under public.summary")
        if not public.category:
            yield control.source.at("public").error(ID, f"control {control.id} is public but has no category",
                              "name a category from site/trust.yaml under public.category")
