"""Keep a copy of a file, or of chosen settings in it, as evidence.

`path` is relative to the repository root (`config/sshd_config`), or absolute
(`/etc/ssh/sshd_config`, on the machine that collects). Without `select`, the evidence is the
file's bytes as they are, named with the file's own extension (`<date>.conf`). With `select`, the
file is read as JSON or YAML and the evidence is a JSON file holding only the chosen fields, each
under the path that chose it:

```yaml
collect:
  use: file
  with:
    path: config/idp-policy.yaml
    select: [mfa.required, "policies[*].name"]
  every: monthly
```

A field is a dotted path of keys; `[0]` picks an item of a list, `[-1]` the last one, and `[*]`
every item. Keys are spelled as the evidence file shows them, as JSON does: YAML's `null:`, `yes:`
and `2026:` keys are `null`, `true` and `2026`. A key holding `.`, `[` or `]`, and a key that is
only `*`, cannot be selected. A field that is not in the file fails the collection, naming it, and
so does a value JSON cannot hold (YAML's `.nan` and `.inf`). `format` says how to read the file
when its extension is neither `.json` nor `.yaml`/`.yml`.

Refused, so the collection fails:

- a path inside `evidence/`: that would keep evidence as evidence of itself;
- anything that is not a regular file (a folder, a device, a pipe);
- a relative path that leads out of the repository, through `..` or a symbolic link
  (write an absolute path when you mean a file elsewhere; an absolute path's links are followed);
- a file larger than 32 MiB.

YAML is read safely: no custom tags, at most 64 levels of nesting, and no alias bombs. A YAML
file with a mistake `plaintrust check` would report in a record, such as a key written twice,
fails the collection rather than keeping one of its values.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

import yaml

from plaintrust.collect.api import Collector, CollectorFailed, Context
from plaintrust.collect.select import FIELD, dump, select
from plaintrust.diagnostics import Severity
from plaintrust.load.yamlfile import parse_text

MAX_SIZE = 32 * 1024 * 1024
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,16}")
_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
try:  # libyaml's loader when PyYAML was built with it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

OPTIONS: Mapping[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["path"],
    "properties": {
        "path": {
            "type": "string",
            "minLength": 1,
            "description": "The file: relative to the repository root, or absolute. Not inside evidence/.",
        },
        "select": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": FIELD,
            "description": (
                "Fields to keep, such as settings.mfa.required or policies[*].name; "
                "the file is then read as JSON or YAML and the evidence is JSON. "
                "A key holding '.', '[' or ']', or a key that is only '*', cannot be selected."
            ),
        },
        "format": {
            "enum": ["json", "yaml"],
            "description": "How to read the file for select; by default its extension says (.json, .yaml, .yml).",
        },
    },
}


def collect(options: Mapping[str, object], context: Context) -> bytes:
    given = str(options["path"])
    raw = _read(_source(given, context.root), given)
    fields = options.get("select")
    if not fields:
        return raw
    assert isinstance(fields, list)
    data = _parse(raw, given, _format(options, given))
    return dump(select(data, [str(field) for field in fields]))


def suffix(options: Mapping[str, object]) -> str:
    """The evidence file's extension: `.json` with `select`, else the source file's own (`.txt` if none)."""
    if options.get("select"):
        return ".json"
    own = Path(str(options.get("path", ""))).suffix
    return own if _SUFFIX.fullmatch(own) else ".txt"


def _source(given: str, root: Path) -> Path:
    """The file to read, refused when it is evidence or (for a relative path) outside the repository."""
    path = Path(given)
    base = root.resolve()
    if not path.is_absolute() and os.path.normpath(given).replace("\\", "/").split("/")[0] == "evidence":
        raise CollectorFailed(f"{given!r} is inside evidence/: a file collector cannot keep evidence as evidence")
    full = path if path.is_absolute() else base / path
    try:
        target = full.resolve(strict=True)
    except FileNotFoundError:
        raise CollectorFailed(_absent(full, given)) from None
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links, a folder we may not enter
        raise CollectorFailed(f"the file {given!r} cannot be reached: {_reason(exc)}") from None
    if not path.is_absolute() and not target.is_relative_to(base):
        raise CollectorFailed(f"{given!r} leads out of the repository; write an absolute path for a file elsewhere")
    if target.is_relative_to(base / "evidence") or target.is_relative_to((base / "evidence").resolve()):
        raise CollectorFailed(f"{given!r} is inside evidence/: a file collector cannot keep evidence as evidence")
    return target


def _absent(full: Path, given: str) -> str:
    """Why a path that cannot be resolved is not there: `/dev/stdin` leads to a pipe, which has no
    path of its own, though it exists."""
    try:
        mode = os.stat(full).st_mode
    except OSError:
        return (
            f"{given!r} is a symbolic link to nothing" if os.path.islink(full) else f"the file {given!r} does not exist"
        )
    if stat.S_ISREG(mode):  # a deleted file still open, as /proc shows it
        return f"the file {given!r} cannot be reached: it has no path of its own"
    return _not_a_file(given, mode)


def _not_a_file(given: str, mode: int) -> str:
    kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a pipe", stat.S_ISSOCK: "a socket"}
    kinds |= {stat.S_ISCHR: "a device", stat.S_ISBLK: "a device"}
    kind = next((name for test, name in kinds.items() if test(mode)), None)
    return f"{given!r} is not a regular file" + (f": it is {kind}" if kind else "")


def _read(target: Path, given: str) -> bytes:
    # O_NONBLOCK: opening a pipe must not wait for a writer before we can see it is not a file.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(target, flags)
    except OSError as exc:
        raise CollectorFailed(f"the file {given!r} cannot be opened: {_reason(exc)}") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise CollectorFailed(_not_a_file(given, info.st_mode))
    with os.fdopen(handle, "rb") as stream:
        if info.st_size > MAX_SIZE:
            raise CollectorFailed(f"the file {given!r} is larger than 32 MiB")
        return stream.read(MAX_SIZE + 1)


def _format(options: Mapping[str, object], given: str) -> str:
    named = options.get("format") or _FORMATS.get(Path(given).suffix.lower())
    if not named:
        raise CollectorFailed(f"say how to read {given!r} for select: format: json or format: yaml")
    return str(named)


def _parse(raw: bytes, given: str, form: str) -> object:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CollectorFailed(f"the file {given!r} is not UTF-8 text") from None
    return _json(text, given) if form == "json" else _yaml(text, given)


def _json(text: str, given: str) -> object:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CollectorFailed(f"the file {given!r} is not valid JSON: {exc}") from None
    except RecursionError:
        raise CollectorFailed(f"the file {given!r} nests its values too deeply") from None


def _yaml(text: str, given: str) -> object:
    # The loader's own streaming parser first: it refuses alias bombs, deep nesting and custom
    # tags without building anything; only a file it accepts is then loaded with its types.
    # Any error counts, not only one that stops the parser: a key written twice would keep one value.
    checked = parse_text(given, text)
    errors = [found for found in checked.diagnostics if found.severity is Severity.ERROR]
    if checked.document is None or errors:
        first = next(iter(errors or checked.diagnostics), None)
        reason = f" (line {first.line}: {first.message})" if first else ""
        raise CollectorFailed(f"the file {given!r} is not usable YAML{reason}")
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader (CSafeLoader or SafeLoader)
    except yaml.YAMLError as exc:
        raise CollectorFailed(f"the file {given!r} is not usable YAML ({str(exc).splitlines()[0]})") from None
    except ValueError:  # a number of thousands of digits, which Python will not read
        raise CollectorFailed(f"the file {given!r} is not usable YAML (a number is too long)") from None


def _reason(exc: BaseException) -> str:
    return exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__


COLLECTOR = Collector(
    name="file",
    summary="Keeps a copy of a file, or of chosen JSON or YAML fields in it.",
    collect=collect,
    options=OPTIONS,
    suffix=".json",
)
