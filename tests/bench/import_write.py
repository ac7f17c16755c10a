"""How fast the importer writes: parsed drafts into a fresh database, on SQLite and PostgreSQL.

    python -m tests.bench.import_write                 # both databases, a ~5 MB generated yearbook
    python -m tests.bench.import_write --db sqlite --size-mb 5 --repeat 5

It migrates a throw-away database (a temporary SQLite file; `duban_bench_write` on the PostgreSQL
at 127.0.0.1 unless BENCH_PG_URL says otherwise), parses a generated document once, then times
importer.write.write_documents — the one atomic step — and prints items, assignments and items/s,
--repeat times on a fresh database each (default 3), with the median.
The budget is at least 20,000 items/s.
"""

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/duban_bench_write")


def measure(size_mb: float) -> dict:
    """Parse a generated yearbook and write it into the configured (empty, migrated) database."""
    import django

    django.setup()
    from importer.directory import load_bundled_directory
    from importer.pipeline import parse_text
    from importer.write import write_documents
    from tests.bench.import_speed import generated
    from tracker.management.commands.setup_demo import DATA, load_departments

    load_departments(json.loads(DATA.read_text(encoding="utf-8")))
    doc = parse_text(
        generated("yearbook", size_mb), source="bench.txt", year=2023, directory=load_bundled_directory()
    )
    # The generator reuses a few 届/次 pairs; real meetings are distinct, so number them apart.
    meetings = tuple(
        dataclasses.replace(m, kind="executive", session=m.session or 1, number=i + 1)
        for i, m in enumerate(doc.meetings)
    )
    doc = dataclasses.replace(doc, meetings=meetings)
    t0 = time.perf_counter()
    report = write_documents([doc])
    seconds = time.perf_counter() - t0
    from tracker.models import Assignment

    return {
        "meetings": report.meetings_new,
        "items": report.items_created,
        "assignments": Assignment.objects.count(),
        "seconds": seconds,
        "items_per_s": report.items_created / seconds,
    }


def run(db: str, size_mb: float) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "0"}
    tmp = None
    if db == "sqlite":
        tmp = tempfile.mkdtemp(prefix="duban-write-")
        env["DATABASE_URL"] = f"sqlite:///{tmp}/write.sqlite3"
    else:
        env["DATABASE_URL"] = PG_URL
        name = PG_URL.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    code = f"import json; from tests.bench.import_write import measure; print(json.dumps(measure({size_mb})))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"db": db, "error": proc.stderr.strip().splitlines()[-1]}
    return {"db": db, **json.loads(proc.stdout.strip().splitlines()[-1])}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--size-mb", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per database; the median is the result")
    args = parser.parse_args(argv)
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"{'database':11} {'meetings':>8} {'items':>7} {'assignments':>11} {'write s':>8} {'items/s':>9}")
    medians = {}
    for db in dbs:
        seconds = []
        for _ in range(args.repeat):
            r = run(db, args.size_mb)
            if "error" in r:
                print(f"{db:11} error: {r['error']}")
                break
            seconds.append(r["seconds"])
            print(
                f"{db:11} {r['meetings']:8d} {r['items']:7d} {r['assignments']:11d} {r['seconds']:8.2f}"
                f" {r['items_per_s']:9.0f}"
            )
        if seconds:
            medians[db] = r["items"] / statistics.median(seconds)
    # Wall clock on a shared machine wanders by a fifth from run to run: each run has a fresh database.
    for db, rate in medians.items():
        print(f"{db:11} median of {args.repeat}: {rate:,.0f} items/s")
    print("budget: at least 20,000 items/s, in one transaction (importer.write.write_documents)")


if __name__ == "__main__":
    main()
