"""A file that site/trust.yaml names (a logo, certificate, bridge letter or document) is missing or not inside site/.

Checked: `brand.logo`, each certification's `file` and `bridge_letter.file`, and each document's
`file`, all relative to site/. It fires when nothing is there, when the path names a folder or
anything else that is not a regular file, or when it leaves site/ (an absolute path, `..`, a
backslash, or a symbolic link that leads out).

The page would offer a download that does not work, and a file outside site/ is not meant to be
published.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, put the file under site/ and give its path relative to site/, such as
`reports/bridge-letter.pdf`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import FileStatus, Key
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "site-file-missing"
READS_FILES = False

_WHY = {
    FileStatus.MISSING: "does not exist under site/",
    FileStatus.NOT_A_FILE: "is not a regular file",
    FileStatus.SYMLINK_ESCAPES: "leads out of site/ through a symbolic link",
}


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None:
        return
    doc = model.trust.source
    named: list[tuple[Key, str | None]] = [(("brand", "logo"), model.trust.logo)]
    named += [(("certifications", c.index, "file"), c.file) for c in model.trust.certifications]
    named += [
        (("certifications", c.index, "bridge_letter", "file"), c.bridge_letter.file)
        for c in model.trust.certifications
        if c.bridge_letter
    ]
    named += [(("documents", i, "file"), d.file) for i, d in enumerate(model.trust.documents)]
    for keys, path in named:
        fact = model.trust.site_files.get(path) if path else None
        if fact is not None and fact.status is not FileStatus.OK:
            yield doc.at(*keys).error(ID, f"'{path}' {_WHY.get(fact.status, 'must be a file inside site/')}")
