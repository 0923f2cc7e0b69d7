"""The mkdocs.yml file is missing, or does not list the plaintrust plugin under `plugins:`.

Without the plugin, MkDocs would build a plain site from site/ with no trust center in it. The
error points at the `plugins:` line of mkdocs.yml, or at its first line when it has none or is
missing.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, add `- plaintrust` under `plugins:`, and keep `- search` for the search box:

    plugins:
      - search
      - plaintrust

When mkdocs.yml is missing, create it with `docs_dir: site`, `site_dir: build/site` and these
lines. When the folder holds nothing of a trust-center repository (no controls/, evidence/ or
site/ either), the command probably ran in the wrong folder: `plaintrust init DIRECTORY` creates
a new repository, and `--root` points a command at an existing one.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-plugin"
CONFIG = "mkdocs.yml"
MISSING = f"{CONFIG} is missing: it configures the trust center's site"
UNLISTED = f"{CONFIG} does not list the plaintrust plugin under `plugins:`, so no trust center would be built"


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if settings.plugin_listed:
        return
    if not settings.site_configured:
        yield Location(CONFIG).error(ID, MISSING, _create_hint(model))
    elif settings.plugins_line is None:
        yield Location(CONFIG).error(ID, UNLISTED, "add the line `plugins:` with `  - search` and `  - plaintrust` "
                                     "under it")
    else:
        yield Location(CONFIG, settings.plugins_line).error(ID, UNLISTED, "add the line `  - plaintrust` under `plugins:`")


def _create_hint(model: Model) -> str:
    if _nothing_here(model):
        return ("there is no trust-center repository here (no controls/, evidence/ or site/): create one with "
                "`plaintrust init DIRECTORY`, or point --root at yours")
    return ("create it with `docs_dir: site`, `site_dir: build/site` and `plugins:` listing `search` and "
            "`plaintrust` (`plaintrust init DIRECTORY` writes a complete example)")


def _nothing_here(model: Model) -> bool:
    """No file of a trust-center repository was found, not even a broken one."""
    found = (model.program, model.trust, model.controls, model.evidence, model.site_files, model.broken_ids,
             model.incomplete)
    return not any(found)
