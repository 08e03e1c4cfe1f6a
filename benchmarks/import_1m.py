"""Import throughput: a 1,000,000-row registrations CSV through `etl import`, against
DuckDB's own read_csv of the same file into a table, measured in the same run.

Run: .venv/bin/python benchmarks/import_1m.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from etl.build import build_database  # noqa: E402
from etl.importer import import_files  # noqa: E402

SESSIONS = ["LKS2022-01", "LKS2022-02", "LKS2022-03", "LKS2022-04", "LKS2022-05",
            "LKS2022-06", "LKS2022-07", "LKS2022-08", "LKS2022-09", "LKS2022-10"]
STATUSES = ["deltaget", "deltaget", "deltaget", "udeblevet", "afmeldt", "tilmeldt"]


def write_export(path: Path, rows: int, municipalities: list[str]) -> None:
    """An export as KL's system would write it: ';', Danish dates and amounts."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret\n")
        for i in range(rows):
            person, session = divmod(i, len(SESSIONS))
            place = municipalities[person % len(municipalities)]
            out.write(f"T{i:07d};{SESSIONS[session]};{place} Kommune;Person {person};"
                      f"{1 + i % 28:02d}-0{1 + i % 9}-2022 10:{i % 60:02d};"
                      f"{STATUSES[i % len(STATUSES)]};5.300,00;"
                      f"{'15-06-2022' if i % 3 else ''}\n")


def measure_import(rows: int) -> dict[str, float]:
    """Seconds for DuckDB's bare read_csv and for `etl import` of the same export."""
    folder = Path(tempfile.mkdtemp(prefix="borgmester-import-"))
    database = folder / "borgmester.duckdb"
    build_database(database, with_demo=False)
    with duckdb.connect(str(database), read_only=True) as con:
        names = [n for (n,) in con.execute("SELECT name FROM municipalities ORDER BY 1").fetchall()]
    export = folder / "tilmeldinger.csv"
    write_export(export, rows, names)

    baseline_db = folder / "baseline.duckdb"
    started = time.perf_counter()
    with duckdb.connect(str(baseline_db)) as con:
        con.execute("CREATE TABLE registrations AS SELECT * FROM read_csv(?)", [str(export)])
        loaded = con.execute("SELECT count(*) FROM registrations").fetchone()[0]
        con.execute("CHECKPOINT")
    baseline = time.perf_counter() - started
    assert loaded == rows

    started = time.perf_counter()
    result = import_files(database, [export])
    ours = time.perf_counter() - started
    (file,) = result.files
    assert file.loaded == rows and not result.problems, result.problems[:5]
    return {"rows": rows, "megabytes": export.stat().st_size / 2**20, "read_csv": baseline,
            "import": ours, "ratio": ours / baseline, "people_added": file.people_added}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    got = measure_import(args.rows)
    print(f"rows: {got['rows']:,}  file: {got['megabytes']:.0f} MB")
    print(f"DuckDB read_csv into a table: {got['read_csv']:6.2f} s")
    print(f"etl import (validate + load): {got['import']:6.2f} s   "
          f"({got['people_added']:,} people added)")
    print(f"ratio: {got['ratio']:.2f}x")


if __name__ == "__main__":
    main()
