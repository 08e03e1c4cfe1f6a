"""One writer at a time (etl.files.exclusive): leftovers of killed writers, files or folders,
are cleared by the next one; a busy writer is refused at once where no one may wait."""

from __future__ import annotations

import shutil
import threading

import duckdb
import pytest

from etl import files
from etl.build import build_database
from etl.files import WriterBusy, exclusive, writer_busy
from etl.importer import import_files
from tests.conftest import READY_SECONDS, writer_lock_held

HEADER = "Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret"


@pytest.fixture
def database(demo_database, tmp_path):
    path = tmp_path / "db" / "borgmester.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_database, path)
    return path


def killed_runs_leftovers(database):
    """What a killed import leaves: its half-written copy, the copy's WAL, and DuckDB's temp
    directory with spilled data in it (the folder made every later run fail)."""
    work = database.with_name(f".{database.name}.import-4242")
    work.write_bytes(b"half a database")
    work.with_name(work.name + ".wal").write_bytes(b"wal")
    temp = work.with_name(work.name + ".tmp")
    temp.mkdir()
    (temp / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 1024)
    return [work, work.with_name(work.name + ".wal"), temp]


def registrations(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM registrations").fetchone()[0]


def test_a_killed_imports_temp_folder_is_cleared_and_the_next_import_works(database, tmp_path):
    leftovers = killed_runs_leftovers(database)
    export = tmp_path / "eksport.csv"
    export.write_text(f"{HEADER}\nW1;LKS2022-09;Odense;Anna;01-03-2025;tilmeldt;;\n",
                      encoding="utf-8")
    assert import_files(database, [export]).applied
    assert registrations(database) == 1
    assert not any(p.exists() for p in leftovers)


def test_a_killed_imports_temp_folder_is_cleared_and_the_next_build_works(database, tmp_path):
    leftovers = killed_runs_leftovers(database)
    build_database(database, demo_dir=tmp_path / "demo")
    assert registrations(database) > 0
    assert not any(p.exists() for p in leftovers)


def test_only_the_products_own_leftovers_are_cleared(database):
    from etl.files import clear_leftovers

    mine = killed_runs_leftovers(database)
    others = [database.parent / name for name in (
        "borgmester.duckdb.import-1",             # no leading dot: not a work file
        ".borgmester.duckdb.uploads",             # the Data page's uploads
        ".borgmester.duckdb.lock",
        ".other.duckdb.import-1.tmp",             # another database's
        ".borgmester.duckdb.import-x",            # not a process id
        "notes.txt")]
    for path in others:
        path.mkdir() if path.suffix in (".tmp", ".uploads") else path.write_text("keep")
    target = database.parent.parent / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    link = database.with_name(f".{database.name}.building-7.tmp")
    link.symlink_to(target, target_is_directory=True)
    assert set(clear_leftovers(database)) == {*mine, link}
    assert not any(p.exists() or p.is_symlink() for p in (*mine, link))
    assert all(p.exists() for p in others)
    assert (target / "keep.txt").read_text() == "keep"   # a link is removed, not followed


def test_a_busy_writer_is_refused_without_waiting_for_its_work(database):
    with writer_lock_held(database):
        assert writer_busy(database)
        with pytest.raises(WriterBusy), exclusive(database, wait=False):
            pass
    assert not writer_busy(database)
    with exclusive(database, wait=False):
        assert not writer_busy(database)   # held by this thread: not busy for it


def test_a_writer_is_never_refused_because_someone_looked(database):
    """A look (`writer_busy`) holds the lock for an instant: a writer that does not wait for
    another writer's work must still get in. (It was refused 39 times in 2.000 tries.)"""
    (database.parent / f".{database.name}.lock").touch()    # so that a look takes the lock
    stop = threading.Event()
    looks = []

    def look():
        while not stop.is_set():
            looks.append(writer_busy(database))

    looker = threading.Thread(target=look, daemon=True)
    looker.start()
    refused = 0
    try:
        for _ in range(2000):
            try:
                with exclusive(database, wait=False):
                    pass
            except WriterBusy:
                refused += 1
    finally:
        stop.set()
        looker.join(READY_SECONDS)
    assert looks and refused == 0


class StoppedLook:
    """`writer_busy` in its own thread, stopped at a named point while it holds the lock (just
    before it lets go): `looking` is set there, and it goes on when the block is left.
    `refused` is set when another thread then finds the lock taken."""

    def __init__(self, database, monkeypatch):
        self.looking, self.go_on, self.refused = (threading.Event(), threading.Event(),
                                                  threading.Event())
        self.answers = []
        self.thread = threading.Thread(
            target=lambda: self.answers.append(writer_busy(database)), daemon=True)
        flock, look = files.fcntl.flock, self

        def stopping_flock(lock, operation):
            if threading.current_thread() is look.thread:
                if operation == files.fcntl.LOCK_UN:
                    look.looking.set()
                    assert look.go_on.wait(READY_SECONDS)
                return flock(lock, operation)
            try:
                return flock(lock, operation)
            except BlockingIOError:
                look.refused.set()
                raise

        monkeypatch.setattr(files.fcntl, "flock", stopping_flock)
        (database.parent / f".{database.name}.lock").touch()   # so that a look takes the lock

    def __enter__(self):
        self.thread.start()
        assert self.looking.wait(READY_SECONDS)
        return self

    def __exit__(self, *_exc):
        self.go_on.set()
        self.thread.join(READY_SECONDS)


def test_two_looks_at_once_do_not_see_each_other_as_a_writer(database, monkeypatch):
    with StoppedLook(database, monkeypatch) as first:
        assert writer_busy(database) is False
    assert first.answers == [False]


def test_a_writer_waits_out_a_look(database, monkeypatch):
    """The look is let go only after the writer has met it; the grace is stretched to
    readiness here, so only the order of events counts, not the machine's speed."""
    monkeypatch.setattr(files, "GRACE_SECONDS", READY_SECONDS)
    refusals, entered = [], threading.Event()

    def writer():
        try:
            with exclusive(database, wait=False):
                entered.set()
        except WriterBusy:
            refusals.append(True)

    thread = threading.Thread(target=writer, daemon=True)
    with StoppedLook(database, monkeypatch) as look:
        thread.start()
        assert look.refused.wait(READY_SECONDS)    # the writer met the look
        assert not entered.is_set()
    thread.join(READY_SECONDS)
    assert entered.is_set() and refusals == [] and look.answers == [False]


def test_a_waiting_writer_is_told_it_waits_then_goes_in(database):
    waiting, entered = threading.Event(), threading.Event()

    def second():
        with exclusive(database, on_wait=waiting.set):
            entered.set()

    thread = threading.Thread(target=second, daemon=True)
    with writer_lock_held(database):
        thread.start()
        assert waiting.wait(READY_SECONDS)
        assert not entered.is_set()           # told, and still waiting
    thread.join(READY_SECONDS)
    assert entered.is_set()


def test_a_writer_holding_the_lock_can_import_inside_it(database, tmp_path):
    """The Data page takes the lock without waiting, then imports: no deadlock on itself."""
    export = tmp_path / "eksport.csv"
    export.write_text(f"{HEADER}\nW1;LKS2022-09;Odense;Anna;01-03-2025;tilmeldt;;\n",
                      encoding="utf-8")
    done = []
    thread = threading.Thread(target=lambda: done.append(
        _import_holding_the_lock(database, export)), daemon=True)
    thread.start()
    thread.join(READY_SECONDS)
    assert done == [True]


def _import_holding_the_lock(database, export):
    with exclusive(database, wait=False):
        return import_files(database, [export]).applied


def test_the_command_line_says_it_waits_for_another_import_then_imports(database, tmp_path):
    import subprocess
    import sys

    from etl.files import WAITING_FOR_WRITER
    from etl.paths import PROJECT_ROOT

    export = tmp_path / "eksport.csv"
    export.write_text(f"{HEADER}\nW1;LKS2022-09;Odense;Anna;01-03-2025;tilmeldt;;\n",
                      encoding="utf-8")
    with writer_lock_held(database):
        process = subprocess.Popen([sys.executable, "-m", "etl", "import", str(export),
                                    "--db", str(database)], cwd=PROJECT_ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        first_line = []
        reader = threading.Thread(target=lambda: first_line.append(process.stderr.readline()),
                                  daemon=True)
        reader.start()
        reader.join(READY_SECONDS)   # a command that waits without a word never says it
        assert [line.strip() for line in first_line] == [WAITING_FOR_WRITER]
        assert process.poll() is None and registrations(database) > 1   # still waiting
    process.stderr.read()
    assert process.wait(READY_SECONDS) == 0
    assert registrations(database) == 1
