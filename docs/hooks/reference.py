"""MkDocs hook: the reference pages, generated from the code at every build.

The CLI reference walks the click commands, the rules reference reads each rule module's
docstring, the schema reference walks the JSON Schemas, the plugin reference reads the options'
one declaration (settings.OPTIONS, which the plugin's config class is made from too) and the
collectors reference reads each shipped collector (its module docstring and the JSON Schema of its
`with:`), so a change to a help text, a docstring, a schema or an option reaches the docs with no
edit here. BENCHMARKS.md (at the root of the repository, outside the docs) is added as a page.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
PLAIN_SPECIALS = str.maketrans({"<": "&lt;", **{c: "\\" + c for c in "*_[]{}"}})


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    pages = {
        "reference/cli.md": cli_page(),
        "reference/rules.md": rules_page(),
        "reference/schemas.md": schemas_page(),
        "reference/plugin.md": plugin_page(),
        "reference/collectors.md": collectors_page(),
        "contributing/benchmarks.md": benchmarks_page(Path(config.config_file_path).parent),
    }
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content))
    return files


# --- shared: text from the code, as Markdown ---------------------------------------------------


def _outside_code(text: str, change) -> str:
    """Apply `change` to the text between code spans: what is inside backticks stays as written."""
    parts, last = [], 0
    for match in CODE_SPAN.finditer(text):
        parts += [change(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*parts, change(text[last:])])


def plain(text: str) -> str:
    """Plain text (a help text, a schema description) as Markdown that shows it as written."""
    return _outside_code(" ".join(text.split()), lambda part: part.translate(PLAIN_SPECIALS))


def markdown(text: str) -> str:
    """A docstring meant as Markdown: only a bare `<` is escaped, so it cannot open raw HTML."""
    return _outside_code(inspect.cleandoc(text), lambda part: part.replace("<", "&lt;"))


def cell(text: str) -> str:
    """Markdown for a table cell: one line, and no bare `|` to end the cell early."""
    return _outside_code(text.replace("\n", " "), lambda part: part.replace("|", r"\|"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- the CLI -------------------------------------------------------------------------------------


def cli_page() -> str:
    from plaintrust.cli import cli

    contexts = list(_contexts(click.Context(cli, info_name="plaintrust")))
    index = [
        f"- [`{c.command_path}`](#{slug(c.command_path)}): {plain(c.command.get_short_help_str(200))}"
        for c in contexts[1:]
    ]
    intro = (
        "Generated from the commands themselves: what `plaintrust COMMAND --help` prints, in full. "
        "Every command also takes `-h` / `--help`."
    )
    return "\n\n".join(["# Command-line reference", intro, "\n".join(index), *(_command(c) for c in contexts)]) + "\n"


def _contexts(ctx: click.Context) -> Iterator[click.Context]:
    yield ctx
    if isinstance(ctx.command, click.Group):
        for name in ctx.command.list_commands(ctx):
            sub = ctx.command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _contexts(click.Context(sub, info_name=name, parent=ctx))


def _command(ctx: click.Context) -> str:
    command, path = ctx.command, ctx.command_path
    usage = " ".join([path, *command.collect_usage_pieces(ctx)])
    parts = [f"## `{path}` {{ #{slug(path)} }}", f"```text\n{usage}\n```", *_help(command.help or "")]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    if arguments:
        parts += ["**Arguments**", "\n".join(_argument(p, ctx) for p in arguments)]
    if options:
        parts += ["**Options**", _options_table(options, ctx)]
    if isinstance(command, click.Group):
        subs = [
            f"- [`{path} {name}`](#{slug(f'{path} {name}')})"
            for name in command.list_commands(ctx)
            if not command.get_command(ctx, name).hidden
        ]
        parts += ["**Commands**", "\n".join(subs)]
    return "\n\n".join(parts)


def _help(text: str) -> list[str]:
    """click's conventions: `\\f` ends the help, a paragraph after `\\b` keeps its line breaks."""
    paragraphs = inspect.cleandoc(text.split("\f")[0]).split("\n\n")
    return [
        f"```text\n{p[1:].strip(chr(10))}\n```" if p.startswith("\b") else plain(p) for p in paragraphs if p.strip()
    ]


def _default(param: click.Parameter, ctx: click.Context) -> str:
    value = param.get_default(ctx, call=False)
    if callable(value) or value in (None, False, (), []) or type(value).__name__ == "Sentinel":
        return ""
    return f"`{value}`"


def _argument(param: click.Argument, ctx: click.Context) -> str:
    notes = ["required" if param.required else "optional"]
    if param.nargs == -1:
        notes.append("any number")
    if default := _default(param, ctx):
        notes.append(f"default {default}")
    return f"- `{param.human_readable_name}` ({', '.join(notes)})"


def _options_table(options: list[click.Option], ctx: click.Context) -> str:
    rows = ["| option | value | default | description |", "| --- | --- | --- | --- |"]
    for p in options:
        names = ", ".join(f"`{name}`" for name in [*p.opts, *p.secondary_opts])
        if isinstance(p.type, click.Choice):
            value = " ".join(f"`{c}`" for c in p.type.choices)
        else:
            value = "flag" if p.is_flag else f"`{p.make_metavar(ctx)}`"
        rows.append(f"| {names} | {value} | {_default(p, ctx)} | {cell(_option_help(p))} |")
    return "\n".join(rows)


def _option_help(param: click.Option) -> str:
    notes = [plain(param.help or "")]
    if param.required:
        notes.append("Required.")
    if param.multiple and "repeatable" not in (param.help or "").lower():
        notes.append("Repeatable.")
    return " ".join(n for n in notes if n)


# --- the rules -------------------------------------------------------------------------------------


def rules_page() -> str:
    from plaintrust import rules
    from plaintrust.internal.auditpkg.verify import FINDINGS

    reading = [_rule_section(rule, text, None) for rule, text in rules.READING.items()]
    severities = {m.ID: getattr(m, "SEVERITY", None) for m in rules.ALL}
    semantic = [_rule_section(rule, doc, severities.get(rule)) for rule, doc in rules.reference()]
    index = ["| rule | what it reports |", "| --- | --- |"]
    index += [f"| [`{rule}`](#{rule}) | {cell(plain(text))} |" for rule, text in rules.documentation()]
    intro = (
        "Every problem `plaintrust check` reports names its rule in brackets, e.g. `error [schema]`. "
        "This page is generated from the code: the reading problems from `rules.READING`, each other rule "
        "from the docstring of its module in `generator/plaintrust/rules/`."
    )
    package = (
        "`plaintrust audit-package verify PACKAGE` names each problem it finds in an audit package by one "
        "of these ids. Each is an error: the package is not the one that was built, so ask for it again. "
        "Generated from `FINDINGS` in `generator/plaintrust/internal/auditpkg/verify.py`."
    )
    return (
        "\n\n".join(
            [
                "# Rules",
                intro,
                "\n".join(index),
                "## Problems found while reading a file",
                *reading,
                "## Rules about what the files say",
                *semantic,
                "## Audit package verification",
                package,
                *(_rule_section(rule, text, None) for rule, text in FINDINGS.items()),
            ]
        )
        + "\n"
    )


def _rule_section(rule: str, doc: str, severity: str | None) -> str:
    parts = [f"### `{rule}` {{ #{rule} }}"]
    if severity:
        parts.append(f"*Severity: {severity}*")
    return "\n\n".join([*parts, markdown(doc)])


# --- the JSON Schemas ----------------------------------------------------------------------------


def schemas_page() -> str:
    from plaintrust import schemas

    intro = (
        "The JSON Schemas (Draft 2020-12) every file is checked against, and those of what Plaintrust "
        "writes. `plaintrust schema DIR` writes them as `plaintrust-NAME.schema.json` for editors. "
        "Generated from `generator/plaintrust/schemas/`; a path `a.b` is field `b` inside `a`, "
        "`a[]` an item of the list `a`, `a.*` any key of the mapping `a`."
    )
    index = [
        f"- [`plaintrust-{kind}.schema.json`](#{kind}): {plain(schemas.schema(kind).get('description', ''))}"
        for kind in (*schemas.KINDS, *schemas.OUTPUTS)
    ]
    sections = [_schema_section(kind, schemas.schema(kind)) for kind in (*schemas.KINDS, *schemas.OUTPUTS)]
    return "\n\n".join(["# Schemas", intro, "\n".join(index), *sections]) + "\n"


def _schema_section(kind: str, schema: dict[str, Any]) -> str:
    rows = ["| field | type | required | description |", "| --- | --- | --- | --- |"]
    for path, node, required in _fields(schema, schema, "", frozenset()):
        rows.append(
            f"| `{path}` | {cell(_type(node, schema))} | {'yes' if required else ''} | "
            f"{cell(plain(_description(node, schema)))} |"
        )
    title = schema.get("title", kind)
    return "\n\n".join(
        [
            f"## {title} {{ #{kind} }}",
            f"`plaintrust-{kind}.schema.json`: {plain(schema.get('description', ''))}",
            "\n".join(rows),
        ]
    )


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    return schema["$defs"][ref.split("/")[-1]] if ref.startswith("#/$defs/") else node


def _fields(node: dict, schema: dict, prefix: str, seen: frozenset) -> Iterator[tuple[str, dict, bool]]:
    """Every field under `node`, depth first; a definition that contains itself is walked once."""
    ref = node.get("$ref")
    if ref in seen:
        return
    seen, target = (seen | {ref} if ref else seen), _resolve(node, schema)
    required = set(target.get("required", ()))
    for name, child in target.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, child, name in required
        yield from _fields(child, schema, path, seen)
    if isinstance(target.get("items"), dict):
        yield from _fields(target["items"], schema, prefix + "[]", seen)
    if isinstance(target.get("additionalProperties"), dict):
        yield from _fields(target["additionalProperties"], schema, prefix + ".*", seen)
    for branch in target.get("oneOf", []) + target.get("anyOf", []):
        yield from _fields(branch, schema, prefix, seen)


def _type(node: dict[str, Any], schema: dict[str, Any]) -> str:
    """A short name for what a field holds: the values it may take, a shared definition, or a type."""
    target = _resolve(node, schema)
    if "enum" in target:
        # A flag lists true and "true" (editors read a boolean, Plaintrust keeps the text): show it once.
        spelled = (json.dumps(v) if isinstance(v, bool) else v for v in target["enum"])
        return "one of " + ", ".join(f"`{v}`" for v in dict.fromkeys(spelled))
    if "const" in target:
        return f"`{target['const']}`"
    if target is not node and target.get("type") not in ("object", "array"):
        name, inner = node["$ref"].split("/")[-1], _type(target, schema)
        return name if inner in ("text", name) else f"{name}: {inner}"
    branches = target.get("oneOf", []) + target.get("anyOf", [])
    if branches:
        return " or ".join(dict.fromkeys(_type(b, schema) for b in branches))
    kind = target.get("format") or target.get("type", "any")
    if kind == "array" and isinstance(target.get("items"), dict):
        return f"list of {_type(target['items'], schema)}"
    kinds = kind if isinstance(kind, list) else [kind]
    return " or ".join({"string": "text", "object": "mapping"}.get(k, k) for k in kinds)


def _description(node: dict[str, Any], schema: dict[str, Any]) -> str:
    return node.get("description") or _resolve(node, schema).get("description", "")


# --- the MkDocs plugin's options -----------------------------------------------------------------


def plugin_page() -> str:
    from plaintrust.settings import OPTIONS

    rows = ["| option | type | default | description |", "| --- | --- | --- | --- |"]
    example = ["plugins:", "  - search", "  - plaintrust:"]
    for option in OPTIONS:
        rows.append(
            f"| `{option.name}` | {option.kind.shown} | `{json.dumps(option.default)}` | {cell(option.description)} |"
        )
        example.append(f"      {option.name}: {json.dumps(option.default)}")
    intro = (
        "The `plaintrust` plugin's options, set under `plugins:` in the trust center's `mkdocs.yml`; "
        "`plaintrust check` reads and checks them there too, as the plugin does: a value one refuses, "
        "the other refuses too, and a key that is no option is a warning in both. Generated from "
        "`OPTIONS` in `generator/plaintrust/settings.py`, their one declaration. Every option may be "
        "left out, or left empty for its default; with all of them at their defaults:"
    )
    return "\n\n".join(["# Plugin options", intro, "```yaml\n" + "\n".join(example) + "\n```", "\n".join(rows)]) + "\n"


# --- the shipped collectors --------------------------------------------------------------------


def collectors_page() -> str:
    import importlib

    from plaintrust.collect import registry

    intro = (
        "The collectors Plaintrust ships, for the `use:` of a `collect:` block (the `run:` form is the "
        "`command` collector). How a series collects itself, and how another package adds a collector, "
        "is in the [collectors guide](../guide/collectors.md). Generated from "
        "`generator/plaintrust/collect/`: each collector's module docstring, and the JSON Schema of its "
        "`with:` options (a path `a.b` is option `b` inside `a`, `a[]` an item of the list `a`, `a.*` "
        "any key of the mapping `a`)."
    )
    shipped = {name: registry.find(name) for name in registry.SHIPPED}
    index = [f"- [`{name}`](#{slug(name)}): {plain(c.summary)}" for name, c in shipped.items() if c]
    sections = [
        _collector_section(c, importlib.import_module(registry.SHIPPED[name]).__doc__ or "")
        for name, c in shipped.items()
        if c
    ]
    return "\n\n".join(["# Collectors", intro, "\n".join(index), *sections]) + "\n"


def _collector_section(collector, doc: str) -> str:
    schema = dict(collector.options)
    rows = ["| option | type | required | description |", "| --- | --- | --- | --- |"]
    for path, node, required in _fields(schema, schema, "", frozenset()):
        rows.append(
            f"| `{path}` | {cell(_type(node, schema))} | {'yes' if required else ''} | "
            f"{cell(plain(_description(node, schema)))} |"
        )
    options = "\n".join(rows) if len(rows) > 2 else "It takes no `with:` options."
    return "\n\n".join(
        [
            f"## `{collector.name}` {{ #{slug(collector.name)} }}",
            f"*{plain(collector.summary)}*",
            markdown(doc),
            "**Options** (`with:`)",
            options,
        ]
    )


# --- benchmarks ----------------------------------------------------------------------------------


def benchmarks_page(docs: Path) -> str:
    """BENCHMARKS.md as it is: one file, kept beside the benchmark's code, shown here too."""
    return (docs.parent / "BENCHMARKS.md").read_text(encoding="utf-8")
