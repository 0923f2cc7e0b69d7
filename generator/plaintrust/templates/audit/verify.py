#!/usr/bin/env python3
"""Check a Plaintrust Type II package with nothing but Python 3.8 or later.

    python3 verify.py                  the folder this script is in (the unpacked package)
    python3 verify.py package.zip      the zip itself, read without unpacking it
    python3 verify.py some/folder      an unpacked package somewhere else

It checks that:
  - every file MANIFEST.json lists is present, with the listed size and SHA-256;
  - every file the manifest says was left out (confidential evidence) is absent;
  - no other file is present;
  - evidence/ledger.jsonl is one unbroken hash chain, ending at the head the manifest gives;
  - each evidence file's SHA-256 is the ledger's last entry for that file.

The manifest holds no hash of itself. The last two checks are what catch a manifest edited to
match a changed file. To rule out a ledger rewritten from scratch, compare the ledger head this
script prints with the one the trust center published.

It prints one line per problem and exits 1 if there is any, 0 when the package is intact.
"""

import hashlib
import json
import os
import posixpath
import re
import stat
import sys
import zipfile
import zlib

MANIFEST = "MANIFEST.json"
LEDGER = "evidence/ledger.jsonl"
GENESIS = "0" * 64
LEDGER_FIELDS = ["file", "prev", "record", "seq", "sha256", "size", "time"]
# Caps, so that a zip bomb is refused instead of filling the disk or memory.
MAX_MEMBERS = 100000
MAX_MEMBER_BYTES = 8 << 30
MAX_TOTAL_BYTES = 32 << 30
MAX_READ_BYTES = 256 << 20  # MANIFEST.json and the ledger are read whole
# Files an operating system adds to a folder by itself; never part of a package.
SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
HEX = re.compile(r"[0-9a-f]{64}")


class Unreadable(Exception):
    """The package, or one of its files, cannot be read; `where` and `rule` say how to report it."""

    def __init__(self, message, where=None, rule="package-file"):
        super().__init__(message)
        self.where, self.rule = where, rule


def shown(text):
    """Text safe to print: control characters (a terminal's escape codes) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def problem(path, rule, message, line=1):
    return "{}:{}:1: error [{}] {}".format(shown(path), line, rule, shown(message))


def unsafe(name):
    """Why a file name could point outside the package; None when it is a plain relative path."""
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute path"
    if "\\" in name:
        return "a backslash"
    if ".." in name.split("/"):
        return "'..'"
    if not name or name != posixpath.normpath(name):
        return "not a plain relative path"
    return None


class ZipPackage:
    """A package still in its zip: nothing is unpacked to disk."""

    def __init__(self, path):
        self.name = os.path.basename(path)
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, NotImplementedError, UnicodeDecodeError, ValueError):
            raise Unreadable(self.name + " is not a zip file", self.name)
        except OSError as exc:
            raise Unreadable("cannot read {}: {}".format(self.name, exc.strerror or exc), self.name)

    def files(self):
        """(name -> zip entry, problems): refused outright when past the caps."""
        infos = self.archive.infolist()
        total = sum(i.file_size for i in infos)
        largest = max([i.file_size for i in infos] or [0])
        if len(infos) > MAX_MEMBERS or largest > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise Unreadable("{} holds {} files unpacking to {} bytes: more than a package may hold".format(
                self.name, len(infos), total), self.name)
        found, problems = {}, []
        for info in infos:
            name = info.filename[:-1] if info.is_dir() else info.filename
            why = unsafe(name) or ("a symbolic link" if stat.S_ISLNK(info.external_attr >> 16) else None)
            if why:
                problems.append(problem(self.name, "package-file", "the member {!r} is {}: it was not read".format(name, why)))
            elif info.filename in found:
                problems.append(problem(name, "package-extra", name + " is in the package twice"))
            elif not info.is_dir():
                found[name] = info
        return found, problems

    def chunks(self, entry, limit):
        size = 0
        try:
            with self.archive.open(entry) as stream:
                chunk = stream.read(1 << 20)
                while chunk:
                    size += len(chunk)
                    if size > limit:
                        raise Unreadable("it unpacks to more than {} bytes".format(limit))
                    yield chunk
                    chunk = stream.read(1 << 20)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise Unreadable(str(exc) or type(exc).__name__)


class FolderPackage:
    """An unpacked package. Symbolic links are refused: they could lead anywhere."""

    def __init__(self, path):
        self.root = path
        self.name = path

    def files(self):
        found, problems = {}, []
        for folder, subfolders, names in os.walk(self.root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(names + [d for d in subfolders if os.path.islink(os.path.join(folder, d))]):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, self.root).replace(os.sep, "/")
                if os.path.islink(full):
                    problems.append(problem(rel, "package-file", rel + " is a symbolic link: it was not read"))
                elif name not in SYSTEM_FILES:
                    found[rel] = full
        return found, problems

    def chunks(self, entry, limit):
        size = 0
        try:
            with open(entry, "rb") as stream:
                chunk = stream.read(1 << 20)
                while chunk:
                    size += len(chunk)
                    if size > limit:
                        raise Unreadable("it is larger than {} bytes".format(limit))
                    yield chunk
                    chunk = stream.read(1 << 20)
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc))


def read_whole(package, entry):
    return b"".join(package.chunks(entry, MAX_READ_BYTES))


def sha256_and_size(package, entry):
    digest, size = hashlib.sha256(), 0
    for chunk in package.chunks(entry, MAX_MEMBER_BYTES):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_sha256(value):
    return isinstance(value, str) and HEX.fullmatch(value) is not None


def manifest_problem(data):
    """Why `data` is not a package manifest; None when it is one."""
    if not isinstance(data, dict) or not isinstance(data.get("files"), list) or not isinstance(data.get("ledger"), dict):
        return "it needs `files` (a list) and `ledger` (an object)"
    head = data["ledger"]
    if head.get("path") != LEDGER or not is_count(head.get("entries")) or not is_sha256(head.get("head")):
        return "`ledger` needs path {}, its entries and its head (a sha256)".format(LEDGER)
    for index, entry in enumerate(data["files"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or unsafe(entry["path"]):
            return "files[{}] needs a safe relative `path`".format(index)
        if not (is_count(entry.get("size")) and is_sha256(entry.get("sha256")) and isinstance(entry.get("included"), bool)):
            return "files[{}] needs `size` (a whole number), `sha256` (64 hex digits) and `included` (true or false)".format(index)
        records = entry.get("records", [])
        if not isinstance(entry.get("role"), str) or not isinstance(records, list) or not all(isinstance(r, str) for r in records):
            return "files[{}] needs a `role`, and `records` as a list of record ids".format(index)
        if entry["role"] == "evidence" and not records:
            return "files[{}] is evidence of no record".format(index)
    paths = [entry["path"] for entry in data["files"]]
    if len(set(paths)) != len(paths) or MANIFEST in paths or not any(e["path"] == LEDGER and e["included"] for e in data["files"]):
        return "its files must be listed once each, without {}, the ledger among them (included)".format(MANIFEST)
    return None


def read_manifest(package, found):
    """The manifest, or raises Unreadable: without it nothing can be checked."""
    if MANIFEST not in found:
        raise Unreadable("the package has no {}: nothing says what it should hold".format(MANIFEST), MANIFEST, "package-manifest")
    try:
        raw = read_whole(package, found[MANIFEST])
    except Unreadable as exc:
        raise Unreadable("{} cannot be read: {}".format(MANIFEST, exc), MANIFEST)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Unreadable(MANIFEST + " is not JSON", MANIFEST, "package-manifest")
    why = manifest_problem(data)
    if why:
        raise Unreadable("{} is not a package manifest: {}".format(MANIFEST, why), MANIFEST, "package-manifest")
    return data


def check_files(package, found, listed):
    """One problem per tampered, missing or extra file; and how many files were hashed."""
    problems, hashed = [], 0
    for entry in listed:
        path = entry["path"]
        if not entry["included"]:
            if path in found:
                problems.append(problem(path, "package-extra", path + " is in the package, but the manifest says it was left out"))
            continue
        if path not in found:
            problems.append(problem(path, "package-missing", path + " is listed in the manifest but not in the package"))
            continue
        try:
            sha256, size = sha256_and_size(package, found[path])
        except Unreadable as exc:
            problems.append(problem(path, "package-file", "{} cannot be read from the package: {}".format(path, exc)))
            continue
        hashed += 1
        if (sha256, size) != (entry["sha256"], entry["size"]):
            problems.append(problem(path, "package-tampered", "{} does not match the manifest: sha256 {} ({} bytes), the manifest "
                                                              "says {} ({} bytes)".format(path, sha256, size, entry["sha256"], entry["size"])))
    names = {entry["path"] for entry in listed} | {MANIFEST}
    for path in sorted(set(found) - names):
        problems.append(problem(path, "package-extra", path + " is in the package but not in the manifest"))
    return problems, hashed


def ledger_lines(raw):
    """The lines as they are hashed: without their line breaks, nor a CR before one."""
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def ledger_entry(line):
    try:
        entry = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or sorted(entry) != LEDGER_FIELDS or not is_count(entry["seq"]):
        return None
    if not all(isinstance(entry[key], str) for key in ("file", "prev", "record", "sha256", "time")):
        return None
    return entry


def check_ledger(lines):
    """(problems, {(record, file): (line number, sha256)} of the last entries, (entries, head))."""
    problems, latest, before, seq = [], {}, None, 0
    for number, line in enumerate(lines, 1):
        entry, digest = ledger_entry(line), hashlib.sha256(line).hexdigest()
        if entry is None:
            problems.append(problem(LEDGER, "ledger-entry", "line {} is not a ledger entry".format(number), number))
        elif before is not None and not before[3]:
            pass  # the line before is not an entry, and is already named
        elif entry["prev"] != (before[1] if before else GENESIS):
            problems.append(chain_break(number, entry, before))
        elif entry["seq"] != (before[2] + 1 if before else 1):
            problems.append(problem(LEDGER, "ledger-chain", "line {} is entry {} where entry {} belongs: its seq was changed".format(
                number, entry["seq"], before[2] + 1 if before else 1), number))
        if entry is not None:
            latest[(entry["record"], entry["file"])] = (number, entry["sha256"])
        seq = entry["seq"] if entry is not None else number
        before = (number, digest, seq, entry is not None)
    return problems, latest, (seq, before[1] if before else GENESIS)


def chain_break(number, entry, before):
    if before is None:
        return problem(LEDGER, "ledger-chain", "line 1 is the first line but its prev is not {}...: the first entry was "
                                               "changed or removed".format(GENESIS[:8]), 1)
    if before[2] == entry["seq"] - 1:
        return problem(LEDGER, "ledger-chain", "line {0} was changed after it was written: line {1} records a different "
                                               "hash for it".format(before[0], number), before[0])
    return problem(LEDGER, "ledger-chain", "line {} does not follow line {} in the chain: lines were changed, removed, "
                                           "inserted or reordered".format(number, before[0]), number)


def check_against_ledger(listed, latest, head, manifest_head):
    problems = []
    if head != (manifest_head["entries"], manifest_head["head"]):
        problems.append(problem(MANIFEST, "package-ledger", "the manifest says the ledger ends at entry {} with head {}; the "
                                                            "ledger in the package ends at entry {} with head {}".format(
                                                                manifest_head["entries"], manifest_head["head"], *head)))
    pinned = {file for _, file in latest}
    for entry in listed:
        path = entry["path"]
        if entry["role"] != "evidence":
            # A file the ledger pins is evidence whatever role the manifest gives it.
            if path != LEDGER and path.startswith("evidence/") and path[len("evidence/"):] in pinned:
                problems.append(problem(path, "package-ledger", "the ledger pins {}, but the manifest lists it as {}, not as "
                                                                "evidence".format(path, entry["role"])))
            continue
        for record in entry.get("records", []):
            last = latest.get((record, path[len("evidence/"):]))
            if last is None:
                problems.append(problem(path, "package-ledger", "the ledger has no entry for {} of record {}".format(path, record)))
            elif last[1] != entry["sha256"]:
                problems.append(problem(path, "package-ledger", "the manifest gives {} sha256 {}; the ledger's last entry for it "
                                                                "({} line {}) records {}".format(path, entry["sha256"], LEDGER, last[0], last[1])))
    return problems


def verify(package):
    """(problems, files hashed, what was checked) for an opened package; raises Unreadable."""
    found, problems = package.files()
    data = read_manifest(package, found)
    listed = data["files"]
    file_problems, hashed = check_files(package, found, listed)
    problems += file_problems
    if LEDGER not in found:  # named above as missing
        return problems, hashed, None
    try:
        lines = ledger_lines(read_whole(package, found[LEDGER]))
    except Unreadable as exc:
        return problems + [problem(LEDGER, "package-file", "{} cannot be read: {}".format(LEDGER, exc))], hashed, None
    chain, latest, head = check_ledger(lines)
    problems += chain + check_against_ledger(listed, latest, head, data["ledger"])
    fingerprint = hashlib.sha256(read_whole(package, found[MANIFEST])).hexdigest()
    return problems, hashed, ("{} file(s) match {} (its sha256: {}, to compare with the one sent apart from the package); "
                              "the ledger holds {} entries, head {} (to compare with the published head)").format(
        hashed, MANIFEST, fingerprint, head[0], head[1])


def open_package(path):
    if os.path.isdir(path):
        return FolderPackage(path)
    if not os.path.isfile(path):
        raise Unreadable("{} is neither a zip file nor a folder".format(path))
    return ZipPackage(path)


def main(arguments):
    if len(arguments) > 1 or arguments[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 2
    target = arguments[0] if arguments else os.path.dirname(os.path.abspath(__file__))
    try:
        problems, hashed, summary = verify(open_package(target))
    except Unreadable as exc:
        print(problem(exc.where or target, exc.rule, str(exc)))
        print("FAILED: the package cannot be checked")
        return 1
    problems = list(dict.fromkeys(problems))  # in the order found, each once
    for line in problems:
        print(line)
    if problems:
        print("FAILED: {} problem(s); the package is not as it was built".format(len(problems)))
        return 1
    print("OK: " + summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
