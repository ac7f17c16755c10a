"""The bundled department directory: well-formed, unambiguous, and covering the gold labels."""

import json
import re
import unicodedata

import pytest

from importer.directory import BUNDLED, load_bundled_directory, load_directory

KINDS = {"city", "township", "zone", "soe", "other", "group"}
GROUPS = {"", "all", "related", "townships"}
ROWS = json.loads(BUNDLED.read_text(encoding="utf-8"))


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def _spellings(row) -> list[str]:
    return [row["name"], *([row["short_name"]] if row["short_name"] else []), *row["aliases"]]


def test_every_row_has_exactly_the_five_fields_with_valid_kind_and_group():
    for row in ROWS:
        assert set(row) == {"name", "short_name", "kind", "group", "aliases"}, row
        assert row["kind"] in KINDS, row
        assert row["group"] in GROUPS, row
        assert isinstance(row["aliases"], list) and all(isinstance(a, str) and a for a in row["aliases"]), row


def test_groups_are_exactly_the_three_group_words_and_real_departments_have_no_group():
    groups = {row["group"]: row["name"] for row in ROWS if row["kind"] == "group"}
    assert groups == {"all": "各级各部门", "related": "相关部门", "townships": "乡镇(街道)"}
    assert all(row["group"] == "" for row in ROWS if row["kind"] != "group")


def test_names_are_unique():
    names = [row["name"] for row in ROWS]
    assert len(names) == len(set(names))


def test_every_spelling_is_unique_across_the_file_after_nfkc():
    seen: dict[str, str] = {}
    for row in ROWS:
        for spelling in _spellings(row):
            key = _norm(spelling)
            assert key == spelling, f"{spelling!r} is not written in NFKC without spaces"
            assert seen.setdefault(key, row["name"]) == row["name"], (
                f"{spelling} in {seen[key]} and {row['name']}"
            )
            seen[key] = row["name"]
        assert len(set(_spellings(row))) == len(_spellings(row)), f"{row['name']} repeats a spelling"


def test_every_gold_alias_maps_to_the_entry_of_its_gold_label(gold):
    aliases = gold["aliases"]
    by_spelling = {_norm(s): row["name"] for row in ROWS for s in _spellings(row)}
    for label, spellings in aliases.items():
        assert by_spelling.get(_norm(label)) == _norm(label), f"gold label {label} is not a directory name"
        for spelling in spellings:
            assert by_spelling.get(_norm(spelling)) == _norm(label), f"{spelling} should name {label}"


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("市教体局", "教体局"),
        ("市人力和社保局", "人力社保局"),
        ("建设局", "住建局"),
        ("市综合执法局", "综合执法局"),
        ("环保局", "生态环境分局"),
        ("市公共资源交易中心", "公管办"),
        ("市公管办", "公管办"),
        ("市机关事务局", "机关事务局"),
        ("市行政服务中心", "行政服务中心"),
        ("市发改局", "发改局"),
        ("城中村改造指挥部", "城中村改造指挥部"),
        ("市政务热线", "政务热线"),
        ("城投", "城投"),
        ("开发区(工业园区)", "开发区"),
        ("城南新区(三江街道)", "城南新区"),
        ("财政部门", "财政局"),
        ("市财政局", "财政局"),
    ],
)
def test_the_seed_chapters_spellings_name_their_department(spelling, name):
    by_spelling = {s: row["name"] for row in ROWS for s in _spellings(row)}
    assert by_spelling[spelling] == name


def test_the_townships_of_shengzhou_are_all_there():
    townships = {row["name"] for row in ROWS if row["kind"] == "township"}
    assert len(townships) == 20  # with 三江街道, listed under 城南新区, the city's 21 乡镇(街道)
    assert {"剡湖街道", "鹿山街道", "浦口街道", "甘霖镇", "石璜镇", "雅璜乡", "里南乡", "北漳镇"} <= townships
    assert all(name.endswith(("街道", "镇", "乡")) for name in townships)


def test_setup_demo_users_departments_exist():
    names = {row["name"] for row in ROWS}
    assert {"市府办", "市农办"} <= names


def test_load_bundled_directory_returns_entries_with_the_short_name_as_a_spelling():
    entries = load_bundled_directory()
    assert len(entries) == len(ROWS)
    by_name = {e.name: e for e in entries}
    assert by_name["人力社保局"].aliases[0] == "人社局"
    assert "市人力和社保局" in by_name["人力社保局"].aliases
    assert by_name["各级各部门"].group == "all" and by_name["各级各部门"].kind == "group"
    assert by_name["甘霖镇"].kind == "township"
    assert load_bundled_directory() is entries  # read once


def test_load_directory_reads_any_file_of_the_same_shape(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps(
            [{"name": "财政局", "short_name": "", "kind": "city", "group": "", "aliases": ["市财政局"]}]
        )
    )
    (entry,) = load_directory(path)
    assert (entry.name, entry.aliases, entry.kind, entry.group) == ("财政局", ("市财政局",), "city", "")


def test_every_company_in_the_directory_is_marked_a_state_owned_company_so_it_is_never_linked():
    for row in ROWS:
        if any(re.search("公司|集团|银行|有限", s) for s in _spellings(row)):
            assert row["kind"] == "soe", row
