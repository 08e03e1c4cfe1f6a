"""Errors that point a person at the exact place in a source file to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl import reasons


@dataclass
class SourceProblem:
    """One thing wrong in a source file: where it is, what it is, and what to do.

    The reason is a code of etl.reasons.REASONS with its `params` (name -> str value, exactly
    the fields of the code's templates); `reason` is its Danish text (the command line, the
    audit trail), `text(lang)` its text in "da" or "en". Raises KeyError for an unknown
    code, ValueError when the params are not the code's fields."""

    file: str
    line: int | None
    column: str | None
    code: str
    params: dict[str, str] = field(default_factory=dict)
    value: str | None = None

    def __post_init__(self) -> None:
        self.params = {name: str(value) for name, value in (self.params or {}).items()}
        wanted = reasons.field_names(self.code)
        if set(self.params) != wanted:
            raise ValueError(f"reason {self.code!r} takes {sorted(wanted)}, "
                             f"not {sorted(self.params)}")

    @property
    def reason(self) -> str:
        """The reason in Danish."""
        return reasons.render(self.code, self.params, "da")

    def text(self, lang: str = "da") -> str:
        """The reason in `lang` ("da" or "en")."""
        return reasons.render(self.code, self.params, lang)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", linje {self.line}"
        if self.column:
            where += f", kolonne {self.column}"
        shown = f" (værdi: {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.reason}{shown}"


class ReasonedValueError(ValueError):
    """A value that cannot be read, and why: a code of etl.reasons with its params (the
    parsers of etl.csvfile raise it; the caller makes the SourceProblem)."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(reasons.render(code, self.params))


class SourceError(Exception):
    """Raised when a source file cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[SourceProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        # Not "i kildedata": a refusal may concern no file at all (a version id, the build
        # guard); each problem names its own file or database.
        super().__init__(f"{len(problems)} fejl; intet er ændret:\n{lines}")


def count_text(n: int) -> str:
    """A count as Danes write it in a message: 2.000.000 (etl.reasons.count_said)."""
    return reasons.count_said(n, "da")


def display_path(path: Path) -> str:
    """A path as a person would type it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# A file's problems held in Python (and so in an ImportResult) are at most this many, the
# first by line; the count of all of them is kept beside (FileResult.problem_count), and the
# audit trail (rejected_rows) gets every one, written in SQL. A file of a million broken lines
# would otherwise cost gigabytes of Python objects.
MAX_PROBLEMS_HELD = 10_000
