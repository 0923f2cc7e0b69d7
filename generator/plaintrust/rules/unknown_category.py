"""A public control's `category` is not one of the categories in site/trust.yaml.

It fires at `public.category` when the value matches no `id` under `categories` in site/trust.yaml.
The hint offers the closest id, or lists them all. It is not checked while site/trust.yaml cannot
be read.

The control would appear on no page of the trust center.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, use one of the category ids, or add the category to site/trust.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.suggest import did_you_mean

ID = "unknown-category"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None:
        return
    categories = [c.id for c in model.trust.categories]
    for control in model.controls:
        category = control.public.category if control.public else None
        if category and category not in categories:
            hint = did_you_mean(category, categories) or f"categories: {', '.join(categories)}"
            yield control.source.at("public", "category").error(
                ID, f"{category!r} is not a category of site/trust.yaml", hint
            )
