"""The import flow's pages: paste or upload → preview → confirm → result, for the office only."""

import datetime
import io
import json

import pytest
from django import forms
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from importer.read import MAX_BYTES
from tests.tracker.test_tally import DAY, assert_live_flags_match, kept, recount
from tracker.management.commands.setup_demo import DATA as DIRECTORY
from tracker.management.commands.setup_demo import SEED, ensure_groups, load_departments
from tracker.models import ActionItem, Assignment, Department, JournalEntry, Meeting

NEWS = """市政府召开第5次常务会议
2024年6月8日
6月8日，市长王明主持召开市政府第5次常务会议。会议研究了《关于加快农村公路建设的实施意见》。
会议要求，市交通运输局要牵头抓好农村公路提升工程，9月底前完成年度任务。
会议强调，各乡镇(街道)要落实属地责任，做好道路养护工作。
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep the texts of imports in progress in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def directory(departments):
    """The seed city's departments and group words, as setup_demo loads them."""
    load_departments(json.loads(DIRECTORY.read_text(encoding="utf-8")))
    return Department.objects.all()


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def start(client, **data):
    return client.post(reverse("importer:import_start"), data)


@pytest.fixture
def office(client, users, directory):
    return login(client, users["office"])


@pytest.fixture
def token(office, seed_text):
    """Paste the seed as the office and return the token of its preview."""
    response = start(office, text=seed_text, year="2017")
    assert response.status_code == 302
    return response["Location"].rstrip("/").split("/")[-1]


def preview_url(token):
    return reverse("importer:import_preview", args=[token])


def confirm_url(token):
    return reverse("importer:import_confirm", args=[token])


def result_url(token):
    return reverse("importer:import_result", args=[token])


def form_data(review) -> dict:
    """Return the POST data of the review form as the browser sends it untouched."""
    data = {}
    for meeting in review.importable:
        for form in [meeting.form, *(i.form for i in meeting.items)]:
            for name, field in form.fields.items():
                key, value = form.add_prefix(name), form[name].value()
                if isinstance(field, forms.BooleanField):
                    if value:
                        data[key] = "on"
                elif isinstance(field, forms.MultipleChoiceField):
                    if value:  # an empty multi-select sends nothing
                        data[key] = [str(v) for v in value]
                elif isinstance(value, datetime.date):
                    data[key] = value.isoformat()
                else:
                    data[key] = "" if value is None else str(value)
    return data


def review_of(client, token):
    response = client.get(preview_url(token))
    assert response.status_code == 200
    return response.context["review"]


def db_state() -> tuple:
    return (
        list(Meeting.objects.values_list("pk", "text_hash")),
        list(ActionItem.objects.values_list("pk", "text", "state")),
        list(Assignment.objects.values_list("pk", "department_id")),
        JournalEntry.objects.count(),
    )


def meeting_key(review, title_part: str):
    return next(m for m in review.importable if title_part in m.parsed.title)


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("staff", 403), ("other_staff", 403), ("manager", 403), ("office", 200)],
)
def test_import_start_is_for_the_office_only(client, users, who, expected):
    response = login(client, users.get(who)).get(reverse("importer:import_start"))

    assert response.status_code == expected
    if who is None:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", [None, "staff", "manager"])
@pytest.mark.parametrize("view", ["import_preview", "import_confirm", "import_result"])
def test_the_later_steps_are_for_the_office_only(client, users, token, who, view):
    client.logout()
    login(client, users.get(who))
    url = reverse(f"importer:{view}", args=[token])

    response = client.post(url) if view == "import_confirm" else client.get(url)

    if who is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403
    assert Meeting.objects.count() == 0


def test_another_office_user_cannot_open_someone_elses_import(client, users, token):
    from tests.conftest import make_user
    from tracker.permissions import OFFICE

    colleague = make_user("duban2", OFFICE, users["office"].department)
    client.force_login(colleague)

    assert client.get(preview_url(token)).status_code == 404
    assert client.post(confirm_url(token)).status_code == 404


def test_an_unknown_token_is_not_found(office):
    assert office.get(preview_url("no-such-import")).status_code == 404
    assert office.get(result_url("no-such-import")).status_code == 404


def test_the_admin_meetings_changelist_links_to_the_import(client, users, directory):
    ensure_groups()
    client.force_login(users["office"])

    response = client.get(reverse("admin:tracker_meeting_changelist"))

    assert response.status_code == 200
    assert reverse("importer:import_start") in response.content.decode()
    assert "批量导入" in response.content.decode()
    assert client.get(reverse("importer:import_start")).status_code == 200


# --- start: paste or upload ----------------------------------------------------------------------


def test_import_start_page_has_a_labelled_form(office):
    response = office.get(reverse("importer:import_start"))

    html = response.content.decode()
    assert response.templates[0].name == "importer/import_start.html"
    assert '<form id="import-form"' in html and "<html" in html
    for field in ("text", "files", "year"):
        assert f'for="id_{field}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "import.js" in html and 'id="import-progress"' in html


def test_import_start_fragment_for_htmx(office):
    response = office.get(reverse("importer:import_start"), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="import-form"') and "<html" not in html


def test_pasting_the_seed_goes_to_the_preview_and_writes_nothing(office, seed_text, media_root):
    response = start(office, text=seed_text, year="2017")

    assert response.status_code == 302
    assert response["Location"].startswith("/import/")
    assert Meeting.objects.count() == 0 and ActionItem.objects.count() == 0
    assert len(list((media_root / "imports").iterdir())) == 1


def test_with_htmx_a_valid_start_tells_the_browser_to_load_the_preview(office, seed_text):
    response = office.post(
        reverse("importer:import_start"), {"text": seed_text, "year": "2017"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/import/")


def test_an_empty_form_says_what_is_missing(office):
    response = start(office, text="   ")

    assert response.status_code == 200
    assert "请粘贴会议文本，或选择要上传的文件。" in response.content.decode()


def test_an_invalid_start_with_htmx_returns_the_form_fragment_with_status_200(office):
    response = office.post(reverse("importer:import_start"), {"text": ""}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="import-form"')
    assert "请粘贴会议文本" in html


def test_text_without_meetings_is_refused(office, media_root):
    response = start(office, text="今天天气很好，我们去公园散步。")

    assert response.status_code == 200
    assert "没有找到会议" in response.content.decode()
    assert not (media_root / "imports").exists()


def upload(client, *files, **data):
    return client.post(reverse("importer:import_start"), {"files": list(files), **data})


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_several_files_in_several_encodings_are_imported_together(office, seed_text):
    files = [
        SimpleUploadedFile("年鉴.txt", seed_text.encode("gb18030")),
        SimpleUploadedFile("常务会议.docx", docx_bytes(*NEWS.splitlines())),
    ]

    response = upload(office, *files, year="2017")

    assert response.status_code == 302
    preview = office.get(response["Location"])
    html = preview.content.decode()
    assert "年鉴.txt" in html and "常务会议.docx" in html
    assert "第5次常务会议" in html and "十六届一次全体会议" in html
    assert "市交通运输局要牵头抓好农村公路提升工程" in html


def test_a_task_table_saved_as_csv_is_previewed_with_its_rows_as_items(office):
    table = (
        "序号,工作任务,责任单位,完成时间\n"
        "1,开展农村人居环境整治,市农办,6月底前\n"
        "2,完成高标准农田建设2万亩,市农业农村局,年底前\n"
        "3,推进城乡供水一体化,市水利局,9月底前\n"
    )

    response = upload(office, SimpleUploadedFile("任务.csv", table.encode("gb18030")), year="2024")

    assert response.status_code == 302
    html = office.get(response["Location"]).content.decode()
    assert "任务.csv" in html and "开展农村人居环境整治" in html and "推进城乡供水一体化" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("空.txt", b"", "文件为空"),
        ("图片.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "图片文件"),
        ("乱码.txt", bytes(range(128, 256)) * 40 + b"\x00\x01\x02" * 50, "二进制"),
        ("报告.pdf", b"%PDF-1.4 ...", "暂不支持 PDF"),
        ("旧文档.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 Word"),
        ("坏文档.docx", b"PK\x03\x04 not really a zip", "不是有效的 Word(.docx) 文件"),
        ("坏表格.xlsx", b"PK\x03\x04 not really a zip", "不是有效的 Excel(.xlsx) 文件"),
        ("旧表格.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 Excel"),
        ("无会议.txt", "今天天气很好。".encode(), "没有找到会议"),
    ],
)
def test_a_bad_file_gets_its_message_on_the_form_and_nothing_is_kept(
    office, media_root, name, content, message
):
    response = upload(office, SimpleUploadedFile(name, content))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and name in html
    assert Meeting.objects.count() == 0
    assert not (media_root / "imports").exists()


def test_a_file_over_20_mb_is_refused_before_reading(office, media_root):
    big = SimpleUploadedFile("大文件.txt", b"a" * (MAX_BYTES + 1))

    response = upload(office, big)

    html = response.content.decode()
    assert "超过 20 MB 的上限" in html and "大文件.txt" in html
    assert not (media_root / "imports").exists()


def test_one_bad_file_among_good_ones_stops_the_whole_import(office, seed_text, media_root):
    response = upload(
        office, SimpleUploadedFile("好.txt", seed_text.encode()), SimpleUploadedFile("坏.txt", b"")
    )

    assert response.status_code == 200 and "文件为空" in response.content.decode()
    assert not (media_root / "imports").exists()


# --- preview -------------------------------------------------------------------------------------


def test_the_preview_shows_the_seed_meetings_with_drafts_beside_their_sources(office, token):
    response = office.get(preview_url(token))

    html = response.content.decode()
    review = response.context["review"]
    assert response.status_code == 200 and "<html" in html
    assert len(review.importable) == len(review.meetings) > 20
    for title in ("十六届一次全体会议", "十六届政府第1次常务会议", "创卫部署会议"):
        assert title in html
    assert "新会议" in html and "没有新内容" not in html
    # The draft beside its source sentence, and the whole text with every item marked.
    assert "<mark>全市上下要认真清形势,提高标杆</mark>" in html
    assert html.count("<mark><sup>") == review.item_count
    assert Meeting.objects.count() == 0


def test_the_preview_flags_group_words_and_preselects_linked_departments(office, token):
    review = review_of(office, token)

    items = [i for m in review.importable for i in m.items]
    group_flags = {f.mention for i in items for f in i.flags if f.is_group}
    assert {"相关部门", "全市上下"} <= group_flags
    nongban = Department.objects.get(name="市农办")
    farm = next(i for i in items if i.parsed.text.startswith("市农办要按照"))
    assert str(nongban.pk) in [str(v) for v in farm.form["lead"].value()]
    towns = next(i for i in items if i.parsed.text.startswith("各乡镇(街道)要落实主体责任"))
    flag = next(f for f in towns.flags if f.is_group)
    township_ids = set(Department.objects.filter(kind=Department.Kind.TOWNSHIP).values_list("pk", flat=True))
    assert set(towns.form[flag.field].value()) == township_ids


def test_the_preview_fragment_for_htmx(office, token):
    response = office.get(preview_url(token), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="import-preview">') and "<html" not in html
    assert '<form id="review-form"' in html


def test_the_preview_runs_a_fixed_number_of_queries(office, token, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        office.get(preview_url(token))


# A web page copied whole: the meeting names only month and day, and the year is on the page's
# 发布时间 line, which reading drops as page chrome.
WEB_PAGE = """市政府召开第45次常务会议
发布时间：2025-04-18 09:30  来源：市政府办公室
4月17日下午，市长王建国主持召开市政府第45次常务会议。
会议强调，市住建局要加快老旧小区改造，6月底前完成年度改造计划编制。
"""


@pytest.mark.parametrize("how", ["pasted", "uploaded"])
def test_a_web_page_without_a_year_is_dated_by_its_publication_line_through_preview_and_confirm(
    office, media_root, how
):
    if how == "pasted":
        response = start(office, text=WEB_PAGE)
    else:
        page = SimpleUploadedFile("常务会议.txt", WEB_PAGE.encode("utf-8"), content_type="text/plain")
        response = upload(office, page)
    assert response.status_code == 302
    token = response["Location"].rstrip("/").split("/")[-1]

    review = review_of(office, token)  # parsed again from the kept text, after reading dropped the line
    (meeting,) = review.importable
    assert meeting.parsed.date == datetime.date(2025, 4, 17)
    assert [i.parsed.deadline.date for i in meeting.items] == [datetime.date(2025, 6, 30)]
    assert office.post(confirm_url(token), form_data(review)).status_code == 302
    assert Meeting.objects.get().date == datetime.date(2025, 4, 17)
    assert ActionItem.objects.get().deadline == datetime.date(2025, 6, 30)


# --- confirm -------------------------------------------------------------------------------------


def test_confirm_writes_the_meetings_and_items_and_assigns_them(office, token, users):
    review = review_of(office, token)

    response = office.post(confirm_url(token), form_data(review))

    assert response.status_code == 302 and response["Location"] == result_url(token)
    assert Meeting.objects.count() == len(review.importable)
    assert ActionItem.objects.count() == review.item_count
    active = ActionItem.objects.filter(state=ActionItem.State.ACTIVE)
    assert active.exists() and ActionItem.objects.filter(state=ActionItem.State.DRAFT).exists()
    farm = ActionItem.objects.get(text__startswith="市农办要按照")
    assert farm.state == ActionItem.State.ACTIVE
    assert farm.assignments.get().department.name == "市农办"
    assert farm.journal.filter(action=JournalEntry.Action.CONFIRM, actor=users["office"]).exists()
    towns = ActionItem.objects.get(text__startswith="各乡镇(街道)要落实主体责任")
    assert towns.state == ActionItem.State.ACTIVE
    assert towns.assignments.count() == Department.objects.filter(kind=Department.Kind.TOWNSHIP).count()


def test_confirm_mails_each_department_its_assigned_items_once(
    office, token, users, settings, django_capture_on_commit_callbacks
):
    settings.DUBAN_MAIL_NOTICES = True
    users["staff"].email = "lianluo@nongban.gov.cn"  # 联络员 of 市农办
    users["staff"].save()
    review = review_of(office, token)

    with django_capture_on_commit_callbacks(execute=True):
        office.post(confirm_url(token), form_data(review))

    assert [m.to for m in mail.outbox] == [["lianluo@nongban.gov.cn"]]
    mine = ActionItem.objects.filter(assignments__department__name="市农办", state=ActionItem.State.ACTIVE)
    assert mine.exists()
    for item in mine:
        assert item.text in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("【交办】市农办：")


def test_confirm_with_htmx_redirects_the_browser_to_the_result(office, token):
    data = form_data(review_of(office, token))

    response = office.post(confirm_url(token), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and response["HX-Redirect"] == result_url(token)


def test_a_failure_halfway_through_confirm_leaves_the_database_unchanged(
    office, token, monkeypatch, fail_writing
):
    data = form_data(review_of(office, token))
    before = db_state()
    seen = fail_writing(Assignment, DatabaseError("disk I/O error"))
    response = office.post(confirm_url(token), data)
    assert seen and seen[0] > len(before[0])

    assert response.status_code == 200
    assert "写入数据库时出错，本次导入已全部撤销" in response.content.decode()
    assert db_state() == before
    monkeypatch.undo()
    assert office.post(confirm_url(token), data).status_code == 302  # the import is still there to retry
    assert Meeting.objects.count() > 0


def test_an_unexpected_error_halfway_also_leaves_the_database_unchanged(office, token, fail_writing):
    data = form_data(review_of(office, token))
    before = db_state()
    # The journal is written last: meetings, items and assignments are already in by then.
    seen = fail_writing(JournalEntry, RuntimeError("worker killed"))
    with pytest.raises(RuntimeError):
        office.post(confirm_url(token), data)

    assert seen and seen[0] > len(before[0])
    assert db_state() == before


def test_dropped_meetings_and_items_are_not_written(office, token):
    review = review_of(office, token)
    data = form_data(review)
    dropped_meeting = meeting_key(review, "十六届一次全体会议")
    kept_meeting = meeting_key(review, "创卫部署会议")
    dropped_item = kept_meeting.items[0]
    del data[dropped_meeting.form.add_prefix("accept")]
    del data[dropped_item.form.add_prefix("accept")]
    data[dropped_item.form.add_prefix("deadline")] = "not a date"  # a dropped draft's errors do not matter

    response = office.post(confirm_url(token), data)

    assert response.status_code == 302
    assert not Meeting.objects.filter(title="十六届一次全体会议").exists()
    meeting = Meeting.objects.get(title="创卫部署会议")
    texts = set(meeting.items.values_list("text", flat=True))
    assert dropped_item.parsed.text not in texts
    assert len(texts) == len(kept_meeting.items) - 1


def test_edits_to_a_meeting_and_a_draft_are_stored(office, token):
    review = review_of(office, token)
    data = form_data(review)
    meeting = meeting_key(review, "十六届一次全体会议")
    item = meeting.items[1]
    jiaoti = Department.objects.get(name="教体局")
    nongban = Department.objects.get(name="市农办")
    p = item.form.add_prefix
    data[meeting.form.add_prefix("title")] = "市政府十六届一次全体会议"
    data[p("text")] = "全市上下要认清形势，提高标杆（已改写）"
    data[p("deadline")] = "2017-06-30"
    data[p("lead")] = [str(nongban.pk)]
    data[p("support")] = [str(jiaoti.pk)]
    data[p("targets")] = "GDP增速 >= 10 %（力争 12）"
    data[p("resolve0")] = []

    response = office.post(confirm_url(token), data)

    assert response.status_code == 302
    stored = Meeting.objects.get(title="市政府十六届一次全体会议")
    edited = stored.items.get(text="全市上下要认清形势，提高标杆（已改写）")
    assert edited.deadline == datetime.date(2017, 6, 30)
    assert edited.deadline_kind == ActionItem.DeadlineKind.DATE
    assert edited.targets == [{"metric": "GDP增速", "op": ">=", "value": 10, "unit": "%", "stretch": 12}]
    assert stored.text[edited.span_start : edited.span_end] == item.parsed.text
    roles = {(a.department.name, a.role, a.due_date) for a in edited.assignments.all()}
    group = Department.objects.get(name="各级各部门")
    assert roles == {
        ("市农办", "lead", datetime.date(2017, 6, 30)),
        ("教体局", "support", datetime.date(2017, 6, 30)),
        (group.name, "lead", datetime.date(2017, 6, 30)),
    }
    assert edited.state == ActionItem.State.DRAFT  # the unresolved group word keeps it for review


def test_resolving_a_group_word_assigns_the_chosen_departments(office, token):
    review = review_of(office, token)
    data = form_data(review)
    meeting = meeting_key(review, "第3次常务会议")
    item = next(i for i in meeting.items if i.parsed.text.startswith("相关部门要相互配合"))
    flag = next(f for f in item.flags if f.is_group)
    chosen = list(Department.objects.filter(name__in=["市农办", "教体局"]).values_list("pk", flat=True))
    data[item.form.add_prefix(flag.field)] = [str(pk) for pk in chosen]

    office.post(confirm_url(token), data)

    stored = ActionItem.objects.get(text=item.parsed.text)
    assert stored.state == ActionItem.State.ACTIVE
    assert {a.department.name for a in stored.assignments.all()} == {"市农办", "教体局"}


def test_an_invalid_edit_redisplays_the_review_with_its_error(office, token):
    review = review_of(office, token)
    data = form_data(review)
    item = review.importable[0].items[0]
    data[item.form.add_prefix("text")] = "  "
    data[item.form.add_prefix("targets")] = "多多益善"

    response = office.post(confirm_url(token), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "importer/import_confirm.html"
    assert "这个字段是必填项" in html and "第1行“多多益善”无法识别" in html
    assert "有 1 处需要修改" in html
    assert Meeting.objects.count() == 0


def test_an_invalid_edit_with_htmx_returns_the_review_form_fragment(office, token):
    review = review_of(office, token)
    data = form_data(review)
    data[review.importable[0].form.add_prefix("date")] = "2017-02-31"

    response = office.post(confirm_url(token), data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="review-form"') and "<html" not in html
    assert "imp-alert-error" in html
    assert Meeting.objects.count() == 0


def test_confirming_twice_shows_the_result_again(office, token):
    data = form_data(review_of(office, token))
    office.post(confirm_url(token), data)
    before = db_state()

    response = office.post(confirm_url(token), data)

    assert response.status_code == 302 and response["Location"] == result_url(token)
    assert db_state() == before


# --- result and re-import ------------------------------------------------------------------------


def test_the_result_page_counts_and_links_what_was_written(office, token):
    office.post(confirm_url(token), form_data(review_of(office, token)))

    response = office.get(result_url(token))

    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "导入完成" in html
    meeting = Meeting.objects.get(title="十六届一次全体会议")
    assert meeting.get_absolute_url() in html
    item = ActionItem.objects.filter(state=ActionItem.State.ACTIVE).first()
    assert item.get_absolute_url() in html
    assert response.context["result"]["items_created"] == ActionItem.objects.count()


def test_the_result_fragment_for_htmx(office, token):
    office.post(confirm_url(token), form_data(review_of(office, token)))

    response = office.get(result_url(token), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-result">') and "<html" not in html


def test_importing_the_same_text_again_shows_nothing_new(office, token, seed_text):
    office.post(confirm_url(token), form_data(review_of(office, token)))
    before = db_state()

    again = start(office, text=seed_text, year="2017")
    token2 = again["Location"].rstrip("/").split("/")[-1]
    response = office.get(preview_url(token2))

    html = response.content.decode()
    assert "没有新内容" in html
    assert response.context["review"].nothing_new
    assert '<form id="review-form"' not in html
    assert "已导入，原文无变化" in html
    office.post(confirm_url(token2), {})
    assert db_state() == before


def test_a_changed_meeting_is_offered_again_and_keeps_assigned_items(office, token, seed_text):
    office.post(confirm_url(token), form_data(review_of(office, token)))
    assigned = ActionItem.objects.get(text__startswith="市农办要按照")
    changed = seed_text.replace("市农办要按照", "市农办要严格按照")

    again = start(office, text=changed, year="2017")
    token2 = again["Location"].rstrip("/").split("/")[-1]
    review = review_of(office, token2)

    assert [m.status for m in review.importable] == ["changed"]
    office.post(confirm_url(token2), form_data(review))
    assert ActionItem.objects.filter(pk=assigned.pk, state=ActionItem.State.ACTIVE).exists()
    result = office.get(result_url(token2)).context["result"]
    assert result["meetings_updated"] == 1 and len(result["conflicts"]) == 1


def test_the_same_meeting_twice_in_one_import_is_offered_once(office):
    news = docx_bytes(*NEWS.splitlines())
    files = [SimpleUploadedFile("一.docx", news), SimpleUploadedFile("二.docx", news)]

    response = upload(office, *files)
    review = review_of(office, response["Location"].rstrip("/").split("/")[-1])

    assert [m.status for m in review.meetings] == ["new", "duplicate"]
    assert "与本次导入的另一段重复" in office.get(response["Location"]).content.decode()


def test_abandoned_imports_are_deleted_after_a_day(office, seed_text, media_root):
    import os
    import time

    start(office, text=seed_text)
    (old,) = (media_root / "imports").iterdir()
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))

    start(office, text=seed_text)

    files = list((media_root / "imports").iterdir())
    assert len(files) == 1 and old not in files


def test_pasted_text_over_20_mb_is_refused(office, media_root):
    response = start(office, text="会" * (MAX_BYTES // 3 + 1))

    assert "超过 20 MB 的上限" in response.content.decode()
    assert not (media_root / "imports").exists()


# --- a ledger's recorded states ------------------------------------------------------------------

LEDGER = (
    "序号,工作任务,牵头单位,完成时限,办理状态\n"
    "1,开展农村人居环境整治,市农办,2024年6月30日,已办结\n"
    "2,推进城乡供水一体化,市水利局,2024年9月30日,推进中 80%\n"
    "3,完成高标准农田建设2万亩,市农业农村局,2024年12月31日,未启动\n"
    "4,建设农产品冷链物流中心,市农办,2024年12月31日,待研究\n"
)


def ledger_preview(client):
    response = upload(client, SimpleUploadedFile("台账.csv", LEDGER.encode("utf-8")), year="2024")
    assert response.status_code == 302
    return response["Location"].rstrip("/").split("/")[-1]


def test_the_preview_shows_each_ledger_rows_recorded_state(office):
    token = ledger_preview(office)

    html = office.get(preview_url(token)).content.decode()

    assert "台账记录：已完成" in html and "交办时承办任务直接记为已办结" in html
    assert "台账记录：推进中 80%" in html
    assert "台账记录：未启动" in html
    assert html.count("台账记录：") == 3  # 待研究 is no state anybody can read
    fragment = office.get(preview_url(token), headers={"HX-Request": "true"}).content.decode()
    assert "台账记录：推进中 80%" in fragment


def test_confirming_a_ledger_assigns_its_rows_in_their_recorded_states_with_counts_kept(office, today):
    token = ledger_preview(office)

    response = office.post(confirm_url(token), form_data(review_of(office, token)))

    assert response.status_code == 302
    states = {
        i.text.split("(")[0]: (i.state, [(a.status, a.progress) for a in i.assignments.all()])
        for i in ActionItem.objects.all()
    }
    assert states == {
        "1.开展农村人居环境整治": ("done", [("done", 100)]),
        "2.推进城乡供水一体化": ("active", [("in_progress", 80)]),
        "3.完成高标准农田建设2万亩": ("active", [("pending", 0)]),
        "4.建设农产品冷链物流中心": ("active", [("pending", 0)]),
    }
    assert Assignment.objects.get(status="done").finished_on == today
    # (the trend is left out: an undated ledger opens on the real day its rows were written, not on `today`)
    assert_live_flags_match()
    for on in (today, today + 400 * DAY):
        assert kept(on) == recount(on)
    html = office.get(result_url(token)).content.decode()
    assert "台账记录：已完成" in html


def test_a_reviewer_unticking_a_ledger_row_leaves_no_trace_of_its_state(office, today):
    token = ledger_preview(office)
    review = review_of(office, token)
    data = form_data(review)
    done_row = next(i for m in review.importable for i in m.items if i.parsed.position == 1)
    del data[done_row.form.add_prefix("accept")]

    office.post(confirm_url(token), data)

    assert not ActionItem.objects.filter(recorded_status="done").exists()
    assert not Assignment.objects.filter(status="done").exists()


def test_a_reviewer_may_assign_a_ledger_row_as_new_work_instead_of_its_recorded_state(office, today):
    token = ledger_preview(office)
    review = review_of(office, token)
    data = form_data(review)
    rows = {i.parsed.position: i for m in review.importable for i in m.items}
    assert "按台账记录交办" in office.get(preview_url(token)).content.decode()
    assert "keep_recorded" not in rows[3].form.fields  # 未启动: nothing to keep
    del data[rows[1].form.add_prefix("keep_recorded")]

    office.post(confirm_url(token), data)

    first = ActionItem.objects.get(text__startswith="1.")
    assert first.state == "active" and not first.recorded_status
    assert [(a.status, a.progress) for a in first.assignments.all()] == [("pending", 0)]
    second = ActionItem.objects.get(text__startswith="2.")
    assert [(a.status, a.progress) for a in second.assignments.all()] == [("in_progress", 80)]
    for on in (today, today + 400 * DAY):
        assert kept(on) == recount(on)
