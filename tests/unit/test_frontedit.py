"""In-place front-matter edits (frontedit.py), which `update resolve` and `policy approve` share: only
the values edited change, a byte-order mark and CRLF line breaks stay, and a shape with no safe place
for an edit is refused with a message that says what to change."""

from __future__ import annotations

import pytest

from plaintrust import frontedit

PAGE = """\
---
# Written by hand.
title: 'Slow exports'   # quoted on purpose
status: "identified"
version: 1.0
next_update_by:
  2026-11-21T09:00:00Z  # soon
affected: Everyone.
---

## Timeline
"""


def edited(raw: bytes, change) -> bytes:
    return frontedit.rewrite(raw, lambda text: frontedit.apply(text, change(text, frontedit.fields(text))))


def test_only_the_values_change_and_the_mark_and_crlf_stay() -> None:
    raw = b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode("utf-8")

    def change(text, found):
        return [
            frontedit.replace(found["title"], "It's fixed"),
            frontedit.replace(found["status"], "resolved"),
            frontedit.replace(found["version"], "1.10", plain='"1.10"'),
        ]

    expected = (
        PAGE.replace("'Slow exports'", "'It''s fixed'")
        .replace('"identified"', '"resolved"')
        .replace("version: 1.0", 'version: "1.10"')
        .replace("\n", "\r\n")
    )
    assert edited(raw, change) == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_a_dropped_field_takes_all_its_lines_and_an_added_one_the_files_line_break() -> None:
    raw = PAGE.replace("\n", "\r\n").encode("utf-8")

    def change(text, found):
        return [frontedit.drop(text, found["next_update_by"]), frontedit.insert_after(text, found["version"], ["a: b"])]

    expected = PAGE.replace("next_update_by:\n  2026-11-21T09:00:00Z  # soon\n", "").replace(
        "version: 1.0\n", "version: 1.0\na: b\n"
    )
    assert edited(raw, change) == expected.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ("---\n{title: x, status: y}\n---\n", "write its front matter as one `key: value` per line"),
        ("---\n- a\n---\n", "write its front matter as one `key: value` per line"),
        ("---\ntitle: x\n", "its front matter is never closed with '---'"),
        ("---\ntitle: [x\n---\n", "its front matter does not parse: "),
    ],
)
def test_a_shape_without_a_safe_place_is_refused(page: str, said: str) -> None:
    with pytest.raises(frontedit.CannotEdit) as refused:
        frontedit.fields(page)
    assert str(refused.value).startswith(said)


def test_a_block_value_is_not_replaced() -> None:
    found = frontedit.fields("---\nstatus: >-\n  identified\ntitle: x\n---\n")
    assert not frontedit.replaceable(found["status"].value) and frontedit.replaceable(found["title"].value)
    with pytest.raises(frontedit.CannotEdit) as refused:
        frontedit.replace(found["status"], "resolved")
    assert str(refused.value) == "write its `status` as a one-line value"
