"""A control has a `public` block without a `category` or without a `summary`.

It fires at `public` when the block has no `category`, and again when its `summary` is missing or
blank. `public.title` is optional.

Each public control is listed on its category's page with its summary: without a category the
trust center has nowhere to put it, and without a summary nothing to say.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, name a category of site/trust.yaml under `public.category` and write one or two plain
sentences for customers under `public.summary`. To keep a control off the trust center, remove
`public` entirely.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "public-incomplete"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        public = control.public
        if public is None:
            continue
        if not (public.summary or "").strip():
            yield control.source.at("public").error(
                ID,
                f"control {control.id} is public but has no summary",
                "write one or two plain sentences for customers under public.summary",
            )
        if not public.category:
            yield control.source.at("public").error(
                ID,
                f"control {control.id} is public but has no category",
                "name a category from site/trust.yaml under public.category",
            )
