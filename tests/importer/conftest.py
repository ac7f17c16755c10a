"""Fixtures for the parser tests: no database needed."""

import json
from pathlib import Path

import pytest

from importer.departments import Directory
from importer.types import DirectoryEntry
from tracker.management.commands.setup_demo import SEED

ROOT = Path(__file__).resolve().parents[2]
# The seed text ships with the project (SEED, which the demo imports); the labelled answers stay in ../shared.
GOLD = ROOT.parent / "shared" / "eval" / "gold-seed.json"


@pytest.fixture
def empty_directory():
    return Directory(())


@pytest.fixture
def city_directory():
    return Directory(
        [
            DirectoryEntry("市发展和改革局", aliases=("市发改局", "发改局")),
            DirectoryEntry("市财政局", aliases=("财政局",)),
            DirectoryEntry("市住房和城乡建设局", aliases=("市住建局", "住建局")),
            DirectoryEntry("市教育体育局", aliases=("市教体局", "教体局", "教体部门")),
            DirectoryEntry("区财政局"),
            DirectoryEntry("区住建局"),
            DirectoryEntry("全市各部门", group="all"),
            DirectoryEntry("各乡镇(街道)", group="townships"),
        ]
    )


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def gold():
    """The hand-labelled answers for the seed, from ../shared/eval (not part of the project)."""
    if not GOLD.exists():
        pytest.skip("../shared/eval/gold-seed.json is not beside the project")
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture
def fail_writing(monkeypatch):
    """Make the importer's database write fail when it reaches one table.

    `fail_writing(Model, exc)` returns a list that records, at the moment of failure, how many
    meetings the transaction had already written — proof that the failure came halfway.
    """
    import importer.write as write
    from tracker.models import Meeting

    def install(model, exc):
        seen = []
        real = write.insert_rows

        def failing(target, rows, **options):
            if target is model:
                seen.append(Meeting.objects.count())
                raise exc
            return real(target, rows, **options)

        monkeypatch.setattr(write, "insert_rows", failing)
        return seen

    return install
