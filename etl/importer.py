"""Import KL's registration exports and mayor lists into the database, all or nothing.

Each file is staged as text (etl.readers), checked cell by cell in SQL (every problem names
file, line, column, value and reason), and only then applied: mayors first, registrations
after, into a copy of the database that is swapped in with os.replace when everything went
through. A killed import leaves the previous database untouched; a running app keeps serving
it. The same file imported twice changes nothing; a newer export updates the registrations it
names (by registration id, else by session and mayor).

Bounded: memory and time grow linearly with the rows whatever the duplicates (a duplicated
key is described once per key with GROUP BY, and only the rows of keys that occur more than
once are joined back to it, to find conflicts and repeats), and DuckDB itself is held to
IMPORT_MEMORY_LIMIT and IMPORT_TEMP_LIMIT, so a file beyond them is refused with a message
instead of filling the disk. A file refused whole (it cannot be read, has no data rows, lacks
columns, ...) raises SourceError and changes no data; outside a dry run the refusal is
recorded in import_runs (outcome 'rejected') like every other attempt.

Every line read is loaded, rejected, or a repeat of an earlier valid line (loaded once):
import_runs.rows_loaded counts registrations (or mayors) loaded, once each, and the message
says how many lines repeated one.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import aliases, clock, kinds, schedule
from etl.control_chars import CONTROL_PATTERN_SQL
from etl.errors import MAX_PROBLEMS_HELD, SourceError, SourceProblem, display_path
from etl.files import next_version, record_run
from etl.integrity import IntegrityError, assert_integrity
from etl.marts import TOUCHED_COLUMNS, refresh_marts, regroup_all
from etl.readers import (
    StagedFile,
    clear_decoded_copies,
    other_sheet_with,
    stage_file,
    structure_reason_sql,
)
from etl.reasons import LIST_SEPARATOR, sql_params, sql_render
from etl.schema_check import require_current_model

Log = Callable[[str], None]


class Phase(enum.Enum):
    """The phases an import reports through its `step` callback, per file and in this order
    (LOADING only when the files are applied), each with the Danish word said before the
    file's name."""

    READING = "læser"
    CHECKING = "kontrollerer"
    LOADING = "indlæser"


@dataclass(frozen=True)
class ImportStep:
    """What `import_files` passes to `step`: the phase it enters, for which file (named as
    messages name it). `str()` gives the Danish text, e.g. "læser eksport.csv"."""

    phase: Phase
    file: str

    def __str__(self) -> str:
        return f"{self.phase.value} {self.file}"


# The order files of one import are applied in: programmes and sessions before their prices,
# people before registrations, which refer to both.
APPLY_ORDER = ("schedule", "price_list", "mayors", "registrations")
# The registrations an import added, changed (before and after) or removed: the groups of the
# pre-aggregated tables to count again (etl.marts.refresh_marts).
MARTS_TOUCHED = "marts_touched"
# DuckDB's bounds for an import. A 1.000.000-row export needs about 0,6 GB all told; beyond
# the memory limit DuckDB spills to its temporary folder beside the database, up to the
# second limit, then fails, and the file is refused saying so.
IMPORT_MEMORY_LIMIT = "2GB"
IMPORT_TEMP_LIMIT = "4GB"
# A conflict names at most this many other lines, then how many more ("og 7.996 andre").
MAX_LINES_NAMED = 5

# Every date layout read, built from its parts: a Danish date (day and month with one or two
# digits: 1-2-2022, 10.1.2022, 31/01/2022) or an ISO date, alone or with a time, ':' or '.'
# between hour, minute and second (seconds optional), after a space, a comma with or without a
# space, or " kl. " (Danish), or 'T' (ISO). The year has four digits. A fraction of a second
# (%n: one to nine digits; .NET writes seven) is read after ISO seconds.
_DAY_FIRST = ["%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
_TIMES = ["%H:%M", "%H:%M:%S", "%H.%M", "%H.%M.%S"]
# An ISO time as web form systems and their programs write it (GOV.UK Forms, Nextcloud Forms,
# JavaScript's toISOString, Power Automate): ':' between, then the offset from UTC (%z:
# +01:00, +0100 or +01, also negative) or Z for UTC. It names an instant, stored as the time
# a Danish clock showed then (DANISH_TIME, summer time included).
_ISO_TIMES = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%n"]
_ZONES = ["%z", "Z"]
DANISH_TIME = "Europe/Copenhagen"
DATE_FORMATS = [
    *_DAY_FIRST, "%Y-%m-%d",
    *(day + joint + time for day in _DAY_FIRST for joint in (" ", ", ", ",", " kl. ")
      for time in _TIMES),
    *("%Y-%m-%d" + joint + time for joint in (" ", "T") for time in _TIMES),
    "%Y-%m-%d %H:%M:%S.%n", "%Y-%m-%dT%H:%M:%S.%n",
    *("%Y-%m-%d" + joint + time + zone for joint in ("T", " ") for time in _ISO_TIMES
      for zone in _ZONES)]


def zoned(layout: str) -> bool:
    """Whether a layout's texts carry their offset from UTC (%z or Z)."""
    return layout.endswith(tuple(_ZONES))


def read_sql(layout: str, x: str = "x") -> str:
    """SQL reading text `x` in `layout` as a TIMESTAMP on a Danish clock, NULL if it is not
    in it: a zoned layout's instant (TIMESTAMPTZ for %z; Z's time is UTC) is made Danish."""
    parsed = f"try_strptime({x}, '{layout}')"
    if "%n" in layout:  # read in nanoseconds: kept to the microsecond, as every other time
        parsed = f"CAST({parsed} AS {'TIMESTAMPTZ' if layout.endswith('%z') else 'TIMESTAMP'})"
    if layout.endswith("Z"):
        parsed = f"timezone('UTC', {parsed})"
    return f"timezone('{DANISH_TIME}', {parsed})" if zoned(layout) else parsed


# The offsets an example of a %z layout is written with: each way of writing one (+01:00,
# -0500, +01) has a shape of its own, all naming the layout.
_OFFSETS = ["+01:00", "-0500", "+01"]


def layout_texts(moment: dt.datetime, layout: str) -> list[str]:
    """`moment` written in `layout` (Python's strftime; %n as six digits), once per way of
    writing its offset: ('%Y-%m-%dT%H:%M%z') -> ['2022-12-31T23:59+01:00', ...]."""
    layout = layout.replace("%n", "%f")
    if "%z" not in layout:
        return [moment.strftime(layout)]
    return [moment.strftime(layout.replace("%z", offset)) for offset in _OFFSETS]


# A date text's shape, feature by feature: ISO or not, the date's separator, a comma (with a
# space after it or not), " kl. ", 'T', how many ':' and how many '.', and its zone: Z, an
# offset with ':' or without, or none. Each shape names one layout of DATE_FORMATS (a %z
# layout has more than one), so the shape names the one layout to try. A feature is
# (Python function of the text, SQL condition on x for a value), and the function gives the
# first of its values in the feature's order whose condition holds (the last value when none
# does), so SQL and Python agree. Cheap string functions only: translate() or a regular
# expression per row cost more than the parsing.
def _count_sql(char: str) -> str:
    return f"length(x) - length(replace(x, '{char}', ''))"


def _zone(text: str) -> str:
    # An offset's sign comes after the ISO date's (at least) eight characters.
    if text.endswith("Z"):
        return "Z"
    if "+" in text or "-" in text[8:]:
        return "+hh:mm" if text[-3:-2] == ":" else "+hhmm"
    return ""


_OFFSET_SQL = "(contains(x, '+') OR contains(substr(x, 9), '-'))"
_SHAPE_FEATURES = [
    (lambda t: t.find("-") == 4, lambda v: "strpos(x, '-') = 5" if v else "true"),
    (lambda t: next((c for c in "-/" if c in t), "."), lambda v: f"contains(x, '{v}')"),
    (lambda t: "," in t, lambda v: "contains(x, ',')" if v else "true"),
    (lambda t: ", " in t, lambda v: "contains(x, ', ')" if v else "true"),
    (lambda t: " kl. " in t, lambda v: "contains(x, ' kl. ')" if v else "true"),
    (lambda t: "T" in t, lambda v: "contains(x, 'T')" if v else "true"),
    (lambda t: t.count(":"), lambda v: f"{_count_sql(':')} = {v}"),
    (lambda t: t.count("."), lambda v: f"{_count_sql('.')} = {v}"),
    (_zone, lambda v: {"Z": "ends_with(x, 'Z')",
                       "+hh:mm": f"{_OFFSET_SQL} AND substr(x, -3, 1) = ':'",
                       "+hhmm": _OFFSET_SQL, "": "true"}[v]),
]
# The order each feature's values are tested in (the last needs no test).
_VALUE_ORDER = {0: [True, False], 1: ["-", "/", "."], 2: [True, False], 3: [True, False],
                4: [True, False], 5: [True, False], 8: ["Z", "+hh:mm", "+hhmm", ""]}


def date_shape(text: str) -> tuple:
    """A date text's shape: '10.1.2022, 09.15.00' -> (False, '.', True, True, False, False,
    0, 4, '')."""
    return tuple(feature(text) for feature, _ in _SHAPE_FEATURES)


def _layouts_by_shape(layouts: list[str]) -> dict[tuple, str]:
    """Shape -> layout, for every way each layout is written. Raises ValueError when two
    layouts have one shape (the shape could not tell which to try)."""
    by_shape: dict[tuple, str] = {}
    for layout in layouts:
        for text in layout_texts(_EXAMPLE, layout):
            if by_shape.setdefault(date_shape(text), layout) != layout:
                raise ValueError(f"two date layouts of one shape: {layout}, "
                                 f"{by_shape[date_shape(text)]}")
    return by_shape


_EXAMPLE = dt.datetime(2022, 12, 31, 23, 59, 58, 123456)
# Shape -> layout, for every layout.
DATE_LAYOUTS = _layouts_by_shape(DATE_FORMATS)


def _by_shape(layouts: dict[tuple, str], level: int = 0) -> str:
    """SQL trying on x the one layout of `layouts` (shape -> layout) whose shape x has: a
    CASE per feature, leaving out a feature that does not tell the layouts left apart. The
    last value needs no test: its layout's try_strptime checks the text anyway, and the
    rows of that value compute one condition fewer."""
    if len(set(layouts.values())) == 1:
        return read_sql(next(iter(layouts.values())))
    present = {shape[level] for shape in layouts}
    values = [v for v in _VALUE_ORDER.get(level, sorted(present)) if v in present]
    if len(values) == 1:
        return _by_shape(layouts, level + 1)

    def branch(value: object) -> str:
        return _by_shape({s: f for s, f in layouts.items() if s[level] == value}, level + 1)

    condition = _SHAPE_FEATURES[level][1]
    tests = " ".join(f"WHEN {condition(value)} THEN {branch(value)}" for value in values[:-1])
    return f"CASE {tests} ELSE {branch(values[-1])} END"


# The order a date's first two numbers are read in: day first is Danish (10/1/2022 is 10
# January); month first is how a program in the US locale writes them (Google Sheets' default
# M/d/yyyy: 1/10/2022 is 10 January). One order holds for a whole column, decided from its
# values (_date_order); ISO dates (year first) read the same either way.
DAY_FIRST, MONTH_FIRST = "day first", "month first"


def month_first(layout: str) -> str:
    """The layout with day and month swapped: '%d/%m/%Y %H:%M' -> '%m/%d/%Y %H:%M' (an ISO
    layout as it is)."""
    if layout.startswith("%Y"):
        return layout
    return layout.replace("%d", "%<day>").replace("%m", "%d").replace("%<day>", "%m")


# Each order's layouts (shape -> layout) and the macro name its SQL has (parse_when(x) reads
# day first; when_by_shape, any_when likewise, each with the suffix).
READINGS = {DAY_FIRST: DATE_LAYOUTS,
            MONTH_FIRST: {s: month_first(layout) for s, layout in DATE_LAYOUTS.items()}}
_SUFFIX = {DAY_FIRST: "", MONTH_FIRST: "_month_first"}
PARSE_WHEN = {order: f"parse_when{suffix}" for order, suffix in _SUFFIX.items()}


def _date_macros() -> str:
    """The date macros of each order: when_by_shape, any_when and parse_when (+ suffix).

    A failed try_strptime costs ten times a good one, so trying the list in order on a
    million dates took 0,35 s a column: a date's shape picks the one layout to try. What the
    shape cannot place (two spaces, say) falls back to the whole list of layouts without a
    zone; the year must have four digits' worth of sense (31.1.22 is not year 22)."""
    macros = []
    for order, suffix in _SUFFIX.items():
        layouts = READINGS[order]
        # (a list's texts are read in one type: no zone, and no nanoseconds, whose range ends
        # in 1677 and 2262, where a year 22 fails the whole list)
        plain = [layout for layout in dict.fromkeys(layouts.values())
                 if not zoned(layout) and "%n" not in layout]
        macros.append(f"""
CREATE OR REPLACE TEMP MACRO when_by_shape{suffix}(x) AS {_by_shape(layouts)};
CREATE OR REPLACE TEMP MACRO any_when{suffix}(x) AS
    coalesce(when_by_shape{suffix}(x), try_strptime(x, {plain!r}));
CREATE OR REPLACE TEMP MACRO parse_when{suffix}(x) AS sensible_when(any_when{suffix}(trim(x)));""")
    return "".join(macros)


# An amount as people write it: "5.300,00", "5 300 kr.", "kr. 5.300,-", "DKK 5300", "5.300,- kr.".
# money_text leaves the number: lower case, every kind of space (a no-break space from Excel,
# whether or not the reader made it a plain space) one plain space, zero-width characters gone,
# "kr."/"kr"/"dkk" before or after, and ",-" or ".-" (whole kroner) after it.
_SPACE_CLASS = aliases.sql_class(aliases.SPACES).replace("{", "{{").replace("}", "}}")
_ZERO_WIDTH_CLASS = aliases.sql_class(aliases.ZERO_WIDTH).replace("{", "{{").replace("}", "}}")
MONEY_TEXT_SQL = f"""regexp_replace(regexp_replace(trim(regexp_replace(regexp_replace(
        lower({{x}}), '{_ZERO_WIDTH_CLASS}', '', 'g'), '{_SPACE_CLASS}+', ' ', 'g')),
    '^(kr\\.?|dkk) ?| ?(kr\\.?|dkk)$', '', 'g'), '[.,]-+$', '')""".format(x="x")
# Then the number: thousands separated by '.' or a space in groups of three, or not at all,
# with at most two decimals after a comma (AMOUNT_DANISH); or a point before one or two
# decimals (AMOUNT_POINT: 8800.00, as an English program writes it). Anything else is refused
# rather than guessed: "5,300.00", "53 00", "5.3000".
AMOUNT_DANISH = r"\d{1,3}(\.\d{3})+(,\d{1,2})?|\d{1,3}( \d{3})+(,\d{1,2})?|\d+(,\d{1,2})?"
AMOUNT_POINT = r"\d+\.\d{1,2}"

# A person's name is matched with every dash a hyphen-minus: "Åse–Lund" (an en dash, as Word's
# AutoCorrect and KL's own mayor list write it) and "Åse-Lund" (typed) are one person.
_OTHER_DASHES = aliases.DASHES.replace("-", "")
_HYPHENS = "-" * len(_OTHER_DASHES)

# Parsing in DuckDB, so a million rows are checked at column speed, not row by row.
MACROS = f"""
CREATE OR REPLACE TEMP MACRO sensible_when(t) AS
    CASE WHEN year(t) BETWEEN 1900 AND 2199 THEN t END;
{_date_macros()}
CREATE OR REPLACE TEMP MACRO fold_place(x) AS {aliases.FOLD_SQL.format(x="x")};
CREATE OR REPLACE TEMP MACRO fold_word(x) AS {aliases.FOLD_WORD_SQL.format(x="x")};
CREATE OR REPLACE TEMP MACRO fold_name(x) AS
    lower(translate(regexp_replace(trim(x), '\\s+', ' ', 'g'), '{_OTHER_DASHES}', '{_HYPHENS}'));
CREATE OR REPLACE TEMP MACRO money_text(x) AS {MONEY_TEXT_SQL};
CREATE OR REPLACE TEMP MACRO other_lines(firsts, own, n) AS {sql_params(
    lines=f"array_to_string(list_filter(firsts, lambda l: l <> own)[1:{MAX_LINES_NAMED}], ', ')",
    more=f"greatest(n - 1 - {MAX_LINES_NAMED}, 0)")};
CREATE OR REPLACE TEMP MACRO first_control(x) AS regexp_extract(x, '{CONTROL_PATTERN_SQL}');
CREATE OR REPLACE TEMP MACRO parse_amount(x) AS TRY_CAST(CASE
    WHEN regexp_full_match(money_text(x), '{AMOUNT_DANISH}')
        THEN replace(replace(replace(money_text(x), '.', ''), ' ', ''), ',', '.')
    WHEN regexp_full_match(money_text(x), '{AMOUNT_POINT}') THEN money_text(x)
    END AS DECIMAL(12, 2));
"""

@dataclass
class FileResult:
    """What happened to one file: its problems, and what it changed."""

    staged: StagedFile
    kind: str                                       # registrations / mayors
    number: int                                     # names its temporary tables
    columns: dict[str, int]                         # field -> index of its staged column
    problems: list[SourceProblem] = field(default_factory=list)  # the first MAX_PROBLEMS_HELD
    problem_count: int = 0                          # all of them (rejected_rows holds each)
    rejected_lines: int = 0
    repeats: int = 0        # valid lines repeating an earlier valid line: loaded once
    loaded: int = 0         # records loaded (new + updated + unchanged); a repeat not again
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    people_added: int = 0
    removed: int = 0        # a schedule's stored sessions it no longer lists, removed
    touches_most: bool = False  # its rows are many against those stored: marts refreshed whole
    run_id: int | None = None

    @property
    def outcome(self) -> str:
        if self.rejected_lines and self.loaded:
            return "partial"
        return "rejected" if self.rejected_lines else "loaded"


@dataclass
class ImportResult:
    files: list[FileResult]
    applied: bool
    demo_removed: tuple[int, int] | None = None     # (mayors, registrations)

    @property
    def problems(self) -> list[SourceProblem]:
        """Each file's first MAX_PROBLEMS_HELD problems, by line."""
        return [p for f in self.files for p in f.problems]

    @property
    def problem_count(self) -> int:
        """How many problems all files have: at least len(problems)."""
        return sum(f.problem_count for f in self.files)


@dataclass
class _Refusal:
    """A file refused whole: where, what was staged of it (if anything), and why."""

    path: Path
    staged: StagedFile | None
    error: SourceError


def import_files(database: Path, paths: list[Path], keep_going: bool = False,
                 dry_run: bool = False, sheet: str | None = None, log: Log = lambda _: None,
                 step: Callable[[ImportStep], None] = lambda _: None,
                 dataset_info: dict[str, str] | None = None,
                 names: Mapping[Path, str] | None = None) -> ImportResult:
    """Validate every file, then (unless rejected or a dry run) apply them and swap in.

    `dataset_info` (e.g. is_demo for the scaled demo) is written in the same swap. `names`
    gives a file the name its messages and audit line use instead of its path (a Data page
    upload is stored under a name of the server's choosing). `step` gets an ImportStep as
    each file enters each Phase. Decoded copies killed imports left in the temporary folder
    are removed first (etl.readers.clear_decoded_copies).
    Raises SourceError, changing no data, when a file is refused whole (unreadable, over a
    limit of etl.readers, no data rows, required columns missing, beyond the memory bounds);
    outside a dry run each refused file is recorded in import_runs first."""
    database = Path(database)
    if not database.is_file():
        raise SourceError([SourceProblem(display_path(database), None, None,
                                         "database_missing")])
    require_current_model(database)
    try:
        with next_version(database, "import", from_current=True) as version:
            con = version.con
            clear_decoded_copies()  # what killed imports left in the temporary folder
            con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")
            con.execute(f"SET max_temp_directory_size = '{IMPORT_TEMP_LIMIT}'")
            result, refused = _run(con, paths, keep_going, dry_run, sheet, log, step,
                                   names or {})
            if result.applied:
                # Only the groups the registrations touched, unless the demo went or people
                # changed (a mayor list): then every group.
                whole = result.demo_removed or any(f.kind == "mayors" or f.touches_most
                                                   for f in result.files)
                refresh_marts(con, touched=None if whole else MARTS_TOUCHED)
                if dataset_info:
                    con.executemany("INSERT OR REPLACE INTO dataset_info VALUES (?, ?)",
                                    list(dataset_info.items()))
            assert_integrity(con)
            version.keep = not dry_run  # a refusal keeps its line in import_runs, nothing else
    except duckdb.OutOfMemoryException:
        # Beyond the bounds outside any one file's reading (applying, the marts, the final
        # checkpoint): the new version is thrown away whole.
        raise _too_big(", ".join(_shown(Path(p), names or {}) for p in paths)) from None
    if refused:
        raise refused
    return result


def _shown(path: Path, names: Mapping[Path, str]) -> str:
    """A file's name in messages: the name given for it, else its path as typed."""
    return names.get(path) or display_path(path)


def _too_big(where: str) -> SourceError:
    return SourceError([SourceProblem(where, None, None, "import_too_big",
                                      {"memory": IMPORT_MEMORY_LIMIT, "temp": IMPORT_TEMP_LIMIT})])


def _run(con: duckdb.DuckDBPyConnection, paths: list[Path], keep_going: bool, dry_run: bool,
         sheet: str | None, log: Log, step: Callable[[ImportStep], None],
         names: Mapping[Path, str]) -> tuple[ImportResult, SourceError | None]:
    """Check every file, then apply them unless one was rejected (or a dry run). Returns the
    result and, when some file was refused whole, the SourceError naming all such files
    (nothing is applied then)."""
    started = dt.datetime.now()
    con.execute(MACROS)
    _lookup_tables(con)
    results: list[FileResult] = []
    refusals: list[_Refusal] = []
    for number, path in enumerate(paths):
        path = Path(path)
        shown = _shown(path, names)
        step(ImportStep(Phase.READING, shown))
        staged = None
        try:
            try:
                staged = stage_file(con, path, f"raw_{number}", sheet, shown,
                                    header_score=kinds.header_score)
                step(ImportStep(Phase.CHECKING, staged.display))
                results.append(_validate(con, staged, number, results))
                # A schedule workbook's price list sheet is read with it (etl.schedule).
                if results[-1].kind == "schedule" and (
                        prices := schedule.price_sheet(path, sheet)) not in (None, staged.sheet):
                    staged = stage_file(con, path, f"raw_{number + len(paths)}", prices, shown,
                                        header_score=kinds.header_score)
                    results.append(_validate(con, staged, number + len(paths), results))
            except duckdb.OutOfMemoryException:
                raise _too_big(staged.where if staged else shown) from None
        except SourceError as error:
            refusals.append(_Refusal(path, staged, error))
    # Programmes before their prices, people before registrations, which refer to both.
    results.sort(key=lambda r: APPLY_ORDER.index(r.kind))
    if refusals:
        if not dry_run:
            for result in results:
                _record_run(con, result, started, applied=False)
            for refusal in refusals:
                _record_refusal(con, refusal, started)
        return (ImportResult(results, applied=False),
                SourceError([p for r in refusals for p in r.error.problems]))
    rejected = any(r.rejected_lines for r in results)
    apply = not dry_run and (keep_going or not rejected)
    outcome = ImportResult(results, applied=apply)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {MARTS_TOUCHED} AS "
                f"SELECT {', '.join(TOUCHED_COLUMNS)} FROM registrations LIMIT 0")
    if apply and any(r.staged.rows > r.rejected_lines for r in results):
        outcome.demo_removed = _remove_demo_data(con)
    for result in results:
        if apply:
            step(ImportStep(Phase.LOADING, result.staged.display))
            try:
                if result.kind == "mayors":
                    _apply_mayors(con, result)
                elif result.kind in ("schedule", "price_list"):
                    _apply_schedule_kind(con, result)
                else:
                    _apply_registrations(con, result)
            except duckdb.OutOfMemoryException:
                # Half applied: raised out of the new version, which is thrown away.
                raise _too_big(result.staged.where) from None
            _check_every_line_counted(result)
        if not dry_run:
            _record_run(con, result, started, applied=apply)
    if apply:
        con.execute("UPDATE dataset_info SET value = ? WHERE key = 'data_as_of'",
                    [clock.today().isoformat()])
    return outcome, None


def _apply_schedule_kind(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """A schedule or a price list, applied by etl.schedule; prices may change every
    registration's revenue, so the pre-aggregated tables are refreshed whole."""
    if result.kind == "schedule":
        result.new, result.updated, result.unchanged, result.removed = schedule.apply_schedule(
            con, _valid(result), result.number, partial=bool(result.rejected_lines))
    else:
        result.new, result.updated, result.unchanged = schedule.apply_price_list(
            con, _valid(result))
    result.loaded = result.new + result.updated + result.unchanged
    result.touches_most = True


def _check_every_line_counted(result: FileResult) -> None:
    """Every line read is loaded, a repeat of a loaded line, or rejected: never dropped
    unsaid. Raises IntegrityError (a bug; nothing is swapped in) when the counts differ."""
    if result.loaded + result.repeats + result.rejected_lines != result.staged.rows:
        raise IntegrityError(
            f"databasen blev ikke skiftet ud, fordi {result.staged.where}: {result.staged.rows} "
            f"linjer læst, men {result.loaded} indlæst, {result.repeats} gentaget og "
            f"{result.rejected_lines} afvist")


def _lookup_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The value tables of etl.aliases as temporary tables the checks join: municipality
    spellings (kommune_code NULL for an ambiguous one, `candidates` naming its municipalities),
    status words, words that are no status, yes/no."""
    places = con.execute("SELECT kommune_code, name FROM municipalities").fetchall()
    names = dict(places)
    _temp_table(con, "municipality_aliases",
                "alias VARCHAR PRIMARY KEY, kommune_code SMALLINT, candidates VARCHAR", [
        (form, codes[0] if len(codes) == 1 else None,
         LIST_SEPARATOR.join(f"{names[code]} ({code})" for code in codes)
         if len(codes) > 1 else None)
        for form, codes in aliases.municipality_forms(places).items()])
    _temp_table(con, "status_aliases", "alias VARCHAR, status VARCHAR",
                list(aliases.status_aliases().items()))
    _temp_table(con, "not_statuses", "alias VARCHAR",
                [(alias,) for alias in aliases.not_status_aliases()])
    _temp_table(con, "yes_no", "alias VARCHAR, value BOOLEAN", list(aliases.YES_NO.items()))
    for words in aliases.SESSION_WORDS:
        _temp_table(con, f"{words}_words", "alias VARCHAR, code VARCHAR",
                    list(aliases.session_word_aliases(words).items()))


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: str,
                rows: list[tuple]) -> None:
    """The temporary table `name` (`columns` as in CREATE TABLE) holding `rows`, inserted in
    one statement, a list per column (executemany takes a statement per row: 0,17 s for the
    municipality spellings, a sixth of a small import)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if not rows:
        return
    lists = [list(column) for column in zip(*rows, strict=True)]
    con.execute(f"INSERT INTO {name} SELECT "
                + ", ".join(f"unnest(${i + 1})" for i in range(len(lists))), lists)


def _kind_and_columns(staged: StagedFile) -> tuple[kinds.Kind, dict[str, int]]:
    """The file's kind (etl.kinds.detect) and the columns the import reads: field -> index.
    Raises SourceError when no kind has all its required fields, naming the closest kind,
    what it lacks and the headers found; for a workbook whose sheet was not named and has no
    known column, the visible sheet that holds a table, when one does."""
    found = kinds.detect(staged.headers)
    if not found.missing:
        if found.clashes:
            raise SourceError([SourceProblem(
                staged.where, staged.header_line, None, "columns_same_field",
                {"columns": LIST_SEPARATOR.join(f"{staged.headers[i]}={i + 1}" for i in cells)})
                for cells in found.clashes.values()])
        return found.kind, found.columns
    code, params = _lacking(found, staged.headers)
    if code == "columns_none_known" and staged.sheet and not staged.sheet_named:
        # A notes sheet left active (Excel opens on the tab last looked at): name the
        # visible sheet that holds a table, rather than lacking columns on this one.
        other = other_sheet_with(staged.path, staged.sheet, _fits_a_kind)
        if other is not None:
            code, params = "sheet_without_table", {
                "other": other[0], "kind": kinds.detect(other[1]).kind.name}
    raise SourceError([SourceProblem(staged.where, staged.header_line, None, code, params,
                                     ", ".join(staged.headers))])


def _fits_a_kind(cells: list[str]) -> bool:
    """Whether a row of header cells holds every required column of some kind."""
    return not kinds.detect(cells).missing


def _lacking(found: kinds.Detected, headers: list[str]) -> tuple[str, dict[str, str]]:
    """Why a header row fits no kind, as a reason's code and params: the closest kind, the
    columns it lacks (each with the first names it goes by, and its stand-ins'), and which of
    the file's headers were recognised (columns_missing) or, when none was, the headers found
    (columns_none_known)."""
    def entry(f: kinds.Field) -> str:
        stand_ins = "+".join(s.headers[0] for s in found.kind.stand_ins(f.name))
        return f"{' / '.join(f.headers[:3])}={stand_ins}"

    known = [headers[i] for i in sorted(kinds.columns_of(found.kind, headers).values())]
    lacks = LIST_SEPARATOR.join(entry(f) for f in found.missing)
    if not known:
        return "columns_none_known", {"headers": ", ".join(h for h in headers if h),
                                      "kind": found.kind.name, "lacks": lacks}
    return "columns_missing", {"lacks": lacks, "kind": found.kind.name,
                               "known": ", ".join(known)}


def _source(cells: tuple[int, ...]) -> str:
    """SQL for a field's cell as found in the staged row (alias s): its one column, or its
    stand-ins' cells joined by a space (Fornavn + Efternavn make the name; an empty part is
    left out)."""
    if len(cells) == 1:
        return f"s.c{cells[0]}"
    parts = ", ".join(f"nullif(trim(s.c{i}), '')" for i in cells)
    return f"nullif(concat_ws(' ', {parts}), '')"


# A VAT rate's number as written, '%' and a decimal comma aside (the vat_rate reader).
_RATE_NUMBER = ("TRY_CAST(replace(trim(replace(v.text, '%', '')), ',', '.') "
                "AS DECIMAL(9, 4))")
# How each reader of etl.kinds reads a cell. Most columns hold few distinct values (an export
# repeats the same ten sessions, 98 municipalities and a handful of statuses a million
# times), so these are read once per distinct cell `v` (columns raw, text: the cell as found
# and trimmed) and joined back on the cell as found: the joins a reader needs, and the typed
# columns it gives (`{value}` is the field's value name; other names are the reader's own).
_LOOKUPS = {
    "session": (
        "LEFT JOIN sessions by_id ON by_id.session_id = v.text "
        "LEFT JOIN session_days days ON by_id.session_id IS NULL "
        "AND days.day = CAST(parse_when(v.text) AS DATE)",
        ["coalesce(by_id.session_id, days.session_id) AS {value}",
         "coalesce(days.sessions_that_day, 1) AS sessions_that_day"]),
    "municipality": (
        "LEFT JOIN municipalities by_code ON regexp_full_match(v.text, '\\d{1,4}') "
        "AND by_code.kommune_code = TRY_CAST(v.text AS INTEGER) "
        "LEFT JOIN municipality_aliases by_name ON by_name.alias = fold_place(v.text)",
        ["coalesce(by_code.kommune_code, by_name.kommune_code) AS {value}",
         # an ambiguous spelling's municipalities, said in its reject ("Bø (901) eller ...")
         "by_name.candidates AS {value}_candidates"]),
    "status": ("LEFT JOIN status_aliases st ON st.alias = fold_word(v.text)",
               ["st.status AS {value}"]),
    "amount": ("", ["parse_amount(v.text) AS {value}"]),
    "name": ("", ["v.text AS {value}", "fold_name(v.text) AS person"]),
    "yes_no": ("LEFT JOIN yes_no yn ON yn.alias = fold_name(v.text)", ["yn.value AS {value}"]),
    # A schedule's and a price list's own (etl.schedule): coded words, counts, coordinates.
    "audience": ("LEFT JOIN audience_words aw ON aw.alias = fold_word(v.text)",
                 ["aw.code AS {value}"]),
    "format": ("LEFT JOIN format_words fw ON fw.alias = fold_word(v.text)",
               ["fw.code AS {value}"]),
    # (no braces in these: an output is formatted with str.format)
    "count": ("", ["CASE WHEN regexp_full_match(v.text, '\\d+') AND length(v.text) <= 9 "
                   "AND TRY_CAST(v.text AS INTEGER) > 0 THEN TRY_CAST(v.text AS INTEGER) END "
                   "AS {value}"]),
    "coordinate": ("", ["CASE WHEN regexp_full_match(v.text, '-?\\d+([.,]\\d+)?') "
                        "THEN TRY_CAST(replace(v.text, ',', '.') AS DOUBLE) END AS {value}"]),
    # 25 %, 25 and 0,25 are one rate: a number with '%' or above 1 is a percentage.
    "vat_rate": ("", [f"CASE WHEN NOT regexp_full_match(v.text, '\\d+([.,]\\d+)? ?%?') "
                      f"THEN NULL WHEN contains(v.text, '%') OR {_RATE_NUMBER} >= 1 "
                      f"THEN CASE WHEN {_RATE_NUMBER} < 100 THEN {_RATE_NUMBER} / 100 END "
                      f"WHEN {_RATE_NUMBER} < 1 THEN {_RATE_NUMBER} END AS {{value}}"]),
}

# Why a cell with text a reader could not read is rejected: SQL giving the reason's code (of
# etl.reasons) and SQL giving its params (`{t}` is the cell's trimmed text, `{value}` the
# field's value name). A reader missing here reads every text (text, name): only an empty
# cell of a required field is rejected, as value_missing.
_NO_PARAMS = sql_params()
_UNREADABLE = {
    "session": ("CASE WHEN sessions_that_day > 1 THEN 'session_day_ambiguous' "
                "WHEN parse_when({t}) IS NOT NULL THEN 'session_day_none' "
                "ELSE 'session_unknown' END", _NO_PARAMS),
    "municipality": ("CASE WHEN {value}_candidates IS NOT NULL THEN 'municipality_ambiguous' "
                     "ELSE 'municipality_unknown' END",
                     f"CASE WHEN {{value}}_candidates IS NOT NULL "
                     f"THEN {sql_params(candidates='{value}_candidates')} ELSE {_NO_PARAMS} END"),
    "date": ("'date_invalid'", _NO_PARAMS),
    "day": ("'date_invalid'", _NO_PARAMS),
    "status": ("CASE WHEN fold_word({t}) IN (SELECT alias FROM not_statuses) "
               "THEN 'status_not_a_status' ELSE 'status_unknown' END",
               "CASE WHEN fold_word({t}) IN (SELECT alias FROM not_statuses) "
               f"THEN {sql_params(word='lower({t})')} ELSE {_NO_PARAMS} END"),
    "amount": ("'amount_invalid'", _NO_PARAMS),
    "yes_no": ("'yes_no_unknown'", _NO_PARAMS),
    "audience": ("'audience_unknown'", _NO_PARAMS),
    "format": ("'format_unknown'", _NO_PARAMS),
    "count": ("'count_invalid'", _NO_PARAMS),
    "coordinate": ("'coordinate_invalid'", _NO_PARAMS),
    "vat_rate": ("'vat_rate_invalid'", _NO_PARAMS),
}
# Every reason a reject made in SQL can have (rejected_rows' Danish text is made from these).
SQL_REASONS = ("value_missing", "session_day_ambiguous", "session_day_none", "session_unknown",
               "municipality_ambiguous", "municipality_unknown", "date_invalid",
               "status_not_a_status", "status_unknown", "amount_invalid", "yes_no_unknown",
               "control_character", "id_conflict", "pair_conflict", "id_taken_stored",
               "id_taken_in_file", "term_end_before_start", "mayor_conflict",
               "audience_unknown", "format_unknown", "count_invalid", "coordinate_invalid",
               "vat_rate_invalid", *schedule.SQL_REASONS)


# The SQL type of each reader's value: a field the file has no column for is NULL of it.
_TYPES = {"text": "VARCHAR", "name": "VARCHAR", "session": "VARCHAR", "status": "VARCHAR",
          "municipality": "SMALLINT", "date": "TIMESTAMP", "day": "DATE",
          "amount": "DECIMAL(12, 2)", "yes_no": "BOOLEAN", "audience": "VARCHAR",
          "format": "VARCHAR", "count": "INTEGER", "coordinate": "DOUBLE",
          "vat_rate": "DECIMAL(5, 4)"}


def _written(kind: kinds.Kind) -> list[kinds.Field]:
    """The fields whose values a kind's rows are written with, by column name (its key,
    registration_id, is written apart: it may be made up)."""
    return [f for f in kind.main_fields if f.column and f.name != "registration_id"]


def _unreadable(f: kinds.Field) -> tuple[str, str]:
    """SQL: why field f's cell (its text in `t_<field>` of `bad`) was rejected when it holds
    text its reader could not read: (code, params)."""
    return tuple(sql.replace("{t}", f"t_{f.name}").replace("{value}", f.value)
                 for sql in _UNREADABLE.get(f.reader, ("NULL", _NO_PARAMS)))


def _in_order(sql: str, order: str) -> str:
    """SQL reading its dates (parse_when) in `order` instead of day first."""
    return sql.replace("parse_when(", f"{PARSE_WHEN[order]}(")


def _failed(f: kinds.Field, text: str) -> str:
    """SQL: the parsed row holds no usable value of field f, whose cell's trimmed text is
    `text` (SQL): empty when required, or not read."""
    failed = f"{f.value} IS NULL"
    if f.reader == "session":  # found, but the date names more than one session
        failed = f"({failed} OR sessions_that_day > 1)"
    return failed if f.required else f"({text} IS NOT NULL AND {failed})"


def _parse(con: duckdb.DuckDBPyConnection, staged: StagedFile, kind: kinds.Kind,
           columns: dict[str, int], parsed: str) -> str:
    """Read every field of the file into `parsed` (line and each field's typed value, named
    by its declaration's `value`), as its reader says; returns SQL selecting the checks'
    rejects (line, field, value, code, params): a required field empty, a cell its reader could not
    read.

    The parsed table holds typed values only (writing a million rows of text twice cost more
    than all the parsing); a rejected line's text is read back from the staging table. Dates,
    nearly all distinct, are parsed in place in the format the column's first cells use."""
    table = staged.table
    read = kinds.sources(kind, columns)
    fields = [f for f in kind.main_fields if f.name in read]
    ctes, joins, selected = [], [], ["s.line"]
    orders: dict[str, str] = {}         # field -> the order its dates are read in, if not DAY_FIRST
    if any(f.reader == "session" for f in fields):
        ctes.append("session_days AS (SELECT CAST(starts_at AS DATE) AS day, "
                    "min(session_id) AS session_id, count(*) AS sessions_that_day "
                    "FROM sessions GROUP BY 1)")
    for f in fields:
        cell = _source(read[f.name])
        if f.reader in _LOOKUPS:
            lookup, outputs = _LOOKUPS[f.reader]
            if f.reader == "session":  # a start date, read in the column's one order
                orders[f.name] = _date_order(con, staged, read[f.name][0])
                lookup = _in_order(lookup, orders[f.name])
            outputs = [o.format(value=f.value) for o in outputs]
            ctes.append(f"""v_{f.name} AS (
                SELECT v.raw, {", ".join(outputs)}
                FROM (SELECT raw, nullif(trim(raw), '') AS text
                      FROM (SELECT DISTINCT {cell} AS raw FROM {table} s)) v {lookup})""")
            joins.append(f"LEFT JOIN v_{f.name} ON v_{f.name}.raw = {cell}")
            selected += [f"v_{f.name}.{o.rsplit(' AS ', 1)[1]}" for o in outputs]
        elif f.reader in ("date", "day"):
            when = _date_sql(con, staged, read[f.name][0])
            selected.append(f"CAST({when} AS DATE) AS {f.value}" if f.reader == "day"
                            else f"{when} AS {f.value}")
        else:  # text
            selected.append(f"nullif(trim({cell}), '') AS {f.value}")
    selected += [f"CAST(NULL AS {_TYPES[f.reader]}) AS {f.value}"
                 for f in kind.main_fields if f.name not in read]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {parsed} AS
        {"WITH " + ", ".join(ctes) if ctes else ""}
        SELECT {", ".join(selected)} FROM {table} s {" ".join(joins)}""")
    checked = [f for f in fields if f.required or f.reader in _UNREADABLE]
    text = {f.name: f"nullif(trim({_source(read[f.name])}), '')" for f in checked}
    # The lines with some field failed, with the text of each checked cell: usually few.
    bad = (f"SELECT p.*, {', '.join(f'{text[f.name]} AS t_{f.name}' for f in checked)} "
           f"FROM {parsed} p JOIN {table} s USING (line) "
           f"WHERE {' OR '.join(_failed(f, text[f.name]) for f in checked)}")
    def unreadable(f: kinds.Field) -> tuple[str, ...]:
        """_unreadable's (code, params), its dates read in the column's order."""
        return tuple(_in_order(sql, orders.get(f.name, DAY_FIRST)) for sql in _unreadable(f))

    each = "\n        UNION ALL\n".join(
        f"""SELECT line, '{f.name}' AS field, t_{f.name} AS value,
            CASE WHEN t_{f.name} IS NULL THEN 'value_missing' ELSE {unreadable(f)[0]} END
                AS code,
            CASE WHEN t_{f.name} IS NULL THEN {_NO_PARAMS} ELSE {unreadable(f)[1]} END
                AS params
        FROM bad WHERE {_failed(f, f"t_{f.name}")}""" for f in checked)
    return f"WITH bad AS ({bad})\n        {each}"


_DAY_MONTH = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./]")


def date_order_evidence(head: str) -> str | None:
    """The one order (DAY_FIRST or MONTH_FIRST) a date text beginning `head` can be read in,
    None when it could be either or is no day-and-month date: '25/11/' -> DAY_FIRST,
    '11/25/2022' -> MONTH_FIRST, '10/11/' and '2022-11-25' -> None."""
    numbers = _DAY_MONTH.match(head.lstrip())
    if not numbers:
        return None
    first, second = int(numbers[1]), int(numbers[2])
    if 12 < first <= 31 and 1 <= second <= 12:
        return DAY_FIRST
    if 12 < second <= 31 and 1 <= first <= 12:
        return MONTH_FIRST
    return None


def _date_order(con: duckdb.DuckDBPyConnection, staged: StagedFile, column: int) -> str:
    """The order (DAY_FIRST or MONTH_FIRST) a date column is read in, decided once from its
    values: day first (Danish) unless some date can only be month first and none only day
    first. A cell's first eight characters hold day and month ('11/25/20', ' 1-2-202'), so
    the distinct beginnings (a few thousand in a million dates) decide, each with its first
    line (substr, not left(): left() counts graphemes and cost twice as much).

    Raises SourceError naming both readings and a line of each when the column holds dates
    only day first can be and dates only month first can be."""
    heads = con.execute(f"SELECT substr(c{column}, 1, 8) AS head, min(line) "
                        f"FROM {staged.table} GROUP BY head").fetchall()
    first_line: dict[str, int] = {}
    for head, line in heads:
        order = date_order_evidence(head) if head else None
        if order:
            first_line[order] = min(line, first_line.get(order, line))
    if MONTH_FIRST not in first_line:
        return DAY_FIRST
    if DAY_FIRST not in first_line:
        return MONTH_FIRST
    texts = dict(con.execute(f"SELECT line, trim(c{column}) FROM {staged.table} "
                             "WHERE line IN (?, ?)", list(first_line.values())).fetchall())
    day_line, month_line = first_line[DAY_FIRST], first_line[MONTH_FIRST]
    raise SourceError([SourceProblem(staged.where, None, staged.headers[column],
                                     "date_order_mixed", {
                                         "day_text": texts[day_line], "day_line": str(day_line),
                                         "month_text": texts[month_line],
                                         "month_line": str(month_line)})])


def _likely_format(con: duckdb.DuckDBPyConnection, table: str, column: int,
                   order: str) -> str | None:
    """The date layout (of READINGS[order]) most of the column's first cells have the shape
    of, if any: the one layout tried first on the whole column."""
    sample = con.execute(
        f"SELECT trim(c{column}) FROM {table} WHERE nullif(trim(c{column}), '') IS NOT NULL "
        "LIMIT 200").fetchall()
    layouts = Counter(READINGS[order].get(date_shape(text)) for (text,) in sample)
    layouts.pop(None, None)
    return layouts.most_common(1)[0][0] if layouts else None


def _date_sql(con: duckdb.DuckDBPyConnection, staged: StagedFile, column: int | None) -> str:
    """SQL parsing a date column in its one order (_date_order, which may refuse it): its
    likely format first, every other shape after."""
    if column is None:
        return "CAST(NULL AS TIMESTAMP)"
    order = _date_order(con, staged, column)
    likely = _likely_format(con, staged.table, column, order)
    if likely is None:
        return f"{PARSE_WHEN[order]}(s.c{column})"
    return (f"sensible_when(coalesce({read_sql(likely, f's.c{column}')}, "
            f"any_when{_SUFFIX[order]}(trim(s.c{column}))))")


def _validate(con: duckdb.DuckDBPyConnection, staged: StagedFile, number: int,
              earlier: list[FileResult]) -> FileResult:
    """Check a staged file: its kind, every cell, and its kind's own checks; `earlier` are
    the files of this import checked before it. The rejects go to `rejects_{number}`."""
    kind, columns = _kind_and_columns(staged)
    result = FileResult(staged, kind.name, number, columns, problems=list(staged.problems))
    parsed = f"parsed_{number}"
    checks = _parse(con, staged, kind, columns, parsed)
    if kind is kinds.REGISTRATIONS:
        own = _registration_checks(con, parsed, earlier)
    elif kind is kinds.MAYORS:
        own = _mayor_checks(staged, columns, parsed)
    elif kind is kinds.SCHEDULE:
        own = schedule.schedule_checks(con, parsed, number)
    else:
        own = schedule.price_list_checks(
            parsed, [f"parsed_{e.number}" for e in earlier if e.kind == "schedule"])
    checks = f"SELECT * FROM ({checks}) UNION ALL SELECT * FROM ({own})"
    if staged.may_hold_controls:
        # A field holding a control character is reported for that alone: its other
        # reasons (an unknown municipality, say) follow from it.
        checks = f"""
            SELECT line, field, value, code, params FROM (
                SELECT *, 1 AS rank FROM ({_control_checks(staged, columns)})
                UNION ALL
                SELECT *, 2 AS rank FROM ({checks}))
            QUALIFY rank = min(rank) OVER (PARTITION BY line, field)"""
    con.execute(f"CREATE OR REPLACE TEMP TABLE rejects_{number} AS {checks}")
    # Problems stay in SQL; Python holds the first MAX_PROBLEMS_HELD of them (a million broken
    # lines would be gigabytes of objects), and counts come from SQL.
    rows = con.execute(f"SELECT line, {_column_shown(staged, kind, columns, 'field')}, value, "
                       f"code, params FROM rejects_{number} ORDER BY line, 2 "
                       f"LIMIT {MAX_PROBLEMS_HELD}").fetchall()
    result.problems += [SourceProblem(staged.where, line, column, code, params, value)
                        for line, column, value, code, params in rows]
    result.problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    del result.problems[MAX_PROBLEMS_HELD:]
    count, lines = con.execute(f"SELECT count(*), count(DISTINCT line) FROM rejects_{number}"
                               ).fetchone()
    result.problem_count = staged.broken + count
    result.rejected_lines = staged.broken + lines  # a broken line is never staged: no overlap
    result.repeats = _find_repeats(con, result)
    if kind is kinds.SCHEDULE and not result.rejected_lines:
        schedule.refuse_removals(con, _valid(result), number, staged.where)
    return result


def _column_shown(staged: StagedFile, kind: kinds.Kind, columns: dict[str, int],
                  field_sql: str) -> str:
    """SQL naming the column of a reject as the file's header does (field "status" of a
    file whose header says "Status" is "Status"; a name made of Fornavn and Efternavn is
    "Fornavn + Efternavn")."""
    shown = {f: staged.headers[i] for f, i in columns.items()}
    shown |= {f: " + ".join(staged.headers[i] for i in cells)
              for f, cells in kinds.sources(kind, columns).items() if len(cells) > 1}
    cases = " ".join(f"WHEN '{f}' THEN '{header.replace(chr(39), chr(39) * 2)}'"
                     for f, header in shown.items())
    return f"CASE {field_sql} {cases} ELSE {field_sql} END" if cases else field_sql


def _control_checks(staged: StagedFile, columns: dict[str, int]) -> str:
    """SQL rejecting every field the import reads that holds a control character.

    Per field, one rule: names, parties and registration ids are stored and shown and
    exported as they are; CR, LF, TAB, NUL and the like there are never meant, and stripping
    them would change a name without a word (and "\\r=1+1" is how a formula slips past an
    export's checks). The other fields (municipality, session, dates, status, amounts, yes/no)
    are read into codes and dates; a control character there is the sign of a broken export
    too, and rejecting it says so instead of "unknown municipality". A quoted line break in a
    CSV field is a control character like any other: rejected. Only run where the reader
    could not rule control characters out (StagedFile.may_hold_controls)."""
    return "\n        UNION ALL\n".join(
        f"""SELECT line, '{field}' AS field, c{column} AS value,
               'control_character' AS code, {sql_params(
                   char=f"printf('U+%04X', unicode(first_control(c{column})))",
                   position=f"strpos(c{column}, first_control(c{column}))")} AS params
        FROM {staged.table} WHERE regexp_matches(c{column}, '{CONTROL_PATTERN_SQL}')"""
        for field, column in columns.items())


def _registration_checks(con: duckdb.DuckDBPyConnection, parsed: str,
                        earlier: list[FileResult]) -> str:
    """The checks of a registration export beyond its cells (SQL selecting line, field,
    value, code, params): a registration id or a session and mayor twice in the file with different
    content, and a registration id that an earlier registration holds for another session or
    mayor (`_taken_ids`)."""
    # What a registration says: every value written to a column but its id, and the person.
    content = ", ".join([f.value for f in _written(kinds.REGISTRATIONS)] + ["person"])
    pair = "session_id, kommune_code, person"
    # Duplicates are rare: find the keys that occur twice (cheap), then describe each such key
    # once (GROUP BY, linear in rows however many repeat): how many lines, how many versions
    # of the content, and the first few lines to name.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {parsed}_twice AS
        SELECT 'id' AS key_kind, registration_id AS id, NULL AS session_id, NULL AS kommune_code,
               NULL AS person
        FROM {parsed} WHERE registration_id IS NOT NULL GROUP BY registration_id
        HAVING count(*) > 1
        UNION ALL
        SELECT 'pair', NULL, {pair} FROM {parsed}
        WHERE session_id IS NOT NULL AND kommune_code IS NOT NULL AND person IS NOT NULL
        GROUP BY {pair} HAVING count(*) > 1
    """)
    firsts = f"min(p.line, {MAX_LINES_NAMED + 1})"
    qualified = ", ".join(f"p.{c.strip()}" for c in content.split(","))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {parsed}_dupes AS
        SELECT t.*, count(*) AS n, count(DISTINCT ({qualified})) AS versions,
               {firsts} AS firsts
        FROM {parsed}_twice t JOIN {parsed} p
          ON t.key_kind = 'id' AND p.registration_id = t.id
        GROUP BY ALL
        UNION ALL
        SELECT t.*, count(*), count(DISTINCT (p.registration_id, {qualified})), {firsts}
        FROM {parsed}_twice t JOIN {parsed} p
          ON t.key_kind = 'pair' AND p.session_id = t.session_id
         AND p.kommune_code = t.kommune_code AND p.person = t.person
        GROUP BY ALL
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {parsed}_conflicts AS
        SELECT d.key_kind, p.line, p.registration_id, p.name, d.n, d.firsts
        FROM {_rows_of_id(parsed)} WHERE d.versions > 1
        UNION ALL
        SELECT d.key_kind, p.line, p.registration_id, p.name, d.n, d.firsts
        FROM {_rows_of_pair(parsed)} WHERE d.versions > 1
    """)
    return f"""
        SELECT line, CASE key_kind WHEN 'id' THEN 'registration_id' ELSE 'name' END,
               CASE key_kind WHEN 'id' THEN registration_id ELSE name END,
               CASE key_kind WHEN 'id' THEN 'id_conflict' ELSE 'pair_conflict' END,
               other_lines(firsts, line, n)
        FROM {parsed}_conflicts
        -- a conflict already reported under its registration id is not reported twice
        WHERE NOT (key_kind = 'pair' AND line IN (
              SELECT line FROM {parsed}_conflicts WHERE key_kind = 'id'))
        UNION ALL
        {_taken_ids(parsed, earlier)}
    """


# The rows of a duplicated key (parsed p beside its key's description d in {parsed}_dupes),
# joined on equal keys: hash joins, where an OR of the two keys would not be.
def _rows_of_id(parsed: str) -> str:
    return f"{parsed} p JOIN {parsed}_dupes d ON d.key_kind = 'id' AND p.registration_id = d.id"


def _rows_of_pair(parsed: str) -> str:
    return (f"{parsed} p JOIN {parsed}_dupes d ON d.key_kind = 'pair' "
            "AND p.session_id = d.session_id AND p.kommune_code = d.kommune_code "
            "AND p.person = d.person")


def _taken_ids(parsed: str, earlier: list[FileResult]) -> str:
    """SQL rejecting the lines whose registration id an earlier registration already holds
    for another session or another mayor: one stored in the database, or a valid line of a
    registration file checked before this one in the same import. An id identifies a
    registration only within the source that gave it (a second system, or a second form
    whose numbers start again at 1, gives the same ids to other registrations); taking it for
    the same registration would rewrite that one with another's session and person, so the
    line is refused, naming the registration that holds the id. Same session and mayor: the
    same registration, updated as before.

    A person is their municipality and folded name, as the import matches people. One hash
    join of the file's ids with the stored ones (the file's side is the small one when a
    short export meets a big database)."""
    holder = {"id": "p.registration_id", "session": "o.session_id", "name": "o.name",
              "municipality": "coalesce(place.name, CAST(o.kommune_code AS VARCHAR))"}
    # The stored registrations holding one of the file's ids first (a semi join on the
    # file's few ids), then their people, folded only for those registrations.
    holders = [f"""SELECT r.registration_id, r.session_id, m.kommune_code,
                      fold_name(m.name) AS person, m.name, NULL AS file, NULL AS line
              FROM (SELECT * FROM registrations WHERE registration_id IN
                    (SELECT registration_id FROM {parsed})) r
              JOIN mayors m USING (mayor_id)"""]
    holders += [f"""SELECT registration_id, session_id, kommune_code, person, name,
                           '{e.staged.where.replace("'", "''")}', line
                    FROM {_valid(e)} WHERE registration_id IS NOT NULL"""
                for e in earlier if e.kind == "registrations"]
    return f"""
        SELECT p.line, 'registration_id', p.registration_id,
               CASE WHEN o.file IS NULL THEN 'id_taken_stored' ELSE 'id_taken_in_file' END,
               CASE WHEN o.file IS NULL THEN {sql_params(**holder)}
                    ELSE {sql_params(**holder, file="o.file", line="o.line")} END
        FROM {parsed} p
        JOIN ({" UNION ALL ".join(holders)}) o ON o.registration_id = p.registration_id
        LEFT JOIN municipalities place ON place.kommune_code = o.kommune_code
        WHERE p.session_id IS NOT NULL AND p.kommune_code IS NOT NULL AND p.person IS NOT NULL
          AND (o.session_id, o.kommune_code, o.person)
              IS DISTINCT FROM (p.session_id, p.kommune_code, p.person)
        QUALIFY row_number() OVER (PARTITION BY p.line ORDER BY o.file NULLS FIRST, o.line) = 1
    """


def _find_repeats(con: duckdb.DuckDBPyConnection, result: FileResult) -> int:
    """Valid lines that repeat an earlier valid line: the same session and person with the
    same values once parsed ("5.300,00" and "5300 kr." are one amount, "Bo  Berg" and
    "bo berg" one person). They load once, not twice; returns how many there are, and
    `parsed_N_repeats` lists their lines.

    Counted after the rejects are known and among valid lines only: a line that repeats a
    rejected line is its registration's first valid line, and is loaded. Linear: only the
    rows of keys that occur more than once (usually none) are looked at, once each."""
    parsed, n = f"parsed_{result.number}", result.number
    if result.kind in ("schedule", "price_list"):  # a line twice is rejected (session_twice)
        return 0
    if result.kind == "mayors":  # a few hundred rows; loaded with DISTINCT ON per person
        return con.execute(f"SELECT count(*) - count(DISTINCT (kommune_code, person, start_date)) "
                           f"FROM {_valid(result)}").fetchone()[0]
    if not con.execute(
            f"SELECT count(*) FROM {parsed}_dupes WHERE key_kind = 'pair' AND versions = 1"
    ).fetchone()[0]:
        return 0
    # A key with more than one version has all its lines rejected as conflicts, so the
    # valid lines of a duplicated pair all belong to keys of one version.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {parsed}_repeats AS
        WITH kept AS MATERIALIZED (
            SELECT p.line, d.session_id, d.kommune_code, d.person
            FROM {_rows_of_pair(parsed)}
            WHERE d.versions = 1 AND p.line NOT IN (SELECT line FROM rejects_{n}))
        SELECT line FROM kept
        EXCEPT SELECT min(line) FROM kept GROUP BY session_id, kommune_code, person
    """)
    return con.execute(f"SELECT count(*) FROM {parsed}_repeats").fetchone()[0]


def _mayor_checks(staged: StagedFile, columns: dict[str, int], parsed: str) -> str:
    """The checks of a mayor list beyond its cells (SQL selecting line, field, value, code,
    params): a term that ends before it starts, and one term of one person (same start)
    twice with different content. One person with two starts is two terms: both load."""
    term_end = _source((columns["term_end"],)) if "term_end" in columns else "NULL"
    # What a mayor list says of a term: every value written but the person's and term's key.
    content = ", ".join(f"p.{f.value}" for f in _written(kinds.MAYORS)
                        if f.name not in ("municipality", "name", "term_start"))
    return f"""
        SELECT p.line, 'term_end', nullif(trim({term_end}), ''), 'term_end_before_start',
               {_NO_PARAMS}
        FROM {parsed} p JOIN {staged.table} s USING (line) WHERE p.end_date < p.start_date
        UNION ALL
        SELECT p.line, 'name', p.name, 'mayor_conflict', other_lines(d.firsts, p.line, d.n)
        FROM {parsed} p
        JOIN (SELECT kommune_code, person, start_date, count(*) AS n,
                     min(line, {MAX_LINES_NAMED + 1}) AS firsts
              FROM {parsed} p WHERE kommune_code IS NOT NULL AND person IS NOT NULL
              GROUP BY kommune_code, person, start_date
              HAVING count(DISTINCT ({content})) > 1) d
          USING (kommune_code, person, start_date)
    """


def _valid(result: FileResult) -> str:
    """The rows of a file that passed every check (all of them, usually: no filter then)."""
    if not result.rejected_lines:
        return f"parsed_{result.number}"
    return (f"(SELECT * FROM parsed_{result.number} "
            f"WHERE line NOT IN (SELECT line FROM rejects_{result.number}))")


def _to_load(result: FileResult) -> str:
    """The valid rows less repeats of an earlier valid line (`_find_repeats`), which load
    once, not twice."""
    if not result.repeats:
        return _valid(result)
    return (f"(SELECT * FROM {_valid(result)} "
            f"WHERE line NOT IN (SELECT line FROM parsed_{result.number}_repeats))")


# A person's id follows from municipality and name, so the same person imported from a
# mayor list or from a registration export gets the same id: 'P', the municipality's code in
# three digits, '-', the first 8 hex digits of md5 of the folded name (P461-1dccd5db). Eight
# hex digits are 32 bits, and two names of one municipality can share them ("Anna Hansen
# 68743" and "Anna Hansen 108869" do); the second person to get that id gets '-2' after it
# (P461-1dccd5db-2), the third '-3', and so on (PERSON_ID_FORMAT). An id once given never
# changes: other tables and reports refer to it.
PERSON_ID = "'P' || lpad(CAST({code} AS VARCHAR), 3, '0') || '-' || substr(md5({person}), 1, 8)"
PERSON_ID_FORMAT = r"^(P\d{3}-[0-9a-f]{8})(?:-(\d+))?$"


def _give_ids_to_new_people(con: duckdb.DuckDBPyConnection, table: str, is_new: str) -> None:
    """Set `mayor_id` of the rows of `table` (columns kommune_code, person, mayor_id) where
    `is_new` (SQL) holds: people not yet in mayors, one row each. Never two people one id:
    people whose PERSON_ID is already held (by a mayor, or by another new person of the file)
    are numbered on after the highest holder, new ones in order of their folded name, so the
    same file gives the same ids. Linear: one GROUP BY over the mayors holding those ids."""
    base = PERSON_ID.format(code="kommune_code", person="person")
    con.execute(f"""
        UPDATE {table} SET mayor_id = given.mayor_id FROM (
            WITH wanted AS (SELECT kommune_code, person, {base} AS base
                            FROM {table} WHERE {is_new}),
            held AS (SELECT regexp_extract(mayor_id, '{PERSON_ID_FORMAT}', 1) AS base,
                            max(coalesce(TRY_CAST(nullif(regexp_extract(
                                mayor_id, '{PERSON_ID_FORMAT}', 2), '') AS INTEGER), 1))
                                AS last
                     FROM mayors GROUP BY 1),
            numbered AS (
                SELECT w.kommune_code, w.person, w.base, coalesce(h.last, 0) + row_number()
                       OVER (PARTITION BY w.base ORDER BY w.person) AS holder
                FROM wanted w LEFT JOIN held h USING (base))
            SELECT kommune_code, person,
                   CASE holder WHEN 1 THEN base ELSE base || '-' || holder END AS mayor_id
            FROM numbered) given
        WHERE {table}.kommune_code = given.kommune_code AND {table}.person = given.person
          AND {table}.{is_new}""")


# What a term holds besides its person (mayor_terms' columns less the person's own):
# written by a mayor list per term, and repeated in mayors for the person's latest term.
TERM_COLUMNS = ("party", "term_start", "term_end", "newly_elected")


def _apply_mayors(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """Apply a mayor list: each line is one term of one person. A person (municipality and
    folded name) already known keeps their mayor_id; a term with a start the person already
    has is updated in place, another start adds a term, so importing the next election
    period's list never overwrites the term of the period before. Counts are per term."""
    n = result.number
    # Every column a mayor list fills, by name: a new field is one declaration in etl.kinds.
    written = _written(kinds.MAYORS)
    term = [f for f in written if f.column in TERM_COLUMNS]
    # One row per person: matched to the mayors known, new people given their ids.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE mayors_in_{n} AS
        SELECT known.mayor_id, v.kommune_code, v.person, v.name,
               known.mayor_id IS NULL AS is_added,
               -- the name as written with the person's latest term (an older list
               -- imported again does not undo a newer spelling)
               known.mayor_id IS NOT NULL AND known.name IS DISTINCT FROM v.name
                   AND v.start_date >= known.term_start AS is_renamed
        FROM (SELECT DISTINCT ON (kommune_code, person) kommune_code, person, name, start_date
              FROM {_valid(result)} ORDER BY kommune_code, person, start_date DESC) v
        LEFT JOIN (SELECT mayor_id, name, kommune_code, term_start, fold_name(name) AS person
                   FROM mayors) known
               ON known.kommune_code = v.kommune_code AND known.person = v.person
    """)
    _give_ids_to_new_people(con, f"mayors_in_{n}", "is_added")
    # One row per term written, matched to the person's terms by its start.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE terms_in_{n} AS
        SELECT people.mayor_id, v.kommune_code,
               {", ".join(f"v.{f.value} AS {f.column}" for f in term)},
               old.mayor_id IS NULL AS is_added,
               old.mayor_id IS NOT NULL AND (
                   ({", ".join(f"old.{f.column}" for f in term)})
                   IS DISTINCT FROM ({", ".join(f"v.{f.value}" for f in term)})
                   OR people.is_renamed) AS is_changed
        FROM (SELECT DISTINCT ON (kommune_code, person, start_date) * FROM {_valid(result)}) v
        JOIN mayors_in_{n} people USING (kommune_code, person)
        LEFT JOIN mayor_terms old
               ON old.mayor_id = people.mayor_id AND old.term_start = v.start_date
    """)
    columns = ", ".join(f.column for f in term)
    con.execute(f"""
        UPDATE mayor_terms SET {", ".join(f"{c} = t.{c}" for c in TERM_COLUMNS)}
        FROM terms_in_{n} t
        WHERE mayor_terms.mayor_id = t.mayor_id AND mayor_terms.term_start = t.term_start
          AND t.is_changed""")
    con.execute(f"""
        INSERT INTO mayor_terms BY NAME SELECT mayor_id, kommune_code, {columns}
        FROM terms_in_{n} WHERE is_added""")
    con.execute(f"""
        INSERT INTO mayors BY NAME
        SELECT p.mayor_id, p.name, p.kommune_code, {", ".join(f"t.{c}" for c in TERM_COLUMNS)}
        FROM mayors_in_{n} p
        JOIN (SELECT * FROM terms_in_{n} QUALIFY row_number() OVER (
                  PARTITION BY mayor_id ORDER BY term_start DESC) = 1) t USING (mayor_id)
        WHERE p.is_added""")
    con.execute(f"""
        UPDATE mayors SET name = p.name FROM mayors_in_{n} p
        WHERE mayors.mayor_id = p.mayor_id AND p.is_renamed""")
    _repeat_latest_terms(con, f"SELECT mayor_id FROM mayors_in_{n} WHERE NOT is_added")
    result.new, result.updated, total = con.execute(
        f"SELECT count(*) FILTER (WHERE is_added), count(*) FILTER (WHERE is_changed), "
        f"count(*) FROM terms_in_{n}").fetchone()
    result.unchanged = total - result.new - result.updated
    result.loaded = total


def _repeat_latest_terms(con: duckdb.DuckDBPyConnection, people: str) -> None:
    """Copy the latest term of each of `people` (SQL selecting mayor_id) into its mayors row,
    where it differs: mayors' term columns are the person's latest term."""
    assigned = ", ".join(f"{c} = latest.{c}" for c in TERM_COLUMNS)
    con.execute(f"""
        UPDATE mayors SET {assigned}
        FROM (SELECT * FROM mayor_terms WHERE mayor_id IN ({people})
              QUALIFY row_number() OVER (PARTITION BY mayor_id ORDER BY term_start DESC) = 1
             ) latest
        WHERE mayors.mayor_id = latest.mayor_id
          AND ({", ".join(f"mayors.{c}" for c in TERM_COLUMNS)})
              IS DISTINCT FROM ({", ".join(f"latest.{c}" for c in TERM_COLUMNS)})""")


def _apply_registrations(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    n = result.number
    rows = _to_load(result)
    # One row per person in the file (a few thousand, not a million), matched to the mayors
    # known; people not yet known are added, in office from their first programme's start.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE people_{n} AS
        WITH since AS (SELECT s.session_id, p.period_start
                       FROM sessions s JOIN programmes p USING (programme_id)),
        file_people AS (
            SELECT r.kommune_code, r.person, any_value(r.name) AS name,
                   min(since.period_start) AS period_start
            FROM {rows} r JOIN since USING (session_id) GROUP BY r.kommune_code, r.person)
        SELECT f.*, known.mayor_id,
               known.mayor_id IS NULL AS is_new_person
        FROM file_people f
        LEFT JOIN (SELECT mayor_id, kommune_code, fold_name(name) AS person FROM mayors
                   QUALIFY row_number() OVER (PARTITION BY kommune_code, fold_name(name)
                                              ORDER BY term_start DESC) = 1) known
               ON known.kommune_code = f.kommune_code AND known.person = f.person
    """)
    _give_ids_to_new_people(con, f"people_{n}", "is_new_person")
    result.people_added = con.execute(f"""
        INSERT INTO mayors BY NAME
        SELECT mayor_id, name, kommune_code, period_start AS term_start, false AS newly_elected
        FROM people_{n} WHERE is_new_person
    """).fetchone()[0]
    if result.people_added:  # their one term, as their mayors row says
        con.execute(f"""
            INSERT INTO mayor_terms BY NAME
            SELECT mayor_id, kommune_code, period_start AS term_start, false AS newly_elected
            FROM people_{n} WHERE is_new_person""")
    # Every column a registration fills, by name: a new field is one declaration in
    # etl.kinds. The id and the person's id are made here: a row without an id keeps the one
    # its session and mayor already have, else gets 'I-' and a digest of the two. A row
    # whose id another session or mayor holds never gets here (_taken_ids rejected it).
    written = _written(kinds.REGISTRATIONS)
    columns = ["mayor_id"] + [f.column for f in written]
    values = ["p.mayor_id"] + [f"p.{f.value}" for f in written]
    # The stored registrations the file's rows can meet (by id, or by session and mayor),
    # found in one pass over the registrations; the three joins below then look among them.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE registrations_in_{n} AS
        WITH file_rows AS (SELECT r.*, people.mayor_id FROM {rows} r
                           JOIN people_{n} people USING (kommune_code, person)),
        known AS MATERIALIZED (
            SELECT * FROM registrations
            WHERE registration_id IN (SELECT registration_id FROM file_rows)
               OR mayor_id IN (SELECT mayor_id FROM file_rows))
        SELECT coalesce(p.registration_id, by_pair.registration_id,
                        'I-' || substr(md5(p.session_id || '|' || p.mayor_id), 1, 12))
                   AS registration_id,
               {", ".join(f"{v} AS {c}" for v, c in zip(values, columns, strict=True))},
               old.registration_id AS old_id,
               old.session_id AS old_session_id, old.mayor_id AS old_mayor_id,
               old.kommune_code AS old_kommune_code,
               by_pair.registration_id AS pair_id,
               old.registration_id IS NULL AS is_new,
               old.registration_id IS NOT NULL AND (
                   old.registration_id, {", ".join(f"old.{c}" for c in columns)})
                   IS DISTINCT FROM (coalesce(p.registration_id, old.registration_id),
                   {", ".join(values)}) AS is_changed
        FROM file_rows p
        LEFT JOIN known by_pair
               ON by_pair.session_id = p.session_id AND by_pair.mayor_id = p.mayor_id
        LEFT JOIN known by_id ON by_id.registration_id = p.registration_id
        LEFT JOIN known old
               ON old.registration_id = coalesce(by_id.registration_id, by_pair.registration_id)
    """)
    replaced = f"""registration_id IN (
            SELECT old_id FROM registrations_in_{n} WHERE is_changed
            UNION SELECT pair_id FROM registrations_in_{n} WHERE is_changed OR is_new)"""
    # What the pre-aggregated tables must count again: the rows replaced, as they were, and
    # the rows written (etl.marts).
    # (A row found by session and mayor has the same three values as the row replacing it.)
    stored = con.execute("SELECT count(*) FROM registrations").fetchone()[0]
    result.touches_most = regroup_all(result.staged.rows, stored)
    touched = ", ".join(TOUCHED_COLUMNS)
    before = ", ".join(f"old_{c}" for c in TOUCHED_COLUMNS)
    if not result.touches_most:
        con.execute(f"INSERT INTO {MARTS_TOUCHED} SELECT {before} FROM registrations_in_{n} "
                    "WHERE is_changed")
    con.execute(f"DELETE FROM registrations WHERE {replaced}")
    con.execute(f"""
        INSERT INTO registrations BY NAME
        SELECT registration_id, {", ".join(columns)}
        FROM registrations_in_{n} WHERE is_new OR is_changed""")
    if not result.touches_most:
        con.execute(f"INSERT INTO {MARTS_TOUCHED} SELECT {touched} FROM registrations_in_{n} "
                    "WHERE is_new OR is_changed")
    result.new, result.updated, total = con.execute(
        f"SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE is_changed), count(*) "
        f"FROM registrations_in_{n}").fetchone()
    result.unchanged = total - result.new - result.updated
    result.loaded = total


def _remove_demo_data(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """Real records replace the demo: the fictional people, their registrations, demo venues."""
    is_demo = con.execute("SELECT value FROM dataset_info WHERE key = 'is_demo'").fetchone()
    if not is_demo or is_demo[0] != "true":
        return None
    counts = con.execute("SELECT (SELECT count(*) FROM mayors), "
                         "(SELECT count(*) FROM registrations)").fetchone()
    # Statement by statement: DuckDB checks foreign keys against rows deleted earlier in the
    # same transaction. Atomicity comes from working on a copy that is swapped in at the end.
    con.execute("DELETE FROM registrations")
    con.execute("DELETE FROM mayor_terms")
    con.execute("DELETE FROM mayors")
    # The demo's made-up programme goes with it (the brochure's programme is real).
    con.execute("DELETE FROM sessions WHERE is_demo")
    con.execute("DELETE FROM programmes WHERE is_demo")
    con.execute("UPDATE sessions SET venue = NULL, city = NULL, lat = NULL, lon = NULL, "
                "venue_is_demo = false WHERE venue_is_demo")
    con.execute("UPDATE dataset_info SET value = 'false' WHERE key = 'is_demo'")
    con.execute("DELETE FROM dataset_info WHERE key = 'description'")
    return counts


def _record_run(con: duckdb.DuckDBPyConnection, result: FileResult, started: dt.datetime,
                applied: bool) -> None:
    staged = result.staged
    loaded = result.loaded if applied else 0
    if applied:
        outcome = result.outcome
        message = (f"{result.kind}: {result.new} nye, {result.updated} ændrede, "
                   f"{result.unchanged} uændrede, {result.people_added} personer tilføjet")
        if result.removed:
            message += f", {result.removed} sessioner fjernet"
        if result.repeats:
            message += f"; {repeats_said(result)}"
    elif result.rejected_lines:
        outcome = "rejected"
        message = f"{result.kind}: intet indlæst; {result.rejected_lines} rækker afvist"
    else:
        outcome = "validated"
        message = f"{result.kind}: gyldig, men ikke indlæst, fordi en anden fil blev afvist"
    result.run_id = record_run(
        con, "import", staged.where, staged.rows, loaded, started, message,
        sha256=staged.sha256, rows_rejected=result.rejected_lines, outcome=outcome)
    _record_file_problems(con, result)


def repeats_said(result: FileResult) -> str:
    """The file's repeated lines in words, for the audit line and the command line:
    rows_loaded counts a registration once, however many lines repeat it."""
    lines = "linje" if result.repeats == 1 else "linjer"
    return f"{result.repeats} {lines} gentog en tidligere linje og er talt med én gang"


def _record_refusal(con: duckdb.DuckDBPyConnection, refusal: _Refusal,
                    started: dt.datetime) -> None:
    """A file refused whole, in the audit trail like every other attempt: outcome 'rejected',
    nothing loaded, the reasons in rejected_rows."""
    staged = refusal.staged
    problems = refusal.error.problems
    run_id = record_run(
        con, "import", staged.where if staged else problems[0].file,
        staged.rows if staged else 0, 0, started,
        f"filen afvist: {problems[0].reason}"[:500],
        sha256=staged.sha256 if staged else _sha256(refusal.path), outcome="rejected")
    _record_problems(con, run_id, problems)


def _sha256(path: Path) -> str | None:
    """The file's digest for the audit trail, if it can be read at all."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as source:
            while block := source.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _raw_row(staged: StagedFile, columns: dict[str, int]) -> str:
    """SQL for a staged row's text as the import read it (alias s): the cells of the columns
    it reads, in the file's order, joined by the file's delimiter. Only those: the audit
    trail keeps what the product uses, and a registration system's export also holds e-mail
    addresses, phone numbers and the like, which the product has no use for and must not
    store (the file itself is not kept)."""
    cells = ", ".join(f"coalesce(s.c{i}, '')" for i in sorted(columns.values()))
    return f"concat_ws('{staged.delimiter or ';'}', {cells})"


def _record_file_problems(con: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    """Every problem of a checked file into rejected_rows, in SQL from the tables that hold
    them (however many: Python holds only the first MAX_PROBLEMS_HELD): the structurally
    broken records with their text as read, and the rejected cells with their row's text."""
    staged, n = result.staged, result.number
    if not result.problem_count:
        return
    broken = ""
    if staged.broken_table:
        broken = (f"SELECT line, NULL AS col, raw AS value, code, params, "
                  f"{structure_reason_sql('code', 'params')} AS reason, raw AS raw_row "
                  f"FROM {staged.broken_table} UNION ALL ")
    con.execute(f"""
        INSERT INTO rejected_rows BY NAME
        SELECT ? AS run_id, ? AS file, CAST(line AS INTEGER) AS line, col AS "column", value,
               reason, code AS reason_code, params AS reason_params, raw_row FROM (
            {broken}
            SELECT r.line, {_column_shown(staged, kinds.BY_NAME[result.kind], result.columns,
                                          "r.field")} AS col, r.value, r.code, r.params,
                   {sql_render("r.code", "r.params", SQL_REASONS)} AS reason,
                   {_raw_row(staged, result.columns)} AS raw_row
            FROM rejects_{n} r LEFT JOIN {staged.table} s USING (line))
        ORDER BY line, col NULLS FIRST""", [result.run_id, staged.where])


def _record_problems(con: duckdb.DuckDBPyConnection, run_id: int,
                     problems: list[SourceProblem]) -> None:
    """A refused file's problems into rejected_rows: a few (its reason, perhaps its first
    broken lines), none of them on a staged row (a file is refused before its rows are
    checked), so a structurally broken line's raw text is the text it was read as."""
    con.executemany(
        "INSERT INTO rejected_rows (run_id, file, line, \"column\", value, reason, raw_row, "
        "reason_code, reason_params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::MAP(VARCHAR, VARCHAR))",
        [[run_id, p.file, p.line, p.column, p.value, p.reason,
          p.value if p.column is None else None, p.code, p.params] for p in problems])
