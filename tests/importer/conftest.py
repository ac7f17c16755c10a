"""Fixtures for the parser tests: no database needed."""

from pathlib import Path

import pytest

from importer.departments import Directory
from importer.types import DirectoryEntry

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "shengzhou-yearbook-2018-government.txt"
GOLD = SEED.parents[1] / "eval" / "gold-seed.json"


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
    if not SEED.exists():
        pytest.skip("the shared seed text is not beside the project")
    return SEED.read_text(encoding="utf-8")
