"""The kinds of file the import takes, each declared once: its fields, the headers each goes
by, whether it is required, how its value is read and the database column it fills.

Everything else follows from these declarations: which kind a file is (`detect`), which
column holds which field (`columns_of`), the header row's score (`header_score`), the
importer's parsing, checks and inserts (etl.importer), and the README's field tables
(`readme_tables`, held to the README by tests/test_docs.py). A new field is one `Field` here
plus its column in etl/schema.sql; a new kind (the schedule and price files to come) is one
more `Kind`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.aliases import SESSION_WORDS, STATUS_WORDS, fold_header

# How a value is read: each names one reader of etl.importer (`_READERS`), which turns the
# cell's text into a typed value, and the reason a cell it cannot read is rejected with.
READERS = ("text", "name", "session", "municipality", "date", "day", "status", "amount",
           "yes_no", "audience", "format", "count", "coordinate", "vat_rate")


@dataclass(frozen=True)
class Field:
    """One field of a kind of file.

    `name` is the field's own name (the key of `columns_of`, the `field` of a reject);
    `label` names it in the README; `headers` are the header names it goes by as the README
    shows them, Danish first (matched folded: see `fold_header`); `reader` is one of READERS;
    `value` names the typed value in the importer's parsed table; `column` is the database
    column it fills in the kind's table (None: it fills none directly). `instead_of` names the
    field this one stands in for when the file has no column of that field: all the fields
    standing in for one together make its value (Fornavn + Efternavn make the name).
    `less_specific` are those of `headers` that say less than the others: a column under one
    of them is read only when no column under a more specific one is there (a form's own
    "Navn" is who filled it in; a question "Borgmester" is whom it is about)."""

    name: str
    label: str
    headers: tuple[str, ...]
    reader: str
    value: str
    column: str | None
    required: bool = False
    note: str = ""             # said after the headers in the README (with its punctuation)
    instead_of: str | None = None
    less_specific: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.reader not in READERS:
            raise ValueError(f"{self.name}: unknown reader {self.reader!r}")
        if not set(self.less_specific) < set(self.headers):
            raise ValueError(f"{self.name}: less_specific must be some of its headers")

    def specificity(self, header: str) -> int:
        """How specific a header of this field is: 0 most, 1 less (`less_specific`)."""
        folded = fold_header(header)
        return int(any(fold_header(h) == folded for h in self.less_specific))


@dataclass(frozen=True)
class Kind:
    """A kind of file: `name` (registrations / mayors) is the word the audit line and
    FileResult.kind use (messages say it as etl.reasons.KIND_SAID does), `table` the database
    table its rows go to, `title` the first header of its README table."""

    name: str
    table: str
    title: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def main_fields(self) -> tuple[Field, ...]:
        """The fields read as themselves (not standing in for another)."""
        return tuple(f for f in self.fields if f.instead_of is None)

    def stand_ins(self, name: str) -> tuple[Field, ...]:
        """The fields that together stand in for field `name` (empty: none)."""
        return tuple(f for f in self.fields if f.instead_of == name)


# --- The fields people are named by, the same in every kind that names people --------------

MUNICIPALITY_HEADERS = ("Kommune", "Kommunekode", "Kommunenavn", "kommune_code",
                        "Municipality", "Municipality code")
# A file with both a code and a name column (Danmarks Statistik's and KL's own lists have
# both) is read by its code: the code says which municipality without a spelling to match.
MUNICIPALITY = Field("municipality", "municipality", MUNICIPALITY_HEADERS, "municipality",
                     "kommune_code", "kommune_code", required=True,
                     less_specific=("Kommune", "Kommunenavn", "Municipality"))
# Registration systems (Microsoft Forms, SurveyXact, event tools) ask for the workplace, and a
# mayor's is the municipality: "Aarhus Kommune" is read like a Kommune column's value.
ORGANISATION = Field("organisation", "organisation",
                     ("Organisation", "Arbejdssted", "Virksomhed", "Organization", "Company"),
                     "municipality", "kommune_code", "kommune_code",
                     note=" — the municipality as \"Aarhus Kommune\", when there is no "
                          "municipality column",
                     instead_of="municipality")
FIRST_NAME = Field("first_name", "first name", ("Fornavn", "First name", "Given name"),
                   "text", "first_name", None,
                   note=" — with the last name, the name when there is no name column",
                   instead_of="name")
LAST_NAME = Field("last_name", "last name", ("Efternavn", "Last name", "Surname"),
                  "text", "last_name", None,
                  note=" — with the first name, the name when there is no name column",
                  instead_of="name")

REGISTRATIONS = Kind("registrations", "registrations", "field", (
    # Only a header that says registration: a form's answer number (Id, Nr, Svar-id) restarts
    # in every form and is no registration's id; it is left unused.
    Field("registration_id", "registration id",
          ("Tilmeldings-ID", "Tilmelding ID", "Registration ID"),
          "text", "registration_id", "registration_id"),
    Field("session", "session",
          ("Session", "Session ID", "Sessions-ID", "Sessionsdato", "Session dato", "Dato",
           "Date"),
          "session", "session_id", "session_id", required=True,
          note=" — the session's id (`LKS2022-04`) or its start date",
          less_specific=("Dato", "Date")),
    MUNICIPALITY,
    ORGANISATION,
    # Microsoft Forms' own Navn (Name) column is the respondent's: a mayor's secretary when
    # the secretary fills in the form, and the mayor is the answer to a "Borgmester" question.
    Field("name", "mayor's name",
          ("Navn", "Borgmester", "Deltager", "Name", "Mayor", "Participant"),
          "name", "name", None, required=True, less_specific=("Navn", "Name")),
    FIRST_NAME,
    LAST_NAME,
    Field("registered_at", "registered at",
          ("Tilmeldt", "Tilmeldt den", "Tilmeldingsdato", "Registered at", "Registration date"),
          "date", "registered_ts", "registered_at", required=True),
    # A form does not ask when you register: it stamps the answer. Microsoft Forms' export has
    # Starttidspunkt and Fuldførelsestidspunkt (English: Start time, Completion time), Google
    # Forms' response sheet Tidsstempel (Timestamp); the answer is given when completed.
    Field("submitted_at", "form answered at",
          ("Fuldførelsestidspunkt", "Tidsstempel", "Completion time", "Timestamp"),
          "date", "registered_ts", None,
          note=" — a form's own time of the answer, when there is no registered-at column",
          instead_of="registered_at"),
    Field("status", "status", ("Status",), "status", "status_code", "status", required=True,
          note=": " + "; ".join(f"`{code}`: {' / '.join(words)}"
                                for code, words in STATUS_WORDS.items())),
    Field("price", "price ex VAT",
          ("Pris", "Pris ex moms", "Pris ekskl. moms", "Pris ekskl moms", "Beløb", "Price",
           "Price ex VAT", "Amount"),
          "amount", "price_ex_vat", "price_ex_vat", note=" (empty: the price list)"),
    Field("invoiced_at", "invoiced at",
          ("Faktureret", "Faktureret den", "Fakturadato", "Invoiced at", "Invoice date"),
          "day", "invoiced_date", "invoiced_at"),
))

MAYORS = Kind("mayors", "mayors", "mayor list field", (
    MUNICIPALITY,
    ORGANISATION,
    Field("name", "name", ("Navn", "Borgmester", "Name", "Mayor"), "name", "name", "name",
          required=True, less_specific=("Navn", "Name")),
    FIRST_NAME,
    LAST_NAME,
    Field("party", "party", ("Parti", "Party"), "text", "party", "party"),
    Field("term_start", "term start", ("Tiltrådt", "Tiltraadt", "Fra", "Start", "Term start"),
          "day", "start_date", "term_start", required=True, less_specific=("Fra", "Start")),
    Field("term_end", "term end", ("Fratrådt", "Fratraadt", "Til", "Slut", "End", "Term end"),
          "day", "end_date", "term_end", less_specific=("Til", "Slut", "End")),
    Field("newly_elected", "newly elected", ("Nyvalgt", "Ny", "Newly elected"), "yes_no",
          "is_new", "newly_elected", required=True, note=": ja/nej (yes/no, 1/0, x)"),
))

# --- Programmes, their sessions and their prices (etl.schedule applies them) ----------------

def _words_note(field: str) -> str:
    """': `intro`: nyvalgte / ...; `all`: alle / ...' for a field of SESSION_WORDS."""
    return ": " + "; ".join(f"`{code}`: {' / '.join(words)}"
                            for code, words in SESSION_WORDS[field].items())


PROGRAMME_ID = Field("programme_id", "programme id",
                     ("Forløb-ID", "Forløbs-ID", "Forløb ID", "Programme ID", "Program ID"),
                     "text", "programme_id", "programme_id", required=True,
                     note=" (e.g. `LKS2026`)")
FORMAT = Field("format", "format", ("Format", "Sessionstype", "Session type"), "format",
               "format_code", "format", required=True, note=_words_note("format"))

SCHEDULE = Kind("schedule", "sessions", "schedule field", (
    PROGRAMME_ID,
    Field("programme_title", "programme title",
          ("Forløb", "Forløbstitel", "Programme", "Programme title"), "text",
          "programme_title", None,
          note=" (a new programme without one is named by its id)"),
    Field("session_id", "session id", ("Sessions-ID", "Session-ID", "Session ID"), "text",
          "session_id", "session_id",
          note=" (empty: the session already held for that start date and format, else "
               "made from programme, start date and format: `LKS2026-2026-01-28-overnight`)"),
    Field("title", "title", ("Titel", "Sessionstitel", "Title", "Session title"), "text",
          "title", "title", note=" (empty: Dagsession, Døgnsession or Onlinemøde)"),
    Field("audience", "audience", ("Målgruppe", "Audience"), "audience", "audience_code",
          "audience", required=True, note=_words_note("audience")),
    FORMAT,
    Field("starts_at", "start", ("Start", "Starttidspunkt", "Startdato", "Starts", "Start date"),
          "date", "starts_ts", "starts_at", required=True,
          note=" — a date, or a date and time (a time of 00:00 counts as none)"),
    Field("ends_at", "end", ("Slut", "Sluttidspunkt", "Slutdato", "Ends", "End", "End date"),
          "date", "ends_ts", "ends_at",
          note=" (a date alone: the end of that day; empty: the end of the start day)"),
    Field("venue", "venue", ("Sted", "Mødested", "Venue"), "text", "venue", "venue"),
    Field("city", "city", ("By", "City", "Town"), "text", "city", "city",
          note=" — places the venue when it is a municipality's or a venue candidate's city"),
    Field("capacity", "capacity", ("Kapacitet", "Pladser", "Capacity", "Places"), "count",
          "capacity", "capacity", note=" (empty: no limit)"),
    Field("session_price", "price ex VAT",
          ("Pris", "Pris ex moms", "Pris ekskl. moms", "Price", "Price ex VAT"), "amount",
          "price_ex_vat", "price_ex_vat", note=" (empty: the programme's price list)"),
    Field("lat", "latitude", ("Breddegrad", "Lat", "Latitude"), "coordinate", "lat", "lat",
          note=" — with the longitude, the venue's position when its city is not known"),
    Field("lon", "longitude", ("Længdegrad", "Lon", "Longitude"), "coordinate", "lon", "lon"),
))

PRICE_LIST = Kind("price_list", "price_lists", "price list field", (
    PROGRAMME_ID,
    FORMAT,
    Field("list_price", "price ex VAT",
          ("Pris", "Pris ex moms", "Pris ekskl. moms", "Price", "Price ex VAT"), "amount",
          "price_ex_vat", "price_ex_vat", note=" (empty: not known)"),
    Field("vat_rate", "VAT rate", ("Moms", "Momssats", "VAT", "VAT rate"), "vat_rate",
          "vat_rate", "vat_rate", note=": 25 %, 25 or 0,25 (empty: 25 %)"),
    Field("source", "source", ("Kilde", "Source"), "text", "source", "source"),
))

# Every kind, in the order a tie between them is settled.
KINDS = (REGISTRATIONS, MAYORS, SCHEDULE, PRICE_LIST)
BY_NAME = {kind.name: kind for kind in KINDS}


# --- Matching a header row -------------------------------------------------------------------

# A required field found counts this much more than an optional one: a file is told by what
# it must have (a mayor list and a registration export share municipality and name).
REQUIRED_WEIGHT = 2.0


def _matches(kind: Kind, headers: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Field name -> (specificity, index) of every column whose header goes by one of its
    names, most specific first (0 before 1), then left to right."""
    lookup = {fold_header(alias): f for f in kind.fields for alias in f.headers}
    found: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        if f := lookup.get(fold_header(header or "")):
            found.setdefault(f.name, []).append((f.specificity(header or ""), index))
    return {name: sorted(matched) for name, matched in found.items()}


def columns_of(kind: Kind, headers: list[str]) -> dict[str, int]:
    """Field name -> index of the column its value is read from: of the columns whose header
    goes by one of its names, the one under the most specific name (see `clashes` for two
    as specific: the leftmost is given, for scoring a header row).

    Every field found is listed, stand-ins too (first_name, organisation, ...); which one
    the importer reads is `sources`' business."""
    return {name: matched[0][1] for name, matched in _matches(kind, headers).items()}


def clashes(kind: Kind, headers: list[str]) -> dict[str, tuple[int, ...]]:
    """Field name -> the indexes of its columns, for every field two or more columns are
    the most specific for (two "Navn", or "Tilmeldt" beside "Tilmeldingsdato"): which one is
    meant the file does not say, so it is not read (etl.importer refuses it naming them)."""
    found = {}
    for name, matched in _matches(kind, headers).items():
        best = tuple(index for rank, index in matched if rank == matched[0][0])
        if len(best) > 1:
            found[name] = best
    return found


def sources(kind: Kind, columns: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Main field -> the column indexes its value is read from: its own column, else all of
    its stand-ins' columns when the file has every one of them (Fornavn and Efternavn both),
    in the order declared. A field with neither is absent."""
    found: dict[str, tuple[int, ...]] = {}
    for f in kind.main_fields:
        stand_ins = kind.stand_ins(f.name)
        if f.name in columns:
            found[f.name] = (columns[f.name],)
        elif stand_ins and all(s.name in columns for s in stand_ins):
            found[f.name] = tuple(columns[s.name] for s in stand_ins)
    return found


def read_columns(kind: Kind, columns: dict[str, int]) -> dict[str, int]:
    """The columns of `columns_of` the import reads: every main field's, and a stand-in's
    only where it stands in (Fornavn is not read beside a Navn column)."""
    made = sources(kind, columns)
    return {name: index for name, index in columns.items()
            if (stands_for := kind.field(name).instead_of) is None
            or (stands_for not in columns and stands_for in made)}


def missing(kind: Kind, columns: dict[str, int]) -> list[Field]:
    """The required fields a file with these columns has no source for."""
    have = sources(kind, columns)
    return [f for f in kind.main_fields if f.required and f.name not in have]


def score(kind: Kind, columns: dict[str, int]) -> float:
    """How well a header row fits a kind: each field with a source counts 1, a required one
    REQUIRED_WEIGHT (a field made by stand-ins counts as itself, once)."""
    return sum(REQUIRED_WEIGHT if f.required else 1.0
               for f in kind.main_fields if f.name in sources(kind, columns))


@dataclass(frozen=True)
class Detected:
    """What `detect` found: the kind that fits best (or, when none fits, the closest), its
    columns, the required fields it lacks (empty: the file is of this kind), and the
    fields it reads that two columns are equally the most specific for (`clashes`)."""

    kind: Kind
    columns: dict[str, int]
    missing: tuple[Field, ...]
    clashes: dict[str, tuple[int, ...]] = field(default_factory=dict)


def detect(headers: list[str]) -> Detected:
    """The kind whose headers the row matches best: among kinds whose required fields are all
    there, the highest score; when no kind has all of them, the highest score, with what it
    lacks (equal scores: the kind lacking the smaller share of its required fields). Ties go
    to the kind declared first in KINDS. Its columns are those the import reads: a field's
    stand-ins only where they stand in."""
    candidates = []
    for order, kind in enumerate(KINDS):
        columns = columns_of(kind, headers)
        lacks = tuple(missing(kind, columns))
        required = sum(f.required for f in kind.main_fields)
        read = read_columns(kind, columns)
        clashing = {name: cells for name, cells in clashes(kind, headers).items()
                    if name in read}
        candidates.append((not lacks, score(kind, columns), 1 - len(lacks) / required, -order,
                           Detected(kind, read, lacks, clashing)))
    return max(candidates, key=lambda c: c[:4])[4]


def header_score(cells: list[str | None]) -> float:
    """How well a row of cell texts matches the headers of some kind: the best `score` over
    KINDS (0.0: no known header). A title row or a data row scores 0 or near it; the header
    row of an export scores highest, which is how the reader finds it below title rows."""
    headers = [c or "" for c in cells]
    return max(score(kind, columns_of(kind, headers)) for kind in KINDS)


# --- The README's field tables ---------------------------------------------------------------

def header_names(f: Field) -> str:
    """A field's header names as the README lists them: the more specific first, then those
    read only when none of them is there ("Borgmester, ...; Navn, Name only when ...")."""
    specific = ", ".join(h for h in f.headers if h not in f.less_specific)
    if not f.less_specific:
        return specific
    return f"{specific}; {', '.join(f.less_specific)} only when none of those is there"


def readme_table(kind: Kind, earlier: tuple[Kind, ...] = ()) -> str:
    """The kind's field table in Markdown, one row per field in declared order: label,
    accepted header names (`header_names`; as above when an earlier table lists the same
    field with the same headers) and its note, required yes/no."""
    rows = [f"| {kind.title} | accepted header names | required |", "|---|---|---|"]
    for f in kind.fields:
        shown_before = any(f.name == g.name and f.headers == g.headers
                           and f.less_specific == g.less_specific
                           for k in earlier for g in k.fields)
        names = "as above" if shown_before else header_names(f) + f.note
        rows.append(f"| {f.label} | {names} | {'yes' if f.required else 'no'} |")
    return "\n".join(rows)


def readme_tables() -> list[str]:
    """Every kind's README table, in the order of KINDS."""
    return [readme_table(kind, KINDS[:i]) for i, kind in enumerate(KINDS)]
