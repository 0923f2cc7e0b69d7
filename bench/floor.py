"""The floor under `plaintrust check`: start the interpreter, read the YAML a check reads, parse it with libyaml.

    python bench/floor.py REPO

Nothing else: no schema, no rule, no model, no cache. bench/run.py runs it as its own process beside
`plaintrust check` (cold), so the ratio says what a check costs beyond reading its input at all.

"The YAML a check reads" follows the loader (`plaintrust.load.discovery` and `pipeline._Reader`):

- `mkdocs.yml` (the plugin's settings; any tag read as a plain value, as the settings reader does);
- `controls/**/*.yaml|yml`, `controls/program.yaml` included;
- `evidence/**/*.yaml|yml`: the records, and YAML files under `evidence/files/` too, since the check
  parses every one before it knows which a record pins (neither the example nor the generated
  repositories keep YAML there);
- `site/trust.yaml|yml` and `answers/**/*.yaml|yml`;
- the front matter of `policies/**/*.md` and of the notices, `site/updates/*.md`.

Hidden files and folders are skipped, as the loader skips them. Left out, though a check does them:
the shipped catalogs (inside the package, not the repository), git history (policy versions,
watched files), the ledger (JSON), hashing the evidence files, the page titles of `site/`.

`controls` and `records` are also the file lists the check-jsonschema peer validates.
"""

from __future__ import annotations

import os
import sys

import yaml

YAML_SUFFIXES = (".yaml", ".yml")
PROGRAMS = ("controls/program.yaml", "controls/program.yml")


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader, reading a tag it does not know (`!ENV`, `!!python/name:` in mkdocs.yml) as plain YAML."""


def _untagged(loader: yaml.CSafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # YAML has no fourth kind of node


for _prefix in ("!", "tag:yaml.org,2002:python/"):
    _Loader.add_multi_constructor(_prefix, _untagged)


def walk(repo: str, folder: str, suffixes: tuple[str, ...]) -> list[str]:
    """Files under `folder` (relative to `repo`, with '/') ending in one of `suffixes`, hidden ones skipped."""
    found = []
    for top, folders, files in os.walk(os.path.join(repo, folder)):
        folders[:] = [name for name in folders if not name.startswith(".")]
        rel = os.path.relpath(top, repo).replace(os.sep, "/")
        found += [f"{rel}/{name}" for name in files if name.endswith(suffixes) and not name.startswith(".")]
    return sorted(found)


def controls(repo: str) -> list[str]:
    """The control files: everything the loader reads under controls/ but the program."""
    return [rel for rel in walk(repo, "controls", YAML_SUFFIXES) if rel not in PROGRAMS]


def records(repo: str) -> list[str]:
    """The evidence records: YAML under evidence/, the pinned files under evidence/files/ aside."""
    return [rel for rel in walk(repo, "evidence", YAML_SUFFIXES) if not rel.startswith("evidence/files/")]


def yaml_files(repo: str) -> list[str]:
    single = ["mkdocs.yml", "site/trust.yaml", "site/trust.yml"]
    return [
        *(rel for rel in single if os.path.isfile(os.path.join(repo, rel))),
        *walk(repo, "controls", YAML_SUFFIXES),
        *walk(repo, "evidence", YAML_SUFFIXES),
        *walk(repo, "answers", YAML_SUFFIXES),
    ]


def pages(repo: str) -> list[str]:
    """Markdown files whose front matter the check reads: policies and notices."""
    notices = [rel for rel in walk(repo, "site/updates", (".md",)) if rel.count("/") == 2]
    return [*walk(repo, "policies", (".md",)), *notices]


def front_matter(text: str) -> str:
    """The YAML between the first line `---` and the next `---` (or `...`); empty without one."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return ""
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), len(lines))
    return "".join(lines[1:end])


def read(repo: str, rel: str) -> str:
    with open(os.path.join(repo, rel), encoding="utf-8") as stream:
        return stream.read()


def main() -> None:
    repo = sys.argv[1]
    texts = [read(repo, rel) for rel in yaml_files(repo)]
    texts += [front_matter(read(repo, rel)) for rel in pages(repo)]
    for text in texts:
        yaml.load(text, Loader=_Loader)
    print(f"{len(texts)} YAML documents parsed")


if __name__ == "__main__":
    main()
