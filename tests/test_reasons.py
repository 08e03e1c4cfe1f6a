"""Reject reasons are codes with their values (etl.reasons), said in Danish or in English:
the catalogue is whole, real bad files give code and params, the audit trail keeps them, the
Data page says them in the reader's language, and no module writes a reason of its own."""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
import string
from pathlib import Path

import duckdb
import pytest

from dashboard import i18n
from dashboard.uploads import reason_text
from etl import aliases, importer, kinds, readers, reasons
from etl.errors import SourceError, SourceProblem
from etl.importer import import_files
from etl.paths import PROJECT_ROOT
from etl.upgrade import upgrade_database
from tests import field_files
from tests.conftest import ADMIN
from tests.test_import_reading import workbook

HEADER = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status", "Pris",
          "Faktureret"]
GOOD = ["R1", "LKS2022-04", "Odense", "Anna Holm", "01-11-2022", "deltog", "", ""]

# Danish words that never stand in an English reason (values and names aside).
DANISH = re.compile(r"\b(ikke|skriv|gem|filen|mangler|ukendt|kolonner?|linje|rækken?|"
                    r"arket|eller|værdien)\b", re.I)
# Danish values an English reason quotes: accepted words, examples, the file's own text.
VALUES = re.compile(r"venteliste|ikke mødt|Aabenraa Kommune")


def danish_in(english: str) -> re.Match | None:
    """A Danish word in an English reason, the Danish values it quotes aside."""
    return DANISH.search(VALUES.sub("", english))


def sample(spec: str) -> str:
    """A param's text for a spec, as the importer gives it."""
    return {"count": "7996", "mb": str(250 * 2**20), "control": "U+000D", "others": "7996",
            "lacks": "Session / Session ID / Sessions-ID=|Navn / Borgmester="
                     "Fornavn+Efternavn",
            "or": "Bø (901)|Bo (902)", "kind": "registrations", "delimiter": ";",
            "known": "", "quoted": "Ark 2", "columns": "Navn=5|Navn=9"}.get(spec, "Værdi 'x' 7")


# --- The catalogue -------------------------------------------------------------------------

def test_every_code_has_both_languages_with_the_same_fields():
    for code, texts in reasons.REASONS.items():
        assert set(texts) == set(reasons.LANGUAGES), code
        da, en = (reasons.fields(texts[lang]) for lang in reasons.LANGUAGES)
        assert da == en, code
        assert set(da.values()) <= set(reasons.SPECS) | {""}, code
        assert re.fullmatch(r"[a-z][a-z_]*", code), code
        params = {name: sample(spec) for name, spec in da.items()}
        said = {lang: reasons.render(code, params, lang) for lang in reasons.LANGUAGES}
        assert said["da"] != said["en"], code
        assert "{" not in said["da"] + said["en"], code


def test_every_kind_of_file_and_delimiter_is_said_in_both_languages():
    """A refusal names the closest kind (etl.kinds) and the delimiter read: each is said."""
    assert set(reasons.KIND_SAID) == set(kinds.BY_NAME)
    assert set(reasons.DELIMITER_SAID) == {";", ",", "\t"}
    for said in [*reasons.KIND_SAID.values(), *reasons.DELIMITER_SAID.values(),
                 *reasons.CONTROL_NAMES.values()]:
        assert set(said) == set(reasons.LANGUAGES)


def test_a_problem_takes_only_a_known_code_with_exactly_its_fields():
    with pytest.raises(KeyError):
        SourceProblem("x.csv", 2, None, "ukendt kommune")
    with pytest.raises(ValueError):
        SourceProblem("x.csv", 2, None, "municipality_ambiguous")   # lacks candidates
    with pytest.raises(ValueError):
        SourceProblem("x.csv", 2, None, "value_missing", {"extra": "1"})
    problem = SourceProblem("x.csv", 2, "Pris", "too_many_rows", {"limit": 2_000_000})
    assert problem.params == {"limit": "2000000"}       # values kept as text
    assert problem.reason.startswith("filen har flere end 2.000.000 datarækker")
    assert problem.text("en").startswith("the file has more than 2,000,000 data rows")
    assert str(problem) == f"x.csv, linje 2, kolonne Pris: {problem.reason}"


def sql_reasons() -> list[str]:
    return [*importer.SQL_REASONS, *dict.fromkeys(readers.STRUCTURE_REASONS.values())]


@pytest.mark.parametrize("others", ["0", "1", "7996"])
def test_the_reasons_made_in_sql_say_in_sql_what_python_says(others):
    """rejected_rows' Danish text is made in SQL from the same templates: for every reason a
    reject made in SQL can have, the SQL text is Python's, value for value."""
    con = duckdb.connect()
    codes = sql_reasons()
    for code in codes:
        params = {name: others if spec in ("others", "count") else sample(spec)
                  for name, spec in reasons.fields(reasons.REASONS[code]["da"]).items()}
        if "char" in params:
            params["char"] = {"0": "U+000D", "1": "U+001C", "7996": "U+0000"}[others]
        said = con.execute(f"SELECT {reasons.sql_render('code', 'params', codes)} FROM "
                           "(SELECT ? AS code, ?::MAP(VARCHAR, VARCHAR) AS params)",
                           [code, params]).fetchone()[0]
        assert said == reasons.render(code, params, "da"), code


def literal_parts(template: str) -> list[str]:
    return [text for text, *_ in string.Formatter().parse(template)]


def etl_modules() -> list[Path]:
    return sorted(p for p in (PROJECT_ROOT / "etl").glob("*.py") if p.name != "reasons.py")


def constants(tree: ast.AST) -> list[str]:
    """Every string constant of a module's code but its docstrings (f-strings' parts too)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def is_code(node: ast.AST | None) -> bool:
    """Whether a call's argument is a code: a literal one of REASONS, a name or attribute
    holding one (its SourceProblem checks it), or a choice between such."""
    if isinstance(node, ast.Constant):
        return node.value in reasons.REASONS
    if isinstance(node, ast.IfExp):
        return is_code(node.body) and is_code(node.orelse)
    return isinstance(node, (ast.Name, ast.Attribute))


def test_no_module_writes_a_reason_outside_the_catalogue():
    """The practical rule: a problem is made from a code (SourceProblem checks it is one of
    REASONS, with exactly its fields), every code written in a module is one of REASONS, and
    no module holds a piece of a reason's Danish text (the catalogue says it once)."""
    pieces = {part.strip(" ;,.()") for texts in reasons.REASONS.values()
              for part in literal_parts(texts["da"])}
    pieces = {p for p in pieces if len(p) >= 14}
    problems = []
    for path in etl_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in constants(tree):
            problems += [(path.name, piece) for piece in pieces if piece in text]
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                    "SourceProblem", "refuse", "_refuse", "ReasonedValueError"):
                position = {"SourceProblem": 3, "refuse": 1, "_refuse": 2,
                            "ReasonedValueError": 0}[node.func.id]
                code = node.args[position] if len(node.args) > position else None
                if not is_code(code):
                    problems.append((path.name, ast.unparse(node)[:80]))
    assert problems == []
    # The codes a reject made in SQL can have are codes; their SQL names no other.
    assert set(sql_reasons()) <= set(reasons.REASONS)
    sql = " ".join(c for p in ("importer.py", "readers.py")
                   for c in constants(ast.parse((PROJECT_ROOT / "etl" / p).read_text())))
    quoted = set(re.findall(r"'([a-z]+(?:_[a-z]+)+)'", sql))
    assert quoted & set(reasons.REASONS) <= set(sql_reasons())


# --- Real bad files ------------------------------------------------------------------------

def rows(*lines: list[str]) -> list[list[str]]:
    return [HEADER, GOOD, *lines]


def test_a_danish_excel_csv_gives_codes_and_values_said_in_both_languages(database, tmp_path):
    path = tmp_path / "eksport.csv"
    path.write_bytes(field_files.excel_windows_csv(rows(
        ["R2", "LKS2022-04", "Gotham", "Bo Berg", "01-11-2022", "deltog", "", ""],
        ["R3", "LKS2022-04", "Aarhus", "Carl", "01-11-2022", "Venteliste", "", ""],
        ["R4", "LKS2022-04", "Aarhus", "Dan", "01-11-2022", "deltog", "5,300.00", ""],
        ["R5", "04-04-2023", "Aarhus", "Eva", "01-11-2022", "deltog", "", ""],
        ["R6", "LKS2022-04", "Aarhus", "Finn\rx", "01-11-2022", "deltog", "", ""],
        ["R7", "LKS2022-04", "Aarhus", "Gitte", "01-11-2022"],
    )))
    result = import_files(database, [path])
    got = {p.line: (p.column, p.code, p.params) for p in result.problems}
    assert got == {
        3: ("Kommune", "municipality_unknown", {}),
        4: ("Status", "status_not_a_status", {"word": "venteliste"}),
        5: ("Pris", "amount_invalid", {}),
        6: ("Session", "session_day_none", {}),
        7: ("Navn", "control_character", {"char": "U+000D", "position": "5"}),
        8: (None, "record_missing_fields", {"columns": "8"}),
    }
    said = {p.line: (p.reason, p.text("en")) for p in result.problems}
    assert said[3][0].startswith("ukendt kommune; skriv kommunens navn eller kode")
    assert said[3][1].startswith("unknown municipality; write the municipality's name or code")
    assert said[4] == (
        "venteliste er ikke en tilmeldingsstatus; en plads på venteliste eller som reserve er "
        "ingen tilmelding: udelad linjen, eller skriv en status; tilladt: deltog, afbud, "
        "ikke mødt, tilmeldt (eller attended, cancelled, no show, registered); se README for "
        "alle ord",
        "venteliste is not a registration status; a place on a waiting list or as a reserve is "
        "no registration: leave the line out, or write a status; allowed: deltog, afbud, ikke "
        "mødt, tilmeldt (or attended, cancelled, no show, registered); see the README for "
        "every word")
    assert said[7] == ("ugyldigt tegn: vognretur (CR) som tegn nr. 5; fjern linjeskift og "
                       "usynlige tegn fra feltet og gem filen igen",
                       "invalid character: carriage return (CR) as character no. 5; remove "
                       "line breaks and invisible characters from the field and save the file "
                       "again")
    assert said[8][1].startswith("too few fields; the header has 8;")
    for _da, en in said.values():
        assert not danish_in(en), en
    # The audit trail: every reject with its code and values, its Danish text made in SQL.
    with duckdb.connect(str(database), read_only=True) as con:
        kept = con.execute("SELECT line, reason, reason_code, reason_params FROM rejected_rows "
                           "ORDER BY line").fetchall()
    assert [(line, code, params) for line, _r, code, params in kept] == \
        [(line, code, params) for line, (_c, code, params) in sorted(got.items())]
    assert [reason for _l, reason, *_ in kept] == [said[line][0] for line in sorted(said)]


def test_a_conflict_names_the_other_lines_in_both_languages(database, tmp_path):
    twice = [["R9", "LKS2022-04", "Aarhus", f"Person {n}", "01-11-2022", "deltog", "", ""]
             for n in range(8)]
    path = tmp_path / "dobbelt.csv"
    path.write_bytes(field_files.excel_csv_utf8(rows(*twice)))
    result = import_files(database, [path])
    first = result.problems[0]
    assert (first.line, first.code, first.params) == (
        3, "id_conflict", {"lines": "4, 5, 6, 7, 8", "more": "2"})
    assert first.reason == ("samme tilmeldings-id med andet indhold på linje 4, 5, 6, 7, 8 "
                            "og 2 andre")
    assert first.text("en") == ("the same registration id with other content on line "
                                "4, 5, 6, 7, 8 and 2 others")
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT reason FROM rejected_rows WHERE line = 3").fetchone() == (
            first.reason,)


def test_an_ambiguous_municipality_names_its_candidates_in_both_languages():
    problem = SourceProblem("x.csv", 2, "Kommune", "municipality_ambiguous",
                            {"candidates": "Bø (901)|Bo (902)"})
    assert problem.reason == ("flertydigt kommunenavn: kan være Bø (901) eller Bo (902); "
                              "skriv kommunens kode")
    assert problem.text("en") == ("ambiguous municipality name: may be Bø (901) or Bo (902); "
                                  "write the municipality's code")


def test_an_ambiguous_form_in_a_file_gives_its_candidates_as_a_list(database, tmp_path,
                                                                   monkeypatch):
    """No real municipality's form is ambiguous today (tests/test_import_words checks); one
    made so here is rejected with its candidates as a list, said with "eller" / "or"."""
    forms = aliases.municipality_forms
    monkeypatch.setattr(aliases, "municipality_forms",
                        lambda places: {**forms(places), "bofjord": [101, 147]})
    path = tmp_path / "flertydig.csv"
    path.write_bytes(field_files.excel_csv_utf8(rows(
        ["R2", "LKS2022-04", "Bofjord", "Bo Berg", "01-11-2022", "deltog", "", ""])))
    (problem,) = import_files(database, [path]).problems
    assert (problem.code, problem.params) == (
        "municipality_ambiguous", {"candidates": "København (101)|Frederiksberg (147)"})
    assert "kan være København (101) eller Frederiksberg (147);" in problem.reason
    assert "may be København (101) or Frederiksberg (147);" in problem.text("en")


def test_whole_file_refusals_give_codes_said_in_both_languages(database, tmp_path):
    # Every sheet hidden (a macro did it; openpyxl will not write it: set in the XML after).
    hidden = workbook(tmp_path / "skjult.xlsx", [("Data", "hidden", [HEADER, GOOD]),
                                                ("Lister", "hidden", [["x"]])], active=0)
    header_only = tmp_path / "tom.csv"
    header_only.write_bytes(field_files.excel_csv_utf8([HEADER]))
    wrong = tmp_path / "forkert.csv"
    wrong.write_bytes(field_files.excel_csv_utf8([["Navn", "Parti"], ["Anna", "A"]]))
    said = {}
    for path in (hidden, header_only, wrong):
        with pytest.raises(SourceError) as refused:
            import_files(database, [path])
        (problem,) = refused.value.problems
        said[path.name] = (problem.code, problem.params, problem.reason, problem.text("en"))
    assert said["skjult.xlsx"] == (
        "sheets_all_hidden", {"sheets": "Data, Lister"},
        "alle arbejdsbogens ark er skjulte; vis arket med tabellen i Excel (Vis ark), eller "
        "vælg det med --sheet NAVN; arkene hedder Data, Lister",
        "all the workbook's sheets are hidden; show the sheet with the table in Excel "
        "(Unhide), or choose it with --sheet NAME; the sheets are called Data, Lister")
    assert said["tom.csv"][:2] == ("no_data_rows", {})
    code, params, da, en = said["forkert.csv"]
    assert (code, params["kind"], params["known"]) == ("columns_missing", "mayors", "Navn, Parti")
    assert "filen ligner mest en borgmesterliste, men dens overskrift har kun Navn, Parti af" in da
    assert "the file looks most like a mayor list, but its header has only Navn, Parti of" in en
    assert "(Kommune / Kommunekode / Kommunenavn, eller Organisation; " in da
    assert "(Kommune / Kommunekode / Kommunenavn, or Organisation; " in en
    assert not danish_in(en), en
    # A refusal is on record with its code too.
    with duckdb.connect(str(database), read_only=True) as con:
        assert ("sheets_all_hidden", {"sheets": "Data, Lister"}) in con.execute(
            "SELECT reason_code, reason_params FROM rejected_rows").fetchall()


def test_an_encoding_that_cannot_be_told_names_the_candidates_in_both_languages(tmp_path):
    path = tmp_path / "blandet.csv"
    path.write_bytes(";".join(HEADER).encode() + b"\r\n" + "Søren;Aarhus".encode()
                     + b"\r\n" + "Søren;Aarhus".encode("cp1252") + b"\r\n")
    with pytest.raises(SourceError) as refused:
        readers.stage_file(duckdb.connect(), path, "t")
    (problem,) = refused.value.problems
    assert (problem.code, problem.params) == ("encoding_unclear",
                                              {"candidates": "Windows-1252|Mac Roman"})
    assert "Windows-1252 eller Mac Roman" in problem.reason
    assert problem.text("en").startswith("cannot tell the character set: Windows-1252 or Mac "
                                         "Roman")


# --- Old audit rows ----------------------------------------------------------------------

def test_an_upgraded_database_keeps_old_rejects_without_a_code(demo_database, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(demo_database, old)
    with duckdb.connect(str(old)) as con:
        con.execute("ALTER TABLE rejected_rows DROP COLUMN reason_params")
        con.execute("ALTER TABLE rejected_rows DROP COLUMN reason_code")
        run = con.execute("SELECT max(run_id) FROM import_runs").fetchone()[0]
        con.execute("INSERT INTO rejected_rows VALUES (?, 'a.csv', 2, 'Kommune', 'Gotham', "
                    "'ukendt kommune', 'x')", [run])
    assert upgrade_database(old).added == ["rejected_rows.reason_code",
                                           "rejected_rows.reason_params"]
    with duckdb.connect(str(old), read_only=True) as con:
        assert con.execute("SELECT reason, reason_code, reason_params FROM rejected_rows "
                           "WHERE file = 'a.csv'").fetchall() == [("ukendt kommune", None, None)]


# --- The Data page -------------------------------------------------------------------------

def test_a_problem_kept_before_codes_is_shown_as_it_was_kept():
    assert reason_text({"reason": "ukendt kommune"}, "en") == "ukendt kommune"
    assert reason_text({"reason": "x", "code": "value_missing", "params": {}}, "en") == \
        "the value is missing"


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_data_page_says_reasons_in_the_readers_language(app, app_database, lang):
    from tests.test_data_page import client_as, finished, token_of, upload

    client = client_as(app, ADMIN)
    client.set_cookie(i18n.COOKIE, lang)
    bad = field_files.excel_windows_csv(rows(
        ["R2", "LKS2022-04", "Gotham", "Bo Berg", "01-11-2022", "deltog", "", ""]))
    # The rejects are a table, sent as its escaped markup (dashboard.html_table): read as text.
    shown = html.unescape(json.dumps(finished(client, token_of(upload(client, bad,
                                                                      "eksport.csv"))),
                                     ensure_ascii=False))
    refused = json.dumps(finished(client, token_of(upload(
        client, field_files.excel_csv_utf8([HEADER]), "tom.csv"))), ensure_ascii=False)
    expected = {"en": ("unknown municipality; write the municipality's name or code",
                       "the file has no data rows, only a header"),
                "da": ("ukendt kommune; skriv kommunens navn eller kode",
                       "filen har ingen datarækker, kun en overskrift")}[lang]
    other = {"en": "da", "da": "en"}[lang]
    assert expected[0] in shown and expected[1] in refused
    unexpected = {"en": ("unknown municipality", "the file has no data rows"),
                  "da": ("ukendt kommune", "filen har ingen datarækker")}[other]
    assert unexpected[0] not in shown and unexpected[1] not in refused
