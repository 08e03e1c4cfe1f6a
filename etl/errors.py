"""Errors that point a person at the exact place in a source file to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class SourceProblem:
    """One thing wrong in a source file: where it is, what it is, and what to do."""

    file: str
    line: int | None
    column: str | None
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", linje {self.line}"
        if self.column:
            where += f", kolonne {self.column}"
        shown = f" (værdi: {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.reason}{shown}"


class SourceError(Exception):
    """Raised when a source file cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[SourceProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} fejl i kildedata; intet er ændret:\n{lines}")


def count_text(n: int) -> str:
    """A count as Danes write it in a message: 2.000.000."""
    return f"{n:,}".replace(",", ".")


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
