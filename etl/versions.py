"""Kept versions of the database file: every change keeps the file it replaces, so that any
change can be undone (`python -m etl history`, `undo`, `restore ID`).

Every writer swaps in a new file through etl.files.next_version; just before the swap the
file being replaced gets a second name (a hard link, else a copy) in a folder beside the
database, `.NAME.versions/`, as `ID.duckdb`, described by `ID.json` (a manifest: id, when,
command, source files, counts). The manifest of the file in use is written at its swap and
named by `current.json`, so that when it is replaced in turn it is kept already described.
Only the last BORGMESTER_KEEP_VERSIONS versions are kept. Undo and restore are changes too:
they copy a kept version into a new file through next_version (so the file they replace is
kept, and they can be undone) and add their line to its import_runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dashboard.settings import setting
from etl.errors import SourceError, SourceProblem, display_path
from etl.reasons import count_said

KEEP_SETTING = "BORGMESTER_KEEP_VERSIONS"
COUNTED = ("mayors", "registrations", "sessions", "programmes")
_CURRENT = "current.json"


@dataclass(frozen=True)
class Version:
    """One state of the database: `id` (int, growing), `when` (when it was swapped in),
    `command` (what made it: build, import, boundaries, upgrade, undo, restore, ...),
    `sources` (the files or versions it read), `counts` (table -> rows, of COUNTED), `file`
    (where its data is: the kept copy, or the database itself when `current`)."""

    id: int
    when: dt.datetime
    command: str
    sources: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    file: Path | None = None
    current: bool = False


def folder(database: Path) -> Path:
    """Where `database`'s versions are kept: `.NAME.versions/` beside it (a name
    etl.files.clear_leftovers never matches: it has no `-PID`)."""
    database = Path(database)
    return database.with_name(f".{database.name}.versions")


def keep_count() -> int:
    """How many versions to keep (BORGMESTER_KEEP_VERSIONS, a whole number >= 0). Raises
    ValueError naming the setting when it is not one."""
    raw = setting(KEEP_SETTING).strip()
    if not raw.isdigit():
        raise ValueError(f"{KEEP_SETTING}={raw!r} er ikke et helt antal versioner (fx 20)")
    return int(raw)


# --- What a change did, read from the new file's audit trail ------------------------------

def last_run_id(con: duckdb.DuckDBPyConnection) -> int:
    """The highest run id of import_runs (0 when there is none, or no such table)."""
    try:
        return con.execute("SELECT coalesce(max(run_id), 0) FROM import_runs").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def summarize(con: duckdb.DuckDBPyConnection, runs_before: int) -> dict:
    """What the change that wrote `con`'s database did: {"command": str, "sources": [str],
    "counts": {table: rows}}, from its own import_runs rows (run id above `runs_before`)."""
    try:
        runs = con.execute("SELECT command, source FROM import_runs WHERE run_id > ? "
                           "ORDER BY run_id", [runs_before]).fetchall()
    except duckdb.CatalogException:
        runs = []
    commands = list(dict.fromkeys(command for command, _ in runs))
    return {"command": "+".join(commands) or "?",
            "sources": list(dict.fromkeys(source for _, source in runs)),
            "counts": _counts(con)}


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for table in COUNTED:
        try:
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except duckdb.CatalogException:
            continue  # a table an older data model did not have
    return counts


def _guess_summary(database: Path) -> dict:
    """A file swapped in without a manifest (by an older version of this product, or copied
    in by hand): its last command's trailing audit rows and its counts."""
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            runs = con.execute("SELECT run_id, command FROM import_runs "
                               "ORDER BY run_id DESC").fetchall()
            last = runs[0][1] if runs else None
            before = next((run_id for run_id, command in runs if command != last), 0)
            return summarize(con, before)
    except duckdb.Error:
        return {"command": "?", "sources": [], "counts": {}}


# --- The store: manifests and kept files ----------------------------------------------------

def _identity(path: Path) -> list[int]:
    """Which file is at `path`: a swap changes the inode, a copy over it the time."""
    stat = os.stat(path)
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _write_json(path: Path, value: dict) -> None:
    """Whole or not at all: a reader never sees half a manifest."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _manifests(store: Path) -> dict[int, dict]:
    if not store.is_dir():
        return {}
    found = {}
    for path in store.glob("*.json"):
        if path.stem.isdigit() and (manifest := _read_json(path)) is not None:
            found[int(path.stem)] = manifest
    return found


def _current_id(database: Path, store: Path) -> int | None:
    """The id of the file in use, when it is still the one the last swap put there."""
    pointer = _read_json(store / _CURRENT)
    if pointer is None or not database.exists():
        return None
    return pointer["id"] if pointer.get("identity") == _identity(database) else None


def _manifest(number: int, when: dt.datetime, summary: dict) -> dict:
    return {"id": number, "when": when.isoformat(timespec="seconds"), **summary}


def swap_in(database: Path, work: Path, summary: dict) -> None:
    """Swap `work` in as `database` (os.replace), keeping the file it replaces as a version
    first and describing the new one (`summary`, from `summarize`). Call only under the
    writer lock. Keeps the last `keep_count()` versions."""
    database = Path(database)
    store = folder(database)
    store.mkdir(exist_ok=True)
    manifests = _manifests(store)
    number = max(manifests, default=0) + 1
    if database.exists() and keep_count() > 0:
        old = _current_id(database, store)
        if old is None or old not in manifests:
            old = number
            number += 1
            when = dt.datetime.fromtimestamp(database.stat().st_mtime)
            _write_json(store / f"{old}.json",
                        _manifest(old, when, _guess_summary(database)))
        _keep_file(database, store / f"{old}.duckdb")
    _write_json(store / f"{number}.json", _manifest(number, dt.datetime.now(), summary))
    os.replace(work, database)
    _write_json(store / _CURRENT, {"id": number, "identity": _identity(database)})
    _prune(store, number)


def _keep_file(database: Path, kept: Path) -> None:
    """A second name for the file about to be replaced: a hard link costs no space and no
    time; where the file system has none, a copy."""
    kept.unlink(missing_ok=True)
    try:
        os.link(database, kept)
    except OSError:
        partial = kept.with_name(f".{kept.name}.{os.getpid()}")
        shutil.copyfile(database, partial)
        os.replace(partial, kept)


def _prune(store: Path, current: int) -> None:
    """Keep the newest keep_count() kept files; drop the manifests of files no longer kept
    (but the current file's) and what a killed writer left half-written (`.NAME.PID`)."""
    for entry in store.iterdir():
        if entry.name.startswith(".") and entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)
    kept = sorted(int(p.stem) for p in store.glob("*.duckdb") if p.stem.isdigit())
    for number in kept[:max(len(kept) - keep_count(), 0)]:
        (store / f"{number}.duckdb").unlink(missing_ok=True)
    for number in _manifests(store):
        if number != current and not (store / f"{number}.duckdb").exists():
            (store / f"{number}.json").unlink(missing_ok=True)


def _version(manifest: dict, file: Path, current: bool) -> Version:
    return Version(int(manifest["id"]), dt.datetime.fromisoformat(manifest["when"]),
                   manifest.get("command", "?"), list(manifest.get("sources", [])),
                   dict(manifest.get("counts", {})), file, current)


def history(database: Path) -> list[Version]:
    """The file in use (`current` True; described from its own audit trail when it was
    swapped in without a manifest) and every kept version, newest first."""
    database = Path(database)
    store = folder(database)
    manifests = _manifests(store)
    versions = [_version(manifest, store / f"{number}.duckdb", False)
                for number, manifest in manifests.items()
                if (store / f"{number}.duckdb").exists()]
    if database.exists():
        number = _current_id(database, store)
        if number in manifests:
            versions.append(_version(manifests[number], database, True))
        else:
            when = dt.datetime.fromtimestamp(database.stat().st_mtime)
            versions.append(_version(_manifest(0, when, _guess_summary(database)), database,
                                     True))
    return sorted(versions, key=lambda v: (v.current, v.id), reverse=True)


def kept(database: Path) -> list[Version]:
    """The kept versions (not the file in use), newest first."""
    return [version for version in history(database) if not version.current]


# --- Undo and restore ----------------------------------------------------------------------

def _refusal(database: Path, code: str, **params: object) -> SourceError:
    return SourceError([SourceProblem(display_path(Path(database)), None, None, code, params)])


def undo(database: Path) -> Version:
    """Swap back the version before the last change (the newest kept one); returns it.
    Raises SourceError (versions_none) when none is kept."""
    versions = kept(database)
    if not versions:
        raise _refusal(database, "versions_none")
    return _swap_back(database, versions[0], "undo")


def restore(database: Path, number: int) -> Version:
    """Swap in kept version `number`; returns it. Raises SourceError (version_unknown, with
    the kept ids) when no such version is kept."""
    versions = {version.id: version for version in kept(database)}
    if number not in versions:
        shown = ", ".join(str(n) for n in sorted(versions, reverse=True)) or "-"
        raise _refusal(database, "version_unknown", id=number, kept=shown)
    return _swap_back(database, versions[number], "restore")


def _swap_back(database: Path, version: Version, command: str) -> Version:
    """A new file that is a copy of `version`, with one line added to its audit trail."""
    from etl.files import next_version, record_run  # etl.files calls this module

    started = dt.datetime.now()
    with next_version(Path(database), command, from_current=False,
                      start_from=version.file) as new:
        record_run(new.con, command, f"version {version.id}", 0, 0, started,
                   version_said(version))
    return version


def version_said(version: Version) -> str:
    """A version in one line, for the audit trail: "version 7 (import, 2026-12-01 05:50:
    tilmeldinger.csv) genskabt"."""
    sources = ", ".join(Path(source).name for source in version.sources[:3])
    more = f" og {len(version.sources) - 3} flere" if len(version.sources) > 3 else ""
    return (f"version {version.id} ({version.command}, "
            f"{version.when:%Y-%m-%d %H:%M}{': ' + sources + more if sources else ''}) "
            "genskabt")


# --- Said on the command line ---------------------------------------------------------------

COUNTS_SAID = {"mayors": "borgmestre", "registrations": "tilmeldinger",
               "sessions": "sessioner", "programmes": "forløb"}


def history_lines(database: Path) -> list[str]:
    """`python -m etl history`: one entry per version, newest first, the file in use
    marked `*`, each with its files and counts, and what to run."""
    versions = history(database)
    if not versions:
        return [f"{display_path(Path(database))} findes ikke; der er ingen versioner."]
    lines = [f"Versioner af {display_path(Path(database))}, nyeste først "
             "(* = den, der bruges nu):"]
    for version in versions:
        mark = "*" if version.current else " "
        number = str(version.id) if version.id else "-"
        files = ", ".join(Path(source).name for source in version.sources) or "-"
        lines.append(f"{mark} {number:>4}  {version.when:%Y-%m-%d %H:%M}  "
                     f"{version.command:<10}  {files}")
        counts = ", ".join(f"{COUNTS_SAID.get(table, table)} {count_said(rows)}"
                           for table, rows in version.counts.items())
        lines.append(f"{'':8}{counts}")
    if len(versions) > 1:
        lines.append("Fortryd den seneste ændring: python -m etl undo; "
                     "hent en version: python -m etl restore ID")
    return lines
