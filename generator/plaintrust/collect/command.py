"""Run a program of your own and keep what it writes.

The `run:` form of a `collect:` block is this collector: `collect: {run: [python, scripts/export.py], ...}`
is the same as `collect: {use: command, with: {run: [python, scripts/export.py]}, ...}`.

`run` is a list of words, the program first. No shell runs it: there are no pipes, redirections,
wildcards or `$VARIABLES`; write a small script when you need them. The program runs in the repository
root with a minimal environment: `PATH`, `HOME` and `TMPDIR` (a fresh empty folder, deleted afterwards),
`LANG`, `LC_ALL` and `TZ`, the variables named in `env:`, and these four:

- `PLAINTRUST_SERIES`: the series being collected;
- `PLAINTRUST_TODAY`: the collection day, `YYYY-MM-DD`;
- `PLAINTRUST_COVERS_FROM` and `PLAINTRUST_COVERS_TO`: the period the record will cover
  (only with `covers: previous-slot`).

What the program writes to its standard output becomes the evidence file. When a word contains
`{output}`, that part is replaced by the path of a fresh file and the program writes the evidence
there instead (`--out`, `{output}`); its standard output is then ignored. The file is named
`<date>.txt` unless `output:` gives another extension.

The collection fails, and nothing is written, when the program is not found, exits with a status
other than zero, runs out of time, writes nothing, or writes more than 32 MiB. The last lines of
what it wrote to its standard error are shown with the failure.
"""

from __future__ import annotations

from collections.abc import Mapping

from plaintrust.collect.api import Collector, CollectorFailed, Context

OPTIONS: Mapping[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["run"],
    "properties": {
        "run": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "minLength": 1},
            "description": (
                "The program and its arguments, one word per item; no shell runs them. "
                "A word containing {output} gets the path of the file the program writes the evidence to."
            ),
        },
    },
}


def _collect(options: Mapping[str, object], context: Context) -> bytes:
    # The runner starts the program itself (it needs the argv and the output file, not a worker).
    raise CollectorFailed("the command collector is run by the runner, not called")


COLLECTOR = Collector(
    name="command",
    summary="Runs a program of your own, without a shell, and keeps what it writes.",
    collect=_collect,
    options=OPTIONS,
    suffix=".txt",
)
