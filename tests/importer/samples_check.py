"""Compare parse_text's answer on a sample text with the expected answer beside it."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from importer.pipeline import parse_text, to_json
from importer.read import read_bytes

SAMPLES = Path(__file__).resolve().parent / "samples"


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def sample_names() -> list[str]:
    return sorted(p.stem for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx"))


def sample_text(stem: str) -> tuple[str, str, bool]:
    """Return (file name, text, normalised) of a sample: .txt as written, .docx read as the importer does."""
    docx_path = SAMPLES / f"{stem}.docx"
    if docx_path.exists():
        return docx_path.name, read_bytes(docx_path.read_bytes(), docx_path.name).text, True
    return f"{stem}.txt", (SAMPLES / f"{stem}.txt").read_text(encoding="utf-8"), False


def check_sample(stem: str, year_from_dates: bool = False, directory=()) -> list[str]:
    """Return every difference between the parse of samples/<stem>.txt and <stem>.json.

    With ``year_from_dates`` the year passed is that of the first dated meeting, as a caller
    (score.py's --year) would give it, instead of the year the expected answer names. A
    ``directory`` (such as the bundled one import_meetings falls back to) must not change the answer.
    """
    expected = json.loads((SAMPLES / f"{stem}.json").read_text(encoding="utf-8"))
    name, text, normalized = sample_text(stem)
    year = expected["year"]
    if year_from_dates:
        year = next((int(m["date"][:4]) for m in expected["meetings"] if m["date"]), year)
    pred = to_json([parse_text(text, source=name, year=year, directory=directory, normalized=normalized)])
    aliases = {norm(a): label for label, names in expected["aliases"].items() for a in names}
    problems = []
    if len(pred["meetings"]) != len(expected["meetings"]):
        got = [m["title"] for m in pred["meetings"]]
        problems.append(f"{len(pred['meetings'])} meetings {got}, want {len(expected['meetings'])}")
    for want in expected["meetings"]:
        got = next((m for m in pred["meetings"] if norm(m["title"]) == norm(want["title"])), None)
        if got is None:
            got = next((m for m in pred["meetings"] if want["date"] and m["date"] == want["date"]), None)
        if got is None:
            problems.append(f"missed meeting {want['title']}")
            continue
        for field in ("kind", "session", "number", "date"):
            if got[field] != want[field]:
                problems.append(f"{want['title']}: {field} {got[field]!r} != {want[field]!r}")
        items = list(got["items"])
        if len(items) != len(want["items"]):
            problems.append(
                f"{want['title']}: {len(items)} items, want {len(want['items'])}: "
                + " | ".join(norm(i["text"])[:24] for i in items)
            )
        taken: set[int] = set()
        for w in want["items"]:
            k = next(
                (k for k, i in enumerate(items) if k not in taken and norm(w["anchor"]) in norm(i["text"])),
                None,
            )
            if k is None:
                problems.append(f"{want['title']}: missed item {w['anchor']}")
                continue
            taken.add(k)
            item = items[k]
            labels = _labels(item["departments"], set(w["departments"]), aliases)
            if labels != set(w["departments"]):
                problems.append(f"{w['anchor']}: departments {sorted(labels)} != {sorted(w['departments'])}")
            if "lead" in w:
                leads = _labels(
                    [d for d in item["departments"] if d["role"] == "lead"], set(w["lead"]), aliases
                )
                if leads != set(w["lead"]):
                    problems.append(f"{w['anchor']}: lead {sorted(leads)} != {sorted(w['lead'])}")
            if item["deadline"] != w["deadline"]:
                problems.append(f"{w['anchor']}: deadline {item['deadline']} != {w['deadline']}")
            for t in w["targets"]:
                if not any(_target_ok(t, g) for g in item["targets"]):
                    problems.append(f"{w['anchor']}: target {t} not in {item['targets']}")
    return problems


def _labels(departments: list[dict], wanted: set[str], aliases: dict[str, str]) -> set[str]:
    out = set()
    for d in departments:
        names = [d.get("name"), d.get("mention")]
        hit = next((n for n in names if n and n in wanted), None)
        hit = hit or next((aliases[norm(n)] for n in names if n and norm(n) in aliases), None)
        out.add(hit or "?" + (d.get("name") or d.get("mention") or ""))
    return out


def _target_ok(want: dict, got: dict) -> bool:
    try:
        same = float(got["value"]) == float(want["value"])
    except (TypeError, ValueError):
        return False
    return same and (got["op"] == want["op"] or {got["op"], want["op"]} == {">=", "="})
