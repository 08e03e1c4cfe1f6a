"""The glossary: the words the pages, charts, tables and exports use for what they count, each
with the SQL rule that decides it. Declared once here; the Om data page shows it, the README's
glossary table is printed from it (`python -m dashboard.glossary`), and tests/test_about.py
holds that table to it and every rule named to a macro or column that exists in
etl/schema.sql. The words themselves are in the catalogue (dashboard/i18n.py):
`glossary.<key>.word` and `glossary.<key>.counts`, Danish and English.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import CATALOGUE


@dataclass(frozen=True)
class Term:
    key: str                 # glossary.<key>.word / .counts in the catalogue
    rules: tuple[str, ...]   # the macros of etl/schema.sql (or view.column) deciding it;
                             # "NOT x" where the term is a rule's negation


TERMS = (
    Term("registration", ("is_registered",)),
    Term("cancellation", ("is_cancelled",)),
    Term("attended", ("is_attended",)),
    Term("no_show", ("is_no_show",)),
    Term("pending", ("is_pending",)),
    Term("held", ("is_held", "held_by")),
    Term("upcoming", ("NOT is_held",)),
    Term("invited", ("is_invited",)),
    Term("billed", ("is_billed",)),
    Term("revenue", ("is_billed", "registration_facts.revenue_ex_vat")),
    Term("invoiced", ("registration_facts.is_invoiced",)),
)


def rule_names(term: Term) -> list[str]:
    """The SQL names a term's rules refer to: macros, or `view.column`."""
    return [rule.removeprefix("NOT ") for rule in term.rules]


def markdown_table() -> str:
    """The README's glossary table: Danish word, English word, what it counts, its rule."""
    lines = ["| Dansk | English | Counts | Rule (etl/schema.sql) |", "|---|---|---|---|"]
    for term in TERMS:
        word = CATALOGUE[f"glossary.{term.key}.word"]
        counts = CATALOGUE[f"glossary.{term.key}.counts"]["en"]
        rules = ", ".join(f"`{rule}`" for rule in term.rules)
        lines.append(f"| {word['da']} | {word['en']} | {counts} | {rules} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
