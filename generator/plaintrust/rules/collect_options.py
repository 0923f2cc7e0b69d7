"""A `collect:` block's `with:` does not match its collector's options, or `token_env` names a variable `env:` does not pass.

Each collector documents the options it takes (a `url` for http-json, a `path` for file, ...). This
fires at the offending option when `with:` does not match them: an option the collector does not
take (the hint suggests the nearest), a required one that is missing, a value listed twice, or a
value of the wrong kind or form, such as a `url` without `https://`, a `port` above 65535, a
header the collector refuses (`Authorization`: use `token_env`) or a `run` written as one string.

Values arrive as text, as YAML writes them, and are converted as the collector's options say:
where a collector asks for a number or for true or false, `port: 443` and `port: "443"` are
both the number 443, and `verify: true` is true. A value that does not read as what is asked for
(`port: many`) is reported.

It also fires at `with.token_env` when the variable it names is not listed in the block's `env:`.
A collector sees only the variables `env:` lists, so it would run without its token.

When an installed package's collector describes its options with a schema that is not valid, its
options cannot be checked: that is reported here as a warning at `collect.use`. When an installed
package publishes a collector under the name of one Plaintrust ships, the shipped one is used and
checked; the hint says the package's one was ignored.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write the options as the collector's documentation lists them, and add the variable
`token_env` names to `env:` (for example `env: [IDP_TOKEN]`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from plaintrust.collect import registry
from plaintrust.collect.options import coerce
from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Collect, EvidenceRecord, Model
from plaintrust.schemas.messages import SHELL_HINT, describe
from plaintrust.suggest import did_you_mean

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

ID = "collect-options"
READS_FILES = False

_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}

# Options of shipped collectors already found valid, by `_verdict_key` (the pipeline fills this from
# .plaintrust-cache/ and saves it back): jsonschema takes a tenth of a second to import, and `check`
# runs on every commit. Only a valid verdict is kept: a problem is always explained afresh.
KNOWN_VALID: set[str] = set()
_USED: set[str] = set()


def check(model: Model) -> Iterator[Diagnostic]:
    if not model.collecting:  # most repositories: nothing to check, and no validator to build
        return
    for record in model.evidence:
        if record.collect is not None:
            yield from _options(record, record.collect)
            yield from _token(record, record.collect)


def _options(record: EvidenceRecord, collect: Collect) -> Iterator[Diagnostic]:
    options = _coerced(collect)
    if options is None:
        return  # an unknown collector is collect-unknown's
    errors = _errors(collect.use, options)
    if errors is None:
        message = f"collect: the collector {collect.use!r} describes its options with a schema that is not valid"
        hint = "its options are not checked; tell the authors of the package that provides it"
        yield record.source.at("collect", "use").warning(ID, message, hint)
        return
    # The run form's options are {"run": [...]}, written as `collect.run` itself.
    base = ("collect",) if "run" in record.source.data["collect"] else ("collect", "with")
    note = _ignored(collect.use) if errors else None  # looking through installed packages takes a while
    for error in errors:
        for found in _diagnose(record.source, (*base, *error.absolute_path), collect.use, error):
            yield _noted(found, note)


def _coerced(collect: Collect) -> object | None:
    """`with:` as the collector's options read it (YAML gave text); None for an unknown collector."""
    collector = registry.find(collect.use)
    return None if collector is None else coerce(dict(collect.options), collector.options)


def unchecked(model: Model) -> list[tuple[str, object]]:
    """(collector, options) of each block whose verdict is not known yet (see `rules._ahead`)."""
    blocks = [r.collect for r in model.evidence if r.collect is not None] if model.collecting else []
    found = [(c.use, _coerced(c)) for c in blocks]
    return [(name, options) for name, options in found if options is not None and _known(name, options) is None]


def verdicts(blocks: list[tuple[str, object]]) -> dict[str, bool]:
    """Check each (collector, options) pair; the valid verdicts, as `used_verdicts` gives them."""
    for name, options in blocks:
        _errors(name, options)
    return used_verdicts()


def _ignored(name: str) -> str | None:
    """An installed package's collector of a shipped name, which was ignored: `with:` may be written for it."""
    return next((p for p in registry.problems() if f"{name!r}" in p and "name of a shipped collector" in p), None)


def _noted(found: Diagnostic, note: str | None) -> Diagnostic:
    if note is None:
        return found
    return replace(found, hint=f"{found.hint}; note: {note}" if found.hint else note)


def _errors(name: str, options: object) -> list[ValidationError] | None:
    """What is wrong with `options`; None when the collector's schema cannot be used."""
    if _known(name, options) is not None:
        return []
    key = _verdict_key(name, options)
    validator = _validator(name)
    if validator is None:
        return None
    try:
        errors = list(validator.iter_errors(options))
    except Exception:  # noqa: BLE001 - an installed package's broken schema (a $ref to nowhere) must not stop check
        return None
    if key is not None and not errors:
        KNOWN_VALID.add(key)
        _USED.add(key)
    return errors


def _known(name: str, options: object) -> str | None:
    """The key of a valid verdict already known for these options (noted as used), or None."""
    key = _verdict_key(name, options)
    if key is None or key not in KNOWN_VALID:
        return None
    _USED.add(key)
    return key


def _verdict_key(name: str, options: object) -> str | None:
    """The digest of a shipped collector's schema and of `options`; None when a verdict must not be
    reused: an installed package's collector (its formats may depend on what else is installed), or
    options JSON would not write back exactly (a tuple reads as a list, which jsonschema tells apart)."""
    if name not in registry.SHIPPED or not _plain(options):
        return None
    schema = dict(registry.find(name).options)  # type: ignore[union-attr]  # a shipped name is always found
    text = json.dumps([name, schema, options], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: object) -> bool:
    if value is None or type(value) in (str, int, float, bool):
        return True
    if isinstance(value, list) and type(value) is list:
        return all(_plain(item) for item in value)
    return (
        isinstance(value, dict) and type(value) is dict and all(type(k) is str and _plain(v) for k, v in value.items())
    )


def used_verdicts() -> dict[str, bool]:
    """The valid verdicts used since the last call (what the cache keeps)."""
    used = dict.fromkeys(sorted(_USED), True)
    _USED.clear()
    return used


@cache
def _validator(name: str) -> Draft202012Validator | None:
    """Built once per collector and reused for every record; None for an installed package's broken
    schema. A shipped collector's schema is not checked here: its unit tests check it."""
    from jsonschema import Draft202012Validator, SchemaError  # slow to import: only where a series collects

    collector = registry.find(name)
    if collector is None:
        return None
    schema = dict(collector.options) or {"type": "object"}
    if name not in registry.SHIPPED:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError:
            return None
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _diagnose(doc: Document, path: tuple[Any, ...], name: str, error: ValidationError) -> Iterator[Diagnostic]:
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, Mapping):
        allowed = list(schema.get("properties", {}))
        for key in (k for k in instance if k not in allowed):
            hint = did_you_mean(str(key), allowed) or f"its options are: {', '.join(allowed) or 'none'}"
            yield doc.key_at(*path, key).error(
                ID, f"{_field(path)}: the collector {name!r} takes no option {key!r}", hint
            )
    elif error.validator == "required" and isinstance(instance, Mapping):
        for key in (k for k in _as_list(error.validator_value) if k not in instance):
            option = schema.get("properties", {}).get(key)
            described = option.get("description") if isinstance(option, Mapping) else None
            yield doc.at(*path).error(ID, f"{_field(path)}: the collector {name!r} needs the option {key!r}", described)
    else:
        yield from _refused(doc, path, error, schema)


def _refused(
    doc: Document, path: tuple[Any, ...], error: ValidationError, schema: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    """A key or a value the schema refuses."""
    if _a_name(error) and isinstance(error.instance, str):
        described = schema.get("description") or error.message
        where = doc.key_at(*path, error.instance)
        yield where.error(ID, f"{_field(path)}: {describe(error.instance)} cannot be used here", described)
    elif error.validator == "uniqueItems" and isinstance(error.instance, list):
        yield from _twice(doc, path, error.instance)
    else:
        yield doc.at(*path).error(ID, _wrong(path, error), _hint(path, error, schema))


def _a_name(error: ValidationError) -> bool:
    """The error is about a key of a mapping (`propertyNames`), not a value: it is located at the key.
    A property that is itself called propertyNames is a value."""
    where = list(error.relative_schema_path)
    return where[-2:-1] == ["propertyNames"] and where[-3:-2] != ["properties"]


def _twice(doc: Document, path: tuple[Any, ...], items: list[Any]) -> Iterator[Diagnostic]:
    """Each repeat of an item, at the repeat, as the schema messages put it."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = repr(item)
        if key in seen:
            yield doc.at(*path, index).error(ID, f"{_field(path)}: {describe(item)} is listed twice")
        seen.add(key)


def _wrong(path: tuple[Any, ...], error: ValidationError) -> str:
    """What is wrong with one value, in the words the schema errors use."""
    found = describe(error.instance)
    if error.validator == "type":
        wanted = _as_list(error.validator_value)
        return f"{_field(path)}: expected {' or '.join(_WORDS.get(w, w) for w in wanted)}, found {found}"
    if error.validator in ("enum", "const"):
        return f"{_field(path)}: {found} is not one of: {', '.join(map(str, _as_list(error.validator_value)))}"
    if error.validator in ("minLength", "minItems") and error.validator_value == 1:
        return f"{_field(path)}: must not be empty"
    return f"{_field(path)}: {found} is not a valid {_field(path)}"


def _hint(path: tuple[Any, ...], error: ValidationError, schema: Mapping[str, Any]) -> str | None:
    if error.validator == "type" and _field(path) == "run" and isinstance(error.instance, str):
        return SHELL_HINT
    if error.validator in ("enum", "const"):
        return did_you_mean(str(error.instance), map(str, _as_list(error.validator_value))) or schema.get("description")
    return schema.get("description") or error.message


def _token(record: EvidenceRecord, collect: Collect) -> Iterator[Diagnostic]:
    """A token the collector reads from a variable it will never see: it would run unauthenticated."""
    variable = collect.options.get("token_env")
    if isinstance(variable, str) and variable and variable not in collect.env:
        listed = ", ".join((*collect.env, variable))
        yield record.source.at("collect", "with", "token_env").error(
            ID,
            f"token_env: {variable} is not listed in env:, so the collector would not see it",
            f"list it: env: [{listed}]",
        )


def _field(path: tuple[Any, ...]) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1]


def _as_list(value: object) -> list[Any]:
    """A keyword's value as a list: `type` and `const` may give one value alone."""
    return value if isinstance(value, list) else [value]
