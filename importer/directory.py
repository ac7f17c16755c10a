"""The seed city's department directory, bundled as JSON in tracker/data; plain Python."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from importer.types import DirectoryEntry

BUNDLED = Path(__file__).resolve().parents[1] / "tracker" / "data" / "shengzhou_departments.json"


def load_directory(path: Path | str) -> tuple[DirectoryEntry, ...]:
    """Read a directory JSON file: a list of {name, short_name, kind, group, aliases}."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(_entry(row) for row in rows)


@cache
def load_bundled_directory() -> tuple[DirectoryEntry, ...]:
    """Return the bundled directory of 嵊州's departments, 乡镇(街道), zones, companies and groups."""
    return load_directory(BUNDLED)


def _entry(row: dict) -> DirectoryEntry:
    # The short name is one more spelling for the linker, listed before the other aliases.
    spellings = [row.get("short_name", ""), *row.get("aliases", ())]
    aliases = tuple(dict.fromkeys(s for s in spellings if s and s != row["name"]))
    return DirectoryEntry(
        name=row["name"], aliases=aliases, kind=row.get("kind", "city"), group=row.get("group", "")
    )
