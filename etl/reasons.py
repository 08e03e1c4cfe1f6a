"""Every reason a source file's problem can have, declared once: a code, and its text in
Danish and in English with the same named fields.

A problem (etl.errors.SourceProblem) carries its code and its values (`params`, a dict of
str); its text is `render(code, params, lang)`. The command line and the audit trail
(`rejected_rows.reason`) say it in Danish; the Data page in the reader's language. Rejects
found in SQL (etl.importer, etl.readers) carry code and params as columns, and their Danish
text is made in SQL by `sql_render`, from the same templates.

A template's field is `{name}` (the value as given) or `{name:spec}`, where `spec` names a
way of saying the value in each language (SPECS: a count "2.000.000" / "2,000,000", a size in
MB, a control character's name, ...). `sql_render` knows the specs of SQL_SPECS.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping

from etl.aliases import STATUS_WORDS

LANGUAGES = ("da", "en")

# The control characters people meet, by name; any other is named by its code point (a param
# holds a control character as its code point, "U+000D").
CONTROL_NAMES = {13: {"da": "vognretur (CR)", "en": "carriage return (CR)"},
                 10: {"da": "linjeskift (LF)", "en": "line feed (LF)"},
                 9: {"da": "tabulator (TAB)", "en": "tab (TAB)"},
                 0: {"da": "nul-tegn (NUL)", "en": "null character (NUL)"}}
OTHER_CONTROL = {"da": "styretegn {point}", "en": "control character {point}"}

# The kinds of file (etl.kinds.KINDS' names) as a message names them.
KIND_SAID = {"registrations": {"da": "en tilmeldingsliste", "en": "a registration list"},
             "mayors": {"da": "en borgmesterliste", "en": "a mayor list"},
             "schedule": {"da": "en sessionsplan", "en": "a programme schedule"},
             "price_list": {"da": "en prisliste", "en": "a price list"}}
DELIMITER_SAID = {";": {"da": "semikolon", "en": "semicolon"},
                  ",": {"da": "komma", "en": "comma"},
                  "\t": {"da": "tabulator", "en": "tab"}}
OR = {"da": " eller ", "en": " or "}
AND = {"da": " og ", "en": " and "}
# A list in one param: its items joined by this (the `or` and `lacks` specs split on it).
LIST_SEPARATOR = "|"


def code_point(char: str) -> str:
    """A character as a param holds it: "\\r" -> "U+000D"."""
    return f"U+{ord(char):04X}"


def count_said(n: int, lang: str = "da") -> str:
    """A count as a message says it: 2000000 -> "2.000.000" (da) / "2,000,000" (en)."""
    shown = f"{n:,}"
    return shown.replace(",", ".") if lang == "da" else shown


def _count(text: str, lang: str) -> str:
    return count_said(int(text), lang)


def _mb(text: str, lang: str) -> str:
    """Bytes as megabytes: 250 MB, 1.024 MB; one decimal below 100 (10,3 MB / 10.3 MB)."""
    size = int(text)
    if size < 100 * 2**20:
        shown = f"{size / 2**20:.1f} MB"
        return shown.replace(".", ",") if lang == "da" else shown
    return count_said(round(size / 2**20), lang) + " MB"


def _control(text: str, lang: str) -> str:
    point = int(text.removeprefix("U+"), 16)
    if point in CONTROL_NAMES:
        return CONTROL_NAMES[point][lang]
    return OTHER_CONTROL[lang].format(point=text)


def _others(text: str, lang: str) -> str:
    """How many more lines than those named: "" (none), " og 1 anden", " og 7.996 andre"."""
    n = int(text)
    if not n:
        return ""
    word = {"da": ("anden", "andre"), "en": ("other", "others")}[lang][n != 1]
    return f"{AND[lang]}{_count(text, lang)} {word}"


def _columns(text: str, lang: str) -> str:
    """Columns by header and number: "Navn=5|Navn=9" -> "'Navn' (kolonne 5) og 'Navn'
    (kolonne 9)" / "'Navn' (column 5) and 'Navn' (column 9)"."""
    word = {"da": "kolonne", "en": "column"}[lang]
    named = [f"'{header}' ({word} {number})"
             for header, number in (entry.rsplit("=", 1) for entry in text.split(LIST_SEPARATOR))]
    return ", ".join(named[:-1]) + AND[lang] + named[-1]


def _lacks(text: str, lang: str) -> str:
    """The fields a header lacks: "H1 / H2 / H3=S1+S2" entries joined by '|' ->
    "H1 / H2 / H3, eller S1 og S2; ..." (H: the first names the field goes by, S: the headers
    of its stand-ins). Fields are named by their headers, as the file would have them, never
    by the database's identifiers."""
    said = []
    for entry in text.split(LIST_SEPARATOR):
        headers, stand_ins = entry.split("=")
        part = headers
        if stand_ins:
            part += "," + OR[lang] + AND[lang].join(stand_ins.split("+"))
        said.append(part)
    return "; ".join(said)


# How each spec says a param's text in a language.
SPECS: dict[str, Callable[[str, str], str]] = {
    "count": _count,
    "mb": _mb,
    "control": _control,
    "others": _others,
    "lacks": _lacks,
    "columns": _columns,
    "or": lambda text, lang: OR[lang].join(text.split(LIST_SEPARATOR)),
    "kind": lambda text, lang: KIND_SAID[text][lang],
    # a delimiter set by a sep= line may be any character: named by itself then
    "delimiter": lambda text, lang: DELIMITER_SAID.get(text, {}).get(lang, f"'{text}'"),
    "known": lambda text, lang: text or {"da": "ingen kendte kolonner",
                                         "en": "no known columns"}[lang],
    "quoted": lambda text, lang: repr(text),
}


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_count(x: str) -> str:
    return f"replace(format('{{:,}}', CAST({x} AS BIGINT)), ',', '.')"


# The specs in DuckDB SQL, in Danish (the text rejected_rows keeps); `{x}` is the param.
SQL_SPECS: dict[str, str] = {
    "count": _sql_count("{x}"),
    "control": "CASE {x} " + " ".join(
        f"WHEN {_sql_text(code_point(chr(p)))} THEN {_sql_text(n['da'])}"
        for p, n in CONTROL_NAMES.items())
        + f" ELSE {_sql_text(OTHER_CONTROL['da'].split('{')[0])} || {{x}} END",
    "others": f"CASE WHEN CAST({{x}} AS BIGINT) = 0 THEN '' ELSE {_sql_text(AND['da'])} || "
              f"{_sql_count('{x}')} || CASE WHEN CAST({{x}} AS BIGINT) = 1 THEN ' anden' "
              "ELSE ' andre' END END",
    "or": f"replace({{x}}, {_sql_text(LIST_SEPARATOR)}, {_sql_text(OR['da'])})",
}

# Hints said in several reasons.
_SAVE_UTF8 = {"da": "gem filen som CSV (UTF-8) eller som Excel-fil",
              "en": "save the file as CSV (UTF-8) or as an Excel file"}
_SAVE_CSV = {"da": "gem filen igen som CSV fra Excel",
             "en": "save the file again as CSV from Excel"}
_REPAIR_XLSX = {"da": "åbn filen i Excel og gem den igen, eller gem den som CSV",
                "en": "open the file in Excel and save it again, or save it as CSV"}
_DATE = {"da": "skriv datoen som dd-mm-åååå, dd.mm.åååå, dd/mm/åååå eller åååå-mm-dd, evt. med "
               "klokkeslæt tt:mm eller tt.mm (fx 10.1.2022 09.15 eller 2022-01-10T09:15)",
         "en": "write the date as dd-mm-yyyy, dd.mm.yyyy, dd/mm/yyyy or yyyy-mm-dd, perhaps "
               "with a time hh:mm or hh.mm (e.g. 10.1.2022 09.15 or 2022-01-10T09:15)"}
_AMOUNT = {"da": "skriv beløbet med komma før ører og punktum eller mellemrum mellem "
                 "tusinder, evt. med kr. eller DKK før eller efter (fx 5.300,00, 5 300 kr., "
                 "kr. 5.300,- eller 5300)",
           "en": "write the amount with a comma before the øre and a point or a space between "
                 "thousands, perhaps with kr. or DKK before or after (e.g. 5.300,00, "
                 "5 300 kr., kr. 5.300,- or 5300)"}
_DANISH_WORDS = ", ".join(words[0] for words in STATUS_WORDS.values())
_ENGLISH_WORDS = ", ".join(status.replace("_", " ") for status in STATUS_WORDS)
_STATUS = {"da": f"tilladt: {_DANISH_WORDS} (eller {_ENGLISH_WORDS}); se README for alle ord",
           "en": f"allowed: {_DANISH_WORDS} (or {_ENGLISH_WORDS}); see the README for every "
                 "word"}
_MUNICIPALITY = {"da": "skriv kommunens navn eller kode (fx Aabenraa, Aabenraa Kommune eller "
                       "580)",
                 "en": "write the municipality's name or code (e.g. Aabenraa, Aabenraa "
                       "Kommune or 580)"}
_ID_OWN = {"da": "; et id gælder kun i det system, der gav det; ret id'et, eller indlæs filen "
                 "uden id-kolonnen, hvis id'erne ikke er tilmeldingernes egne",
           "en": "; an id holds only in the system that gave it; correct the id, or import the "
                 "file without the id column if the ids are not the registrations' own"}


def _both(da: str, en: str, *hints: dict[str, str], joint: str = "; ") -> dict[str, str]:
    """A reason's two templates, each followed by the hints' texts in its language."""
    return {"da": joint.join([da, *(h["da"] for h in hints)]),
            "en": joint.join([en, *(h["en"] for h in hints)])}


# --- The catalogue: code -> {"da": template, "en": template} ---------------------------------
REASONS: dict[str, dict[str, str]] = {
    # The database the import writes to.
    "database_missing": _both("databasen findes ikke; byg den først med "
                              "`python -m etl build --no-demo`",
                              "the database does not exist; build it first with "
                              "`python -m etl build --no-demo`"),
    "database_outdated": _both(
        "er bygget med en ældre datamodel (mangler eller har en ældre udgave af {missing}). "
        "Opgradér den med "
        "`python -m etl upgrade --db {database}`: den beholder alle data og skifter først "
        "filen ud, når opgraderingen er lykkedes.",
        "was built with an older data model (it lacks, or has an older version of, {missing}). "
        "Upgrade it with "
        "`python -m etl upgrade --db {database}`: it keeps all data and replaces the file "
        "only when the upgrade has succeeded."),
    "import_too_big": _both(
        "filen kræver mere, end en import må bruge ({memory} hukommelse og {temp} midlertidig "
        "plads på disken); del den i mindre filer",
        "the file needs more than an import may use ({memory} of memory and {temp} of "
        "temporary space on disk); split it into smaller files"),
    # A file refused whole: reading it.
    "file_missing": _both("filen findes ikke", "the file does not exist"),
    "path_is_folder": _both("det er en mappe, ikke en fil; angiv eksportfilen i mappen (CSV "
                            "eller .xlsx)",
                            "this is a folder, not a file; give the export file in it (CSV or "
                            ".xlsx)"),
    "xls_format": _both("det gamle Excel-format (.xls) kan ikke læses; gem filen som .xlsx "
                        "eller CSV",
                        "the old Excel format (.xls) cannot be read; save the file as .xlsx "
                        "or CSV"),
    "file_too_big": _both("filen fylder {size:mb}; grænsen for én import er {limit:mb}; del "
                          "den i flere filer",
                          "the file takes {size:mb}; the limit for one import is {limit:mb}; "
                          "split it into several files"),
    "no_data_rows": _both("filen har ingen datarækker, kun en overskrift; intet er indlæst; "
                          "vælg den fil (eller det ark), der har rækkerne",
                          "the file has no data rows, only a header; nothing is loaded; "
                          "choose the file (or the sheet) that has the rows"),
    "file_empty": _both("filen er tom", "the file is empty"),
    "too_many_rows": _both("filen har flere end {limit:count} datarækker, som er grænsen for "
                           "én import; del den i flere filer",
                           "the file has more than {limit:count} data rows, which is the "
                           "limit for one import; split it into several files"),
    "too_many_columns": _both("overskriften har {columns:count} kolonner; grænsen er "
                              "{limit:count}; slet de kolonner, der ikke skal bruges",
                              "the header has {columns:count} columns; the limit is "
                              "{limit:count}; delete the columns that are not needed"),
    "too_many_columns_unknown": _both(
        "overskriften har mere end {limit:count} kolonner; grænsen er {limit:count}; slet de "
        "kolonner, der ikke skal bruges",
        "the header has more than {limit:count} columns; the limit is {limit:count}; delete "
        "the columns that are not needed"),
    "header_too_long": _both(
        "overskriften (linje {line}) er længere end {limit:count} tegn; er linjeskiftene "
        "efter overskriften væk? gem filen igen som CSV fra Excel",
        "the header (line {line}) is longer than {limit:count} characters; are the line "
        "breaks after the header gone? save the file again as CSV from Excel"),
    "header_unreadable": _both(
        "overskriften kan ikke læses som CSV (et citationstegn, der ikke lukkes?); gem filen "
        "som CSV fra Excel",
        "the header cannot be read as CSV (a quotation mark that is not closed?); save the "
        "file as CSV from Excel"),
    "header_controls": _both(
        "overskriften har usynlige styretegn ({char:control} i kolonne {column}), så filen er "
        "ikke en eksport som gemt fra Excel; gem den som CSV (UTF-8) eller som Excel-fil",
        "the header has invisible control characters ({char:control} in column {column}), so "
        "the file is not an export as Excel saves it; save it as CSV (UTF-8) or as an Excel "
        "file"),
    "csv_unreadable": _both("filen kan ikke læses som CSV; gem den igen som CSV fra Excel "
                            "(semikolon-separeret)",
                            "the file cannot be read as CSV; save it again as CSV from Excel "
                            "(semicolon-separated)"),
    "stray_cr": _both("et linjeskift-tegn (CR) står alene midt i en række; fjern det, eller "
                      "gem filen igen som CSV fra Excel",
                      "a line break character (CR) stands alone inside a row; remove it, or "
                      "save the file again as CSV from Excel"),
    "too_many_broken": _both(
        "{broken:count} af {records:count} rækker kan ikke læses med overskriftens kolonner "
        "og skilletegn ({delimiter:delimiter}), så filen er ikke en eksport af den rigtige "
        "slags; intet er indlæst; tjek at det er den rigtige fil, og gem den igen som CSV fra "
        "Excel (semikolon-separeret)",
        "{broken:count} of {records:count} rows cannot be read with the header's columns and "
        "delimiter ({delimiter:delimiter}), so the file is not an export of the right kind; "
        "nothing is loaded; check that it is the right file, and save it again as CSV from "
        "Excel (semicolon-separated)"),
    # Bytes to text (etl.decode).
    "bom_mismatch": _both("filen begynder som {encoding} (BOM), men er det ikke",
                          "the file begins as {encoding} (BOM), but is not", _SAVE_UTF8),
    "encoding_unclear": _both(
        "kan ikke afgøre tegnsættet: {candidates:or} (filen er ikke UTF-8, og æ, ø og å kan "
        "være skrevet på begge måder)",
        "cannot tell the character set: {candidates:or} (the file is not UTF-8, and æ, ø and "
        "å may be written either way)", _SAVE_UTF8),
    # Workbooks (XLSX).
    "xlsx_invalid": _both("ikke en gyldig XLSX-fil (filen er beskadiget eller af en anden "
                          "type)",
                          "not a valid XLSX file (the file is damaged or of another type)"),
    "xlsx_zip_bomb": _both("udpakket fylder filen {size:mb}; grænsen er {limit:mb} (en "
                           "zip-bombe?)",
                           "unpacked, the file takes {size:mb}; the limit is {limit:mb} (a zip "
                           "bomb?)"),
    "xlsx_broken": _both("filen er beskadiget og kan ikke læses som XLSX",
                         "the file is damaged and cannot be read as XLSX", _REPAIR_XLSX),
    "xlsx_strings_too_big": _both(
        "tekstlisten {part} i filen fylder udpakket {size:mb}, over grænsen på {limit:mb} "
        "(Excels egne fylder langt mindre), så filen er beskadiget eller lavet til at fylde",
        "the text list {part} in the file takes {size:mb} unpacked, over the limit of "
        "{limit:mb} (Excel's own are far smaller), so the file is damaged or made to fill",
        _REPAIR_XLSX),
    "xlsx_part_too_big": _both(
        "delen {part} i filen fylder udpakket {size:mb}, over grænsen på {limit:mb} (Excels "
        "egne fylder langt mindre), så filen er beskadiget eller lavet til at fylde",
        "the part {part} in the file takes {size:mb} unpacked, over the limit of {limit:mb} "
        "(Excel's own are far smaller), so the file is damaged or made to fill",
        _REPAIR_XLSX),
    "sheet_missing": _both("arket {sheet:quoted} findes ikke; arkene hedder {sheets}",
                           "the sheet {sheet:quoted} does not exist; the sheets are called "
                           "{sheets}"),
    "no_sheets": _both("arbejdsbogen har ingen ark, der kan læses",
                       "the workbook has no sheet that can be read", _REPAIR_XLSX),
    "sheets_all_hidden": _both(
        "alle arbejdsbogens ark er skjulte; vis arket med tabellen i Excel (Vis ark), eller "
        "vælg det med --sheet NAVN; arkene hedder {sheets}",
        "all the workbook's sheets are hidden; show the sheet with the table in Excel "
        "(Unhide), or choose it with --sheet NAME; the sheets are called {sheets}"),
    "too_many_merged": _both("arket har flere end {limit:count} flettede celleområder; ophæv "
                             "fletningen i Excel (Flet og centrer), eller gem arket som CSV",
                             "the sheet has more than {limit:count} merged cell ranges; unmerge "
                             "them in Excel (Merge & Center), or save the sheet as CSV"),
    "sheet_broken": _both("arket er beskadiget og kan ikke læses fra række {row}",
                          "the sheet is damaged and cannot be read from row {row}",
                          _REPAIR_XLSX),
    "sheet_past_last_row": _both("arket har rækker efter Excels sidste række ({limit:count}), "
                                 "så filen er beskadiget",
                                 "the sheet has rows after Excel's last row ({limit:count}), "
                                 "so the file is damaged", _REPAIR_XLSX),
    "sheet_empty": _both("arket er tomt", "the sheet is empty"),
    # What kind of file.
    "columns_missing": _both(
        "kolonner mangler i overskriften ({lacks:lacks}); filen ligner mest {kind:kind}, men "
        "dens overskrift har kun {known:known} af de kolonner, den slags fil læses med; se "
        "README for alle tilladte navne",
        "columns are missing in the header ({lacks:lacks}); the file looks most like "
        "{kind:kind}, but its header has only {known:known} of the columns such a file is "
        "read by; see the README for every name allowed"),
    "columns_none_known": _both(
        "ingen af overskriftens kolonner ({headers}) er kolonner, en tilmeldingsliste eller "
        "en borgmesterliste læses med; {kind:kind} skal mindst have {lacks:lacks}; se README "
        "for alle tilladte navne",
        "none of the header's columns ({headers}) is a column a registration list or a mayor "
        "list is read by; {kind:kind} needs at least {lacks:lacks}; see the README for every "
        "name allowed"),
    # A date column holding dates only day first can be and dates only month first can be:
    # refused whole (reading one row day first and refusing its neighbour stores wrong dates).
    "date_order_mixed": _both(
        "datoerne i kolonnen kan ikke læses i én rækkefølge: '{day_text}' (linje {day_line}) "
        "kan kun være dag før måned, '{month_text}' (linje {month_line}) kun måned før dag "
        "(amerikansk); skriv alle kolonnens datoer på samme måde, helst åååå-mm-dd, og "
        "importér filen igen",
        "the column's dates cannot be read in one order: '{day_text}' (line {day_line}) can "
        "only be day before month, '{month_text}' (line {month_line}) only month before day "
        "(American); write all the column's dates the same way, preferably yyyy-mm-dd, and "
        "import the file again"),
    "columns_same_field": _both(
        "kolonnerne {columns:columns} kan være den samme oplysning, og intet siger, hvilken der "
        "menes; omdøb eller slet den, der ikke skal læses",
        "the columns {columns:columns} may be the same information, and nothing says which is "
        "meant; rename or delete the one not to be read"),
    "sheet_without_table": _both(
        "arket har ingen tabel med kendte kolonner, men arket {other:quoted} ligner "
        "{kind:kind}; vælg det ark i Excel og gem filen, eller importér med --sheet "
        "{other:quoted}",
        "the sheet has no table of known columns, but the sheet {other:quoted} looks like "
        "{kind:kind}; select that sheet in Excel and save the file, or import with --sheet "
        "{other:quoted}"),
    # A broken CSV record (etl.readers.STRUCTURE_REASONS names DuckDB's error types).
    "record_missing_fields": _both(
        "for få felter; overskriften har {columns:count}; tjek skilletegnet (semikolon) og at "
        "rækken ikke er delt over flere linjer",
        "too few fields; the header has {columns:count}; check the delimiter (semicolon) and "
        "that the row is not split over several lines"),
    "record_too_many_fields": _both(
        "for mange felter; overskriften har {columns:count} (tjek skilletegn og "
        "citationstegn)",
        "too many fields; the header has {columns:count} (check delimiters and quotation "
        "marks)"),
    "record_stray_quote": _both(
        "et citationstegn (\") står midt i et felt eller lukkes ikke; sæt hele feltet i "
        "citationstegn og skriv \"\" for hvert citationstegn i teksten, eller gem filen igen "
        "som CSV fra Excel",
        "a quotation mark (\") stands inside a field or is not closed; put the whole field in "
        "quotation marks and write \"\" for every quotation mark in the text, or save the file "
        "again as CSV from Excel"),
    "record_too_long": _both(
        "rækken er for lang til at være en række i en eksport (ofte et citationstegn, der ikke "
        "lukkes); ret rækken, eller gem filen igen som CSV fra Excel",
        "the row is too long to be a row of an export (often a quotation mark that is not "
        "closed); correct the row, or save the file again as CSV from Excel"),
    "record_invalid_text": _both(
        "rækken har tegn, der ikke er gyldig tekst (UTF-8); gem filen igen som CSV (UTF-8) fra "
        "Excel",
        "the row has characters that are not valid text (UTF-8); save the file again as CSV "
        "(UTF-8) from Excel"),
    "record_quotes_mismatch": _both(
        "rækken kan ikke læses som CSV (citationstegn og skilletegn passer ikke sammen); ret "
        "rækken, eller gem filen igen som CSV fra Excel",
        "the row cannot be read as CSV (quotation marks and delimiters do not match); correct "
        "the row, or save the file again as CSV from Excel"),
    "record_not_text": _both("en værdi kan ikke læses som tekst", "a value cannot be read as "
                             "text", _SAVE_CSV),
    "record_unreadable": _both("rækken kan ikke læses som CSV; gem filen igen som CSV fra "
                               "Excel (semikolon-separeret)",
                               "the row cannot be read as CSV; save the file again as CSV from "
                               "Excel (semicolon-separated)"),
    # A cell (etl.importer's readers).
    "control_character": _both(
        "ugyldigt tegn: {char:control} som tegn nr. {position}; fjern linjeskift og usynlige "
        "tegn fra feltet og gem filen igen",
        "invalid character: {char:control} as character no. {position}; remove line breaks "
        "and invisible characters from the field and save the file again"),
    "value_missing": _both("værdien mangler", "the value is missing"),
    "session_day_ambiguous": _both("flere sessioner starter den dag; angiv sessions-id",
                                   "more than one session starts that day; give the session "
                                   "id"),
    "session_day_none": _both("ingen session starter den dag", "no session starts that day"),
    "session_unknown": _both("ukendt session; angiv sessions-id (fx LKS2022-04) eller "
                             "startdato",
                             "unknown session; give the session id (e.g. LKS2022-04) or start "
                             "date"),
    "municipality_ambiguous": _both("flertydigt kommunenavn: kan være {candidates:or}; skriv "
                                    "kommunens kode",
                                    "ambiguous municipality name: may be {candidates:or}; "
                                    "write the municipality's code"),
    "municipality_unknown": _both("ukendt kommune", "unknown municipality", _MUNICIPALITY),
    "date_invalid": _both("ikke en dato", "not a date", _DATE),
    "status_not_a_status": _both(
        "{word} er ikke en tilmeldingsstatus; en plads på venteliste eller som reserve er "
        "ingen tilmelding: udelad linjen, eller skriv en status",
        "{word} is not a registration status; a place on a waiting list or as a reserve is no "
        "registration: leave the line out, or write a status", _STATUS),
    "status_unknown": _both("ukendt status", "unknown status", _STATUS),
    "amount_invalid": _both("ikke et beløb", "not an amount", _AMOUNT),
    "yes_no_unknown": _both("ukendt værdi; skriv ja eller nej",
                            "unknown value; write ja or nej (yes or no)"),
    # A registration export's own checks.
    "id_conflict": _both("samme tilmeldings-id med andet indhold på linje {lines}{more:others}",
                         "the same registration id with other content on line "
                         "{lines}{more:others}"),
    "pair_conflict": _both("samme borgmester og session med andet indhold på linje "
                           "{lines}{more:others}",
                           "the same mayor and session with other content on line "
                           "{lines}{more:others}"),
    "id_taken_stored": {
        "da": "tilmeldings-id {id} hører allerede til en anden tilmelding: session {session}, "
              "{name} ({municipality}), indlæst tidligere" + _ID_OWN["da"],
        "en": "registration id {id} already belongs to another registration: session "
              "{session}, {name} ({municipality}), loaded earlier" + _ID_OWN["en"]},
    "id_taken_in_file": {
        "da": "tilmeldings-id {id} hører allerede til en anden tilmelding: session {session}, "
              "{name} ({municipality}), i {file} linje {line}" + _ID_OWN["da"],
        "en": "registration id {id} already belongs to another registration: session "
              "{session}, {name} ({municipality}), in {file} line {line}" + _ID_OWN["en"]},
    # A mayor list's own checks.
    "term_end_before_start": _both("fratrådt før tiltrådt", "term ends before it starts"),
    "mayor_conflict": _both("samme borgmester med andet indhold på linje {lines}{more:others}",
                            "the same mayor with other content on line {lines}{more:others}"),
    # The reference files and people files of `etl build` (etl.reference, etl.build,
    # etl.csvfile), boundaries (etl.boundaries) and `etl upgrade`.
    "reference_file_missing": _both("filen mangler ({key}); se data/README.md",
                                    "the file is missing ({key}); see data/README.md"),
    "duplicate_value": _both("står allerede på linje {line}; hver værdi må kun stå én gang",
                             "is already on line {line}; each value may appear only once"),
    "municipality_count": _both("{count} forskellige kommunekoder; Danmark har {expected} "
                                "kommuner",
                                "{count} different municipality codes; Denmark has {expected} "
                                "municipalities"),
    "town_hall_outside": _both("rådhusets position ligger uden for Danmark; skriv WGS84-grader, "
                               "fx 55.67567,12.56951",
                               "the town hall's position lies outside Denmark; write WGS84 "
                               "degrees, e.g. 55.67567,12.56951"),
    "population_not_positive": _both("folketallet skal være større end 0",
                                     "the population must be greater than 0"),
    "period_end_not_after_start": _both("perioden skal slutte efter den starter",
                                        "the period must end after it starts"),
    "programme_unknown": _both("ukendt forløb; det skal stå i programmes.csv",
                               "unknown programme; it must be in programmes.csv"),
    "session_ends_before_start": _both("sessionen slutter før den starter",
                                       "the session ends before it starts"),
    "sessions_out_of_order": _both("sessionerne skal stå i tidsorden; denne starter før den "
                                   "forrige",
                                   "the sessions must be in time order; this one starts before "
                                   "the one before"),
    "session_outside_period": _both("ligger uden for forløbets periode",
                                    "lies outside the programme's period"),
    "lat_lon_half": _both("angiv både lat og lon for stedet, eller ingen af dem",
                          "give both lat and lon for the place, or neither"),
    "online_has_venue": _both("et onlinemøde har intet mødested",
                              "an online meeting has no venue"),
    "format_unpriced": _both("ingen pris-linje for formatet '{format}', som sessionerne "
                             "bruger; tilføj en linje (tom pris = ukendt)",
                             "no price line for the format '{format}', which the sessions "
                             "use; add a line (empty price = unknown)"),
    "vat_rate_not_fraction": _both("momssatsen skrives som brøk, fx 0.25",
                                   "the VAT rate is written as a fraction, e.g. 0.25"),
    "municipality_code_unknown": _both("ukendt kommunekode", "unknown municipality code"),
    "town_outside": _both("byen ligger uden for Danmark", "the town lies outside Denmark"),
    "session_id_unknown": _both("ukendt session", "unknown session"),
    "mayor_unknown": _both("ukendt borgmester", "unknown mayor"),
    "mayor_other_municipality": _both("borgmesteren hører til kommune {code}",
                                      "the mayor belongs to municipality {code}"),
    "column_missing": _both("kolonne mangler i overskriften; forventet: {expected}",
                            "column missing in the header; expected: {expected}"),
    "field_count": _both("{fields} felter, men overskriften har {header}; tjek kommaer og "
                         "anførselstegn",
                         "{fields} fields, but the header has {header}; check commas and "
                         "quotation marks"),
    "integer_invalid": _both("ikke et helt tal; skriv fx 42",
                             "not a whole number; write e.g. 42"),
    "number_invalid": _both("ikke et tal; skriv decimaler med punktum, fx 55.67567",
                            "not a number; write decimals with a point, e.g. 55.67567"),
    "money_invalid": _both("ikke et beløb; skriv fx 5300.00", "not an amount; write e.g. "
                           "5300.00"),
    "money_negative": _both("et beløb kan ikke være negativt", "an amount cannot be negative"),
    "iso_date_invalid": _both("ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2022-01-31",
                              "not a date; write it as YYYY-MM-DD, e.g. 2022-01-31"),
    "timestamp_invalid": _both("ikke et tidspunkt; skriv det som ÅÅÅÅ-MM-DD TT:MM, fx "
                               "2022-01-31 12:00",
                               "not a time; write it as YYYY-MM-DD HH:MM, e.g. "
                               "2022-01-31 12:00"),
    "session_time_invalid": _both("ikke et tidspunkt; skriv ÅÅÅÅ-MM-DD TT:MM, eller kun "
                                  "ÅÅÅÅ-MM-DD når klokkeslættet ikke er oplyst",
                                  "not a time; write YYYY-MM-DD HH:MM, or only YYYY-MM-DD when "
                                  "the time of day is not known"),
    "bool_invalid": _both("skriv true eller false", "write true or false"),
    "value_not_allowed": _both("ukendt værdi; tilladt: {allowed}",
                               "unknown value; allowed: {allowed}"),
    "geojson_invalid": _both("ikke en GeoJSON FeatureCollection: {detail}",
                             "not a GeoJSON FeatureCollection: {detail}"),
    "feature_without_code": _both("feature {number} har ingen kommunekode",
                                  "feature {number} has no municipality code"),
    "feature_bad_geometry": _both("feature {number}: ugyldig geometri ({detail})",
                                  "feature {number}: invalid geometry ({detail})"),
    "no_boundary_matches": _both("ingen af kommunekoderne passer til de 98 kommuner; angiv "
                                 "egenskaben med --code-property",
                                 "none of the municipality codes matches the 98 "
                                 "municipalities; name the property with --code-property"),
    "upgrade_needs_value": _both("kan ikke opgraderes: en ny kolonne kræver en værdi, som den "
                                 "gamle database ikke har ({detail}); byg databasen igen og "
                                 "importér filerne",
                                 "cannot be upgraded: a new column needs a value the old "
                                 "database does not have ({detail}); build the database again "
                                 "and import the files"),
    # --- schedule helper (issue 18): programme schedules and price lists ---------------------
    "audience_unknown": _both("ukendt målgruppe; skriv nyvalgte eller alle",
                              "unknown audience; write nyvalgte (newly elected) or alle (all)"),
    "format_unknown": _both("ukendt format; skriv dag, døgn eller online",
                            "unknown format; write dag (day), døgn (overnight) or online"),
    "count_invalid": _both("ikke et antal; skriv et helt tal over 0, fx 60",
                           "not a number of places; write a whole number above 0, e.g. 60"),
    "coordinate_invalid": _both("ikke en koordinat; skriv den i grader med decimaler, fx "
                                "55,6761 (breddegrad) eller 12,5683 (længdegrad)",
                                "not a coordinate; write it in degrees with decimals, e.g. "
                                "55.6761 (latitude) or 12.5683 (longitude)"),
    "vat_rate_invalid": _both("ikke en momssats; skriv fx 25 %, 25 eller 0,25",
                              "not a VAT rate; write e.g. 25 %, 25 or 0.25"),
    "venue_position_unknown": _both(
        "byen '{city}' er hverken en kommunes by eller en kendt mødeby, så stedets placering "
        "kendes ikke; tilføj kolonnerne Breddegrad og Længdegrad (fx 55,6761 og 12,5683), "
        "eller skriv en kommunes navn som by",
        "the city '{city}' is neither a municipality's town nor a known venue city, so the "
        "venue's position is not known; add the columns Breddegrad and Længdegrad (latitude "
        "and longitude, e.g. 55.6761 and 12.5683), or write a municipality's name as the city"),
    "venue_without_city": _both("stedet har ingen by, så dets placering kendes ikke; tilføj "
                                "byen (en kommunes navn) i kolonnen By, eller kolonnerne "
                                "Breddegrad og Længdegrad",
                                "the venue has no city, so its position is not known; add the "
                                "city (a municipality's name) in the column By (city), or the "
                                "columns Breddegrad and Længdegrad (latitude and longitude)"),
    "venue_outside": _both("stedet ligger uden for Danmark (breddegrad 54,5-57,8, længdegrad "
                           "8,0-15,2); tjek at breddegrad og længdegrad ikke er byttet om",
                           "the venue lies outside Denmark (latitude 54.5-57.8, longitude "
                           "8.0-15.2); check that latitude and longitude are not swapped"),
    "session_twice": _both("samme session som linje {lines}{more:others} (samme Sessions-ID, "
                           "eller samme startdato og format uden Sessions-ID)",
                           "the same session as line {lines}{more:others} (the same session "
                           "id, or the same start date and format without a session id)"),
    "session_of_other_programme": _both(
        "sessionen {session} hører til forløbet {programme}; brug et andet Sessions-ID",
        "the session {session} belongs to the programme {programme}; use another session id"),
    "schedule_outside_period": _both(
        "ligger uden for forløbets periode ({start} til {end}); et forløb følger "
        "valgperioden, der holder dets første session",
        "lies outside the programme's period ({start} to {end}); a programme follows the "
        "election period that holds its first session"),
    "schedule_removes_registered": _both(
        "filen er hele planen for forløbet {programme}, men mangler {sessions}, som har "
        "{count:count} tilmeldinger; intet er ændret. Tag sessionen med i filen igen (med dens "
        "Sessions-ID, også hvis datoen er flyttet), eller flyt tilmeldingerne først",
        "the file is the whole schedule of the programme {programme}, but lacks {sessions}, "
        "which has {count:count} registrations; nothing was changed. Put the session back in "
        "the file (with its session id, also if its date moved), or move the registrations "
        "first"),
    "price_list_programme_unknown": _both(
        "ukendt forløb; indlæs forløbets sessionsplan først, eller læg prislisten som ark i "
        "samme Excel-fil som planen",
        "unknown programme; import the programme's schedule first, or put the price list as "
        "a sheet in the schedule's Excel file"),
    "price_twice": _both("samme forløb og format som linje {lines}{more:others}",
                         "the same programme and format as line {lines}{more:others}"),
    # --- versions (issue 18): nothing real is ever lost -------------------------------------
    "build_holds_real_data": _both(
        "rummer rigtige data ({holds}); `build` ville bygge en ny, tom database og smide dem "
        "væk, så intet er ændret. Ændrede referencedata (data/reference/) indlæses med "
        "`python -m etl upgrade --db {database}`, som beholder alt andet; nye filer med "
        "`python -m etl import`. Vil du virkelig begynde forfra, så flyt filen væk først",
        "holds real data ({holds}); `build` would make a new, empty database and throw them "
        "away, so nothing was changed. Changed reference data (data/reference/) is applied "
        "with `python -m etl upgrade --db {database}`, which keeps everything else; new files "
        "with `python -m etl import`. To really start afresh, move the file away first"),
    "versions_none": _both(
        "der er ingen gemt version at gå tilbage til; se `python -m etl history`",
        "there is no kept version to go back to; see `python -m etl history`"),
    "version_unknown": _both(
        "der er ingen gemt version {id}; de gemte er: {kept} (se `python -m etl history`)",
        "there is no kept version {id}; the kept ones are: {kept} (see "
        "`python -m etl history`)"),
    "backup_folder_not_empty": _both(
        "mappen er ikke tom; angiv en ny eller tom mappe til sikkerhedskopien",
        "the folder is not empty; give a new or empty folder for the backup"),
    "backup_incomplete": _both(
        "er ikke en hel sikkerhedskopi (mangler {missing}); angiv mappen, som "
        "`python -m etl backup` skrev",
        "is not a complete backup (it lacks {missing}); give the folder "
        "`python -m etl backup` wrote"),
}


def fields(template: str) -> dict[str, str]:
    """A template's fields: name -> spec ("" for none)."""
    return {name: spec or "" for _text, name, spec, _conv in string.Formatter().parse(template)
            if name is not None}


@functools.cache
def field_names(code: str) -> frozenset[str]:
    """The params a reason takes (once per code: every problem made asks). Raises KeyError
    for an unknown code."""
    return frozenset(fields(REASONS[code]["da"]))


def render(code: str, params: Mapping[str, str] | None = None, lang: str = "da") -> str:
    """A reason's text in `lang` ("da" or "en"), its fields filled from `params` (str
    values). Raises KeyError for an unknown code, a language not held or a missing param."""
    params = params or {}
    out = []
    for text, name, spec, _conv in string.Formatter().parse(REASONS[code][lang]):
        out.append(text)
        if name is not None:
            value = params[name]
            out.append(SPECS[spec](value, lang) if spec else value)
    return "".join(out)


def sql_render(code_sql: str, params_sql: str, codes: list[str] | tuple[str, ...]) -> str:
    """DuckDB SQL giving the Danish text of the reason whose code is `code_sql` (SQL of a
    VARCHAR) and params `params_sql` (SQL of a MAP(VARCHAR, VARCHAR)), for the reasons
    `codes` (the ones a query can give; the CASE stays short). Each template becomes a
    concatenation of its text and its params, said by SQL_SPECS."""
    def one(code: str) -> str:
        parts = []
        for text, name, spec, _conv in string.Formatter().parse(REASONS[code]["da"]):
            if text:
                parts.append(_sql_text(text))
            if name is not None:
                value = f"coalesce(({params_sql})[{_sql_text(name)}], '')"
                parts.append(SQL_SPECS[spec].replace("{x}", value) if spec else value)
        return " || ".join(parts) or "''"

    cases = " ".join(f"WHEN {_sql_text(code)} THEN {one(code)}" for code in codes)
    return f"CASE {code_sql} {cases} END"


def sql_params(**values: str) -> str:
    """SQL of a MAP(VARCHAR, VARCHAR) of the given params (name -> SQL of its value)."""
    if not values:
        return "CAST(MAP {} AS MAP(VARCHAR, VARCHAR))"
    entries = ", ".join(f"{_sql_text(k)}: CAST({v} AS VARCHAR)" for k, v in values.items())
    return f"CAST(MAP {{{entries}}} AS MAP(VARCHAR, VARCHAR))"
