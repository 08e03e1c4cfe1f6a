"""Danish as people write it: status words, municipality names, dates and amounts.

Pure tests of the value tables (etl.aliases) and the SQL macros (etl.importer.MACROS), and
imports of small files written byte for byte as Danish Excel writes them (Windows-1252 or
UTF-8 with BOM, ';', CRLF)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl import aliases
from etl.importer import DANISH_TIME, DATE_FORMATS, MACROS, import_files, zoned
from etl.paths import PROJECT_ROOT
from tests.conftest import HEADER

PLACES = [(int(code), name) for code, name in (
    line.split(",")[:2] for line in
    (PROJECT_ROOT / "data" / "reference" / "municipalities.csv")
    .read_text(encoding="utf-8").splitlines()[1:])]

COPENHAGEN = ZoneInfo(DANISH_TIME)


@pytest.fixture(scope="module")
def sql():
    """A DuckDB connection with the importer's macros: sql(expression, value) -> result."""
    con = duckdb.connect()
    con.execute(MACROS)

    def run(expression: str, *values):
        return con.execute(f"SELECT {expression}", list(values)).fetchone()[0]

    yield run
    con.close()


def excel_csv(path: Path, *rows: str, header: str = HEADER,
              encoding: str = "cp1252") -> Path:
    """A CSV as Danish Excel saves it: ';', CRLF, Windows-1252 ("CSV (semikolonsepareret)")
    or UTF-8 with BOM ("CSV UTF-8", encoding 'utf-8-sig')."""
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def stored(database: Path, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


# --- Statuses ------------------------------------------------------------------------------

@pytest.mark.parametrize("written, status", [
    ("Deltog", "attended"), ("deltaget", "attended"), ("Mødt", "attended"),
    ("mødt op", "attended"), ("Mødt  Op", "attended"), ("Fremmødt", "attended"),
    ("FREMMOEDT", "attended"), ("modt", "attended"), ("Attended", "attended"),
    ("present", "attended"),
    ("Afbud", "cancelled"), ("afmeldt", "cancelled"), ("Aflyst", "cancelled"),
    ("Cancelled", "cancelled"), ("canceled", "cancelled"),
    ("Ikke mødt", "no_show"), ("ikke mødt op", "no_show"), ("Ikke-mødt", "no_show"),
    ("ikke moedt", "no_show"), ("Udeblev", "no_show"), ("udeblevet", "no_show"),
    ("No show", "no_show"), ("no-show", "no_show"), ("No_Show", "no_show"),
    ("NOSHOW", "no_show"), ("absent", "no_show"),
    ("Tilmeldt", "registered"), (" registered\u00a0", "registered"),
])
def test_status_words_in_any_case_and_spacing(sql, written, status):
    table = aliases.status_aliases()
    assert table[aliases.fold_word(written)] == status
    assert sql(aliases.FOLD_WORD_SQL.format(x="?"), written) == aliases.fold_word(written)


def test_words_that_are_no_status_are_known_as_such_and_never_a_status():
    statuses, not_statuses = aliases.status_aliases(), aliases.not_status_aliases()
    for word in ("Venteliste", "på venteliste", "Waiting list", "reserve", "Paa venteliste"):
        assert aliases.fold_word(word) in not_statuses
        assert aliases.fold_word(word) not in statuses
    assert not set(statuses) & set(not_statuses)


# --- Municipalities ------------------------------------------------------------------------

@pytest.mark.parametrize("written, code", [
    ("Høje Taastrup", 169), ("Hoeje-Taastrup Kommune", 169), ("Hoje Taastrup", 169),
    ("Høje Tåstrup", 169), ("Hoeje-Tåstrup", 169), ("Taastrup", 169), ("Tåstrup", 169),
    ("Lyngby Taarbæk", 173), ("Lyngby-Taarbaek", 173), ("Lyngby", 173), ("Kgs. Lyngby", 173),
    ("Kongens Lyngby", 173), ("LYNGBY\u00a0TAARBÆK KOMMUNE", 173),
    ("Ringkøbing Skjern", 760), ("Ringkobing-Skjern", 760), ("Ringkøbing", 760),
    ("Ringkoebing-Skjern Kommune", 760), ("Ringkøbing\u2013Skjern", 760),
    ("Ikast Brande", 756), ("Ikast", 756), ("Brønderslev Kommune", 810),
    ("Bronderslev", 810), ("Brønderslev-Dronninglund", 810),
    ("Ærø", 492), ("Aeroe", 492), ("Aero", 492), ("Ærø Kommune", 492), ("Æroe", 492),
    ("Nordfyns Kommune", 480), ("Nordfyn", 480), ("Vesthimmerland", 820),
    ("Vesthimmerlands Kommune", 820), ("Lemvigs Kommune", 665), ("Lemvigs", 665),
    ("Taarnby", 185), ("Tarnby", 185), ("Tårnby", 185),
    ("Aabenraa", 580), ("Åbenrå", 580), ("Aabenrå", 580), ("Åbenraa", 580),
    ("Aarhus", 751), ("Århus", 751), ("Arhus", 751), ("Aarhus Kommune", 751),
    ("København", 101), ("Koebenhavn", 101), ("Kobenhavns Kommune", 101), ("Kbh.", 101),
    ("Copenhagen", 101), ("Bornholms Regionskommune", 400), ("Bornholm", 400),
    ("Faaborg-Midtfyn", 430), ("Fåborg Midtfyn", 430), ("Helsingor", 217),
    ("Læsø", 825), ("Laesoe", 825), ("Laeso", 825), ("Fanø", 563), ("Fano", 563),
    ("Sønderborg", 540), ("Soenderborgs Kommune", 540), ("A\u030arhus", 751),  # macOS å
    ("Lyngby\u200b-Taarbæk", 173),                                            # zero width
    # and what is no municipality's name
    ("Kommune", None), ("Lyngbyvej", None), ("Aeroee", None), ("Taastrupp", None),
    ("Hoej", None), ("København Ø", None), ("Frederiksberg C", None), ("Sverige", None),
])
def test_municipality_names_as_people_write_them(sql, written, code):
    table = aliases.municipality_aliases(PLACES)
    assert table.get(aliases.fold(written)) == code
    assert sql("fold_place(?)", written) == aliases.fold(written)


def test_no_spelling_of_the_98_municipalities_is_ambiguous_and_each_form_finds_its_own():
    forms = aliases.municipality_forms(PLACES)
    assert {form: codes for form, codes in forms.items() if len(codes) > 1} == {}
    listed = list(aliases.accepted_forms(PLACES))
    assert [code for code, _, _ in listed] == [code for code, _ in PLACES]
    assert {"Hoeje-Taastrup", "Hoje-Taastrup", "Taastrup"} <= set(dict(
        (code, forms) for code, _, forms in listed)[169])
    for code, name, written_forms in listed:
        assert written_forms[0] == name
        for written in written_forms:
            for variant in (written, written + "s", written + " Kommune", written.upper()):
                assert forms[aliases.fold(variant)] == (code,), variant


def test_an_ambiguous_spelling_names_its_candidates_and_a_name_as_written_outranks_one():
    # "Boe" spells both Bø (ø as oe) and Bøe (ø as o): neither is written so.
    forms = aliases.municipality_forms([(901, "Bø"), (902, "Bøe"), (903, "Fanø"),
                                        (904, "Fano")])
    assert forms[aliases.fold("Boe")] == (901, 902)
    assert forms[aliases.fold("Bø")] == (901,) and forms[aliases.fold("Boee")] == (902,)
    assert forms[aliases.fold("Fano")] == (904,)      # as written beats a spelling of Fanø
    assert forms[aliases.fold("Fanoe")] == (903,)
    assert aliases.fold("Boe") not in aliases.municipality_aliases([(901, "Bø"), (902, "Bøe")])


def test_sql_folds_every_accepted_form_as_python_does(sql):
    written = [variant for _, _, forms in aliases.accepted_forms(PLACES) for form in forms
               for variant in (form, form + "s Kommune", form.upper() + " REGIONSKOMMUNE",
                               form.replace("-", " "), form.replace("-", "\u00a0"))]
    words = [word for words in aliases.STATUS_WORDS.values() for word in words]
    folded = sql(f"list_transform(?, lambda x: {aliases.FOLD_SQL.format(x='x')})", written)
    assert folded == [aliases.fold(text) for text in written]
    folded_words = sql(f"list_transform(?, lambda x: {aliases.FOLD_WORD_SQL.format(x='x')})", words)
    assert folded_words == [aliases.fold_word(text) for text in words]


# Text as it reaches the folding: Danish and ASCII letters (either case), digits, every
# separator (spaces of every kind, dashes, '_', '.', zero-width characters), a combining ring
# (macOS's å), and "kommune" endings. Python's lower() and DuckDB's differ on a few letters
# outside Latin-1 (İ), which no municipality or status has.
_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåéüöäABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅÉÜÖÄ0123456789'"
_TEXT = st.lists(st.one_of(st.text(_LETTERS + aliases.SEPARATORS + "\u030a", max_size=12),
                           st.sampled_from(["kommune", " Kommune", "regionskommune", "KOMMUNE",
                                            "aa", "Å", "a\u030a", "\u00a0"])),
                 max_size=5).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=20))
def test_fold_and_fold_sql_are_the_same_function(sql, texts):
    assert sql(f"list_transform(?, lambda x: {aliases.FOLD_SQL.format(x='x')})", texts) == \
        [aliases.fold(text) for text in texts]
    assert sql(f"list_transform(?, lambda x: {aliases.FOLD_WORD_SQL.format(x='x')})", texts) == \
        [aliases.fold_word(text) for text in texts]


# --- Dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, moment", [
    ("10.1.2022, 09.15.00", dt.datetime(2022, 1, 10, 9, 15)),
    ("10.1.2022,09:15", dt.datetime(2022, 1, 10, 9, 15)),
    ("1-2-2022 9:05", dt.datetime(2022, 2, 1, 9, 5)),
    ("10-1-2022", dt.datetime(2022, 1, 10)),
    ("10-1-2022 9.05.30", dt.datetime(2022, 1, 10, 9, 5, 30)),
    ("1.2.2022 kl. 9.05", dt.datetime(2022, 2, 1, 9, 5)),
    ("01/02/2022 09.05", dt.datetime(2022, 2, 1, 9, 5)),
    ("2022-01-31T10:15", dt.datetime(2022, 1, 31, 10, 15)),
    ("2022-01-31 10.15.20", dt.datetime(2022, 1, 31, 10, 15, 20)),
    ("2022-1-5", dt.datetime(2022, 1, 5)),
    (" 10.1.2022 ", dt.datetime(2022, 1, 10)),
    # ISO with its offset or Z, as web forms write it: the instant on a Danish clock, winter
    # (+01:00) and summer (+02:00) time
    ("2022-11-01T10:15:00+01:00", dt.datetime(2022, 11, 1, 10, 15)),
    ("2022-11-01T09:15:00Z", dt.datetime(2022, 11, 1, 10, 15)),
    ("2022-11-01T09:15:00.000Z", dt.datetime(2022, 11, 1, 10, 15)),
    ("2022-07-01T07:15:00.378Z", dt.datetime(2022, 7, 1, 9, 15, 0, 378000)),
    ("2024-08-06T13:09:25+01:00", dt.datetime(2024, 8, 6, 14, 9, 25)),
    ("2022-03-27T01:30:00Z", dt.datetime(2022, 3, 27, 3, 30)),      # summer time began 01:00Z
    ("2022-10-30T00:30:00Z", dt.datetime(2022, 10, 30, 2, 30)),     # the first 02:30 ...
    ("2022-10-30T01:30:00Z", dt.datetime(2022, 10, 30, 2, 30)),     # ... and the second
    ("2022-11-01T04:15:00-05:00", dt.datetime(2022, 11, 1, 10, 15)),
    ("2022-11-01 10:15:00+0100", dt.datetime(2022, 11, 1, 10, 15)),
    ("2022-11-01T10:15+01", dt.datetime(2022, 11, 1, 10, 15)),
    ("2022-11-01T09:15:00.1234567Z", dt.datetime(2022, 11, 1, 10, 15, 0, 123457)),  # .NET
    ("2022-11-01T09:15:00X", None),
    ("31.1.22", None), ("32.1.2022", None), ("10.1.2022 25.00", None), ("10.13.2022", None),
    ("i morgen", None),
])
def test_dates_as_people_write_them(sql, text, moment):
    assert sql("parse_when(?)", text) == moment


def written(layout: str, moment: dt.datetime, padded: bool, offset: str = "+01:00") -> str:
    """`moment` in `layout`, with day, month and hour in one digit where they have one, when
    not `padded` (as Excel's short formats and people write them); a %z layout's offset
    written as `offset` says, a fraction (%n) in six digits."""
    if not padded:
        for code, value in (("%d", moment.day), ("%m", moment.month), ("%H", moment.hour)):
            layout = layout.replace(code, str(value))
    return moment.strftime(layout.replace("%n", "%f").replace("%z", offset))


def truncated(layout: str, moment: dt.datetime, offset: str = "+01:00") -> dt.datetime:
    """What `layout` keeps of `moment`, on a Danish clock when the layout has a zone (the
    moment then being at `offset`, or UTC for Z)."""
    keep = {"%n": {}, "%S": {"microsecond": 0}, "%M": {"second": 0, "microsecond": 0},
            "%d": {"hour": 0, "minute": 0, "second": 0, "microsecond": 0}}
    kept = moment.replace(**next(v for k, v in keep.items() if k in layout))
    if not zoned(layout):
        return kept
    zone = dt.UTC if layout.endswith("Z") else dt.datetime.strptime(
        offset.replace(":", "").ljust(5, "0"), "%z").tzinfo
    return kept.replace(tzinfo=zone).astimezone(COPENHAGEN).replace(tzinfo=None)


def sensible(moment: dt.datetime) -> dt.datetime | None:
    """parse_when's year rule: 1900 to 2199."""
    return moment if 1900 <= moment.year <= 2199 else None


# Offsets as ISO 8601 writes them: ±hh:mm (RFC 3339, what web forms write), ±hhmm, ±hh.
OFFSETS = st.builds(lambda sign, hours, minutes, style: sign + {
    "hh:mm": f"{hours:02}:{minutes:02}", "hhmm": f"{hours:02}{minutes:02}",
    "hh": f"{hours:02}"}[style] if style != "hh" or minutes == 0 else f"{sign}{hours:02}",
    st.sampled_from("+-"), st.integers(0, 14), st.sampled_from([0, 30, 45]),
    st.sampled_from(["hh:mm", "hhmm", "hh"]))


@settings(max_examples=300, deadline=None)
@given(layout=st.sampled_from(DATE_FORMATS), padded=st.booleans(),
       moment=st.datetimes(min_value=dt.datetime(1900, 1, 1),
                           max_value=dt.datetime(2199, 12, 31, 23, 59, 59)),
       offset=OFFSETS)
def test_every_layout_is_read_by_its_shape(sql, layout, padded, moment, offset):
    """Each layout is reached by when_by_shape (one try_strptime, no list), padded or not,
    its offset written in any ISO way. A zoned time is compared from 1980 on: Denmark's
    summer times before differ between time zone databases (since 2022 tzdata links
    Copenhagen to Berlin before 1970; DuckDB's ICU keeps Copenhagen's own)."""
    assume(not zoned(layout) or moment.year >= 1980)
    text = written(layout, moment, padded, offset)
    assert sql("when_by_shape(?)", text) == truncated(layout, moment, offset), text
    assert sql("parse_when(?)", text) == sensible(truncated(layout, moment, offset)), text


# --- Amounts -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, amount", [
    ("kr. 5.300,-", Decimal("5300")), ("5.300,- kr.", Decimal("5300")),
    ("Kr. 5.300,00", Decimal("5300")), ("5300 DKK", Decimal("5300")),
    ("DKK 5.300,50", Decimal("5300.50")), ("5300,-", Decimal("5300")),
    ("5300.-", Decimal("5300")), ("5\u00a0300,00 kr", Decimal("5300")),     # Excel's NBSP
    ("5 300,00 kr", Decimal("5300")),                  # ... made a space by the reader
    ("5\u202f300", Decimal("5300")), ("1.234.567,89", Decimal("1234567.89")),
    ("12 345,5", Decimal("12345.50")), ("kr5300", Decimal("5300")),
    ("8800.00", Decimal("8800")), ("5.30", Decimal("5.30")), ("0,00", Decimal("0")),
    ("5,300.00", None), ("53 00", None), ("5.3000", None), ("12.34.567", None),
    ("5.300,001", None), ("kr.", None), ("fem tusind", None), ("-5.300", None),
])
def test_amounts_as_people_write_them(sql, text, amount):
    assert sql("parse_amount(?)", text) == amount


# --- Imports of files as Danish Excel writes them ------------------------------------------

WORDS_ROWS = [
    "D1;LKS2022-04;Høje Taastrup;Anna Holm;10.1.2022, 09.15.00;Deltog;kr. 5.300,-;",
    "D2;LKS2022-04;Hoeje-Taastrup Kommune;Bo Berg;1-2-2022 9:05;Afbud;0,00;",
    "D3;LKS2022-04;Lyngby;Carl Dahl;2022-01-31T10:15;Ikke mødt;5.300,- kr.;",
    "D4;LKS2022-04;Ringkobing Skjern;Dorte Eg;10.1.2022 kl. 9.15;Fremmødt;5\u00a0300 kr;",
    "D5;LKS2022-04;Nordfyn;Erik Fog;10-1-2022;Udeblev;DKK 5.300;10.2.2022",
    "D6;LKS2022-04;Ærø;Freja Gran;10/1/2022 9.15;No-Show;5300,-;",
    "D7;LKS2022-04;Aero;Gitte Hald;10.1.2022,09:15;mødt op;;",
]
WORDS_STORED = [
    ("D1", 169, "Anna Holm", dt.datetime(2022, 1, 10, 9, 15), "attended", Decimal("5300"), None),
    ("D2", 169, "Bo Berg", dt.datetime(2022, 2, 1, 9, 5), "cancelled", Decimal("0"), None),
    ("D3", 173, "Carl Dahl", dt.datetime(2022, 1, 31, 10, 15), "no_show", Decimal("5300"), None),
    ("D4", 760, "Dorte Eg", dt.datetime(2022, 1, 10, 9, 15), "attended", Decimal("5300"), None),
    ("D5", 480, "Erik Fog", dt.datetime(2022, 1, 10), "no_show", Decimal("5300"),
     dt.date(2022, 2, 10)),
    ("D6", 492, "Freja Gran", dt.datetime(2022, 1, 10, 9, 15), "no_show", Decimal("5300"), None),
    ("D7", 492, "Gitte Hald", dt.datetime(2022, 1, 10, 9, 15), "attended", None, None),
]
REGISTRATIONS = ("SELECT r.registration_id, r.kommune_code, m.name, r.registered_at, r.status, "
                 "r.price_ex_vat, r.invoiced_at FROM registrations r JOIN mayors m "
                 "USING (mayor_id) ORDER BY 1")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_an_excel_csv_of_danish_words_loads_every_row(database, tmp_path, encoding):
    export = excel_csv(tmp_path / "tilmeldinger.csv", *WORDS_ROWS, encoding=encoding)
    result = import_files(database, [export])
    assert result.applied and not result.problems
    assert stored(database, REGISTRATIONS) == WORDS_STORED


def test_a_waiting_list_is_refused_as_no_status_and_an_unknown_word_as_unknown(database,
                                                                               tmp_path):
    export = excel_csv(tmp_path / "venteliste.csv",
                       "V1;LKS2022-04;Odense;Anna Holm;01-11-2022;Deltog;;",
                       "V2;LKS2022-04;Vejle;Bo Berg;01-11-2022;Venteliste;;",
                       "V3;LKS2022-04;Vejen;Carl Dahl;01-11-2022;På  venteliste;;",
                       "V4;LKS2022-04;Varde;Dorte Eg;01-11-2022;Waiting list;;",
                       "V5;LKS2022-04;Assens;Erik Fog;01-11-2022;Måske;;")
    result = import_files(database, [export], keep_going=True)
    reasons = {p.line: (p.column, p.value, p.reason) for p in result.problems}
    assert sorted(reasons) == [3, 4, 5, 6]
    assert reasons[3][:2] == ("Status", "Venteliste")
    assert reasons[3][2].startswith("venteliste er ikke en tilmeldingsstatus; ")
    assert reasons[4][2].startswith("på  venteliste er ikke en tilmeldingsstatus; ")
    assert reasons[5][2].startswith("waiting list er ikke en tilmeldingsstatus; ")
    assert reasons[6][2].startswith("ukendt status; tilladt: deltog, afbud, ikke mødt, tilmeldt")
    assert stored(database, "SELECT registration_id, status FROM registrations") == \
        [("V1", "attended")]


def test_an_ambiguous_municipality_is_refused_naming_the_candidates(database, tmp_path):
    with duckdb.connect(str(database)) as con:   # two made-up municipalities "Boe" spells
        con.execute("INSERT INTO municipalities VALUES (901, 'Bø', 'Region Sjælland', 1, 2023, "
                    "55.5, 11.5), (902, 'Bøe', 'Region Sjælland', 1, 2023, 55.5, 11.5)")
    export = excel_csv(tmp_path / "flertydig.csv",
                       "A1;LKS2022-04;Boe;Anna Holm;01-11-2022;Deltog;;",
                       "A2;LKS2022-04;Boe Kommune;Bo Berg;01-11-2022;Deltog;;",
                       "A3;LKS2022-04;Boee;Carl Dahl;01-11-2022;Deltog;;",
                       "A4;LKS2022-04;Bøø;Dorte Eg;01-11-2022;Deltog;;")
    result = import_files(database, [export], keep_going=True)
    reasons = {p.line: p.reason for p in result.problems}
    assert reasons == {
        2: "flertydigt kommunenavn: kan være Bø (901) eller Bøe (902); skriv kommunens kode",
        3: "flertydigt kommunenavn: kan være Bø (901) eller Bøe (902); skriv kommunens kode",
        5: "ukendt kommune; skriv kommunens navn eller kode (fx Aabenraa, Aabenraa Kommune "
           "eller 580)"}
    assert stored(database, "SELECT registration_id, kommune_code FROM registrations") == \
        [("A3", 902)]


def test_a_mayor_list_with_short_names_and_danish_dates(database, tmp_path):
    mayors = excel_csv(tmp_path / "borgmestre.csv",
                       "Nordfyn;Anna Holm;Venstre;1.1.2022;;ja",
                       "Vesthimmerlands Kommune;Bo Berg;Socialdemokratiet;1-1-2022;"
                       "30.6.2023 kl. 12.00;nej",
                       "Kgs. Lyngby;Carl Dahl;Konservative;2022-01-01T00:00;;ja",
                       header="Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt",
                       encoding="utf-8-sig")
    assert import_files(database, [mayors]).applied
    assert stored(database, "SELECT kommune_code, name, term_start, term_end FROM mayors "
                            "ORDER BY 1") == [
        (173, "Carl Dahl", dt.date(2022, 1, 1), None),
        (480, "Anna Holm", dt.date(2022, 1, 1), None),
        (820, "Bo Berg", dt.date(2022, 1, 1), dt.date(2023, 6, 30))]


def test_a_refused_amount_says_what_is_accepted(database, tmp_path):
    export = excel_csv(tmp_path / "beløb.csv",
                       "B1;LKS2022-04;Odense;Anna Holm;01-11-2022;Deltog;5,300.00;")
    result = import_files(database, [export])
    assert not result.applied
    (problem,) = result.problems
    assert (problem.line, problem.column, problem.value) == (2, "Pris", "5,300.00")
    assert problem.reason == (
        "ikke et beløb; skriv beløbet med komma før ører og punktum eller mellemrum mellem "
        "tusinder, evt. med kr. eller DKK før eller efter (fx 5.300,00, 5 300 kr., "
        "kr. 5.300,- eller 5300)")


def test_the_field_files_of_these_kinds_load_as_expected(database, tmp_path):
    """../shared/fixtures/import-field: 10-status-words.csv (with --keep-going, all but the
    Venteliste line) and 11-kommune-variants.csv, after the mayor list 00-borgmestre.xlsx."""
    import json

    field = PROJECT_ROOT.parent / "shared" / "fixtures" / "import-field"
    if not (field / "expected.json").is_file():
        pytest.skip(f"{field} is absent: the field files are not in this checkout")
    expected = json.loads((field / "expected.json").read_text(encoding="utf-8"))
    assert import_files(database, [field / "00-borgmestre.xlsx"]).applied
    for name, keep_going in (("10-status-words.csv", True), ("11-kommune-variants.csv", False)):
        copy = shutil.copy(field / name, tmp_path / name)
        result = import_files(database, [Path(copy)], keep_going=keep_going)
        assert result.files[0].people_added == 0
        assert result.files[0].loaded == len(expected[name])
    rows = stored(database, """
        SELECT r.session_id, r.kommune_code, m.name, strftime(r.registered_at, '%Y-%m-%d %H:%M:%S'),
               r.status, CAST(r.price_ex_vat AS VARCHAR), CAST(r.invoiced_at AS VARCHAR)
        FROM registrations r JOIN mayors m USING (mayor_id)""")
    want = [tuple(row.values()) for name in ("10-status-words.csv", "11-kommune-variants.csv")
            for row in expected[name]]
    assert sorted(rows, key=str) == sorted(want, key=str)
