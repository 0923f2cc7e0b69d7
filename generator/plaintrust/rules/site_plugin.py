"""The mkdocs.yml file is missing, does not list the plaintrust plugin under `plugins:`, or turns it off.

Without the plugin, MkDocs would build a plain site from site/ with no trust center in it, and
without the leak guard that keeps internal files such as site/trust.yaml off the site. The error
points at the `plugins:` line of mkdocs.yml, or at its first line when it has none or is missing.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, add `- plaintrust` under `plugins:`, and keep `- search` for the search box:

    plugins:
      - search
      - plaintrust

`- /plaintrust` counts as well: the leading slash tells MkDocs not to look for a plugin of the
theme's own first.

MkDocs skips a plugin whose entry says `enabled: false`, so that counts as not listed: remove it.
An `enabled: !ENV [VARIABLE, false]` counts as MkDocs reads it: the variable's value when it is
set, else the default after it.

When mkdocs.yml is missing, create it with `docs_dir: site`, `site_dir: build/site` and these
lines. When the folder holds nothing of a trust-center repository (no controls/, evidence/ or
site/ either), the command probably ran in the wrong folder: `plaintrust init DIRECTORY` creates
a new repository, and `--root` points a command at an existing one.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model
from plaintrust.settings import Settings

ID = "site-plugin"
READS_FILES = False
CONFIG = "mkdocs.yml"
MISSING = f"{CONFIG} is missing: it configures the trust center's site"
UNLISTED = f"{CONFIG} does not list the plaintrust plugin under `plugins:`, so no trust center would be built"
DISABLED = (
    f"{CONFIG} lists the plaintrust plugin but turns it off (`enabled: false`), so `mkdocs build` would "
    "publish site/ as it is: no trust center, and no leak guard"
)


def refusal(settings: Settings) -> str | None:
    """Why no trust center can be built with this mkdocs.yml (None: it can). `check` reports it and
    `build` refuses with it, so the two never disagree."""
    if settings.plugin_listed:  # also when mkdocs.yml cannot be read: that error says why
        return None if settings.plugin_enabled else DISABLED
    return UNLISTED if settings.site_configured else MISSING


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    message = refusal(settings)
    if message is None:
        return
    where = Location(CONFIG, settings.plugins_line) if settings.plugins_line else Location(CONFIG)
    yield where.error(ID, message, _hint(model, message))


def _hint(model: Model, message: str) -> str:
    if message == MISSING:
        return _create_hint(model)
    if message == DISABLED:
        return (
            "remove `enabled: false` from the plaintrust entry under `plugins:` (an `!ENV` value counts as "
            "its variable's value, else as its default)"
        )
    if model.settings.plugins_line is None:
        return "add the line `plugins:` with `  - search` and `  - plaintrust` under it"
    return "add the line `  - plaintrust` under `plugins:`"


def not_a_repository(model: Model) -> Iterator[Diagnostic]:
    """The error `check` gives in a folder that holds nothing of a trust-center repository, for a
    command that checks only part of one (`evidence verify`) and would otherwise find nothing wrong."""
    if not model.settings.site_configured and _nothing_here(model):
        yield Location(CONFIG).error(ID, MISSING, _create_hint(model))


def _create_hint(model: Model) -> str:
    if _nothing_here(model):
        return (
            "there is no trust-center repository here (no controls/, evidence/ or site/): create one with "
            "`plaintrust init DIRECTORY`, or point --root at yours"
        )
    return (
        "create it with `docs_dir: site`, `site_dir: build/site` and `plugins:` listing `search` and "
        "`plaintrust` (`plaintrust init DIRECTORY` writes a complete example)"
    )


def _nothing_here(model: Model) -> bool:
    """No file of a trust-center repository was found, not even a broken one."""
    found = (
        model.program,
        model.trust,
        model.controls,
        model.evidence,
        model.site_files,
        model.broken_ids,
        model.incomplete,
    )
    return not any(found)
