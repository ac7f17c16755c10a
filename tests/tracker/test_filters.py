"""The FilterSets of the lists: what each filter keeps, and which choices each role is offered."""

import datetime

import pytest
from django.test import RequestFactory

from tracker import permissions
from tracker.filters import AssignmentFilter, MeetingFilter, meeting_choices
from tracker.models import ActionItem, Assignment, Meeting

S = Assignment.Status
DAY = datetime.timedelta(days=1)


def filtered(user, **data):
    """Return the filterset for `user` over their visible assignments, bound to `data`."""
    request = RequestFactory().get("/", data)
    request.user = user
    return AssignmentFilter(request.GET, queryset=permissions.visible_assignments(user), request=request)


def texts(filterset):
    return sorted(filterset.qs.values_list("item__text", flat=True))


@pytest.fixture
def three(make_item, departments, today):
    """Three 市农办 items: overdue and pending, due soon and in progress, far off and done."""
    late = make_item(lead=departments["nongban"], text="逾期未签收", deadline=today - 3 * DAY)
    soon = make_item(lead=departments["nongban"], text="临期办理中", deadline=today + 3 * DAY)
    far = make_item(lead=departments["nongban"], text="远期已办结", deadline=today + 90 * DAY)
    Assignment.objects.filter(item=soon).update(status=S.IN_PROGRESS)
    Assignment.objects.filter(item=far).update(status=S.DONE)
    return late, soon, far


def test_no_filter_keeps_everything_visible(users, three):
    assert texts(filtered(users["staff"])) == sorted(["临期办理中", "逾期未签收", "远期已办结"])


def test_status_filter(users, three):
    assert texts(filtered(users["staff"], status=S.IN_PROGRESS)) == ["临期办理中"]


@pytest.mark.parametrize(
    ("light", "expected"),
    [
        ("red", ["逾期未签收"]),
        ("yellow", ["临期办理中"]),
        ("blue", ["远期已办结"]),
        ("green", []),
        ("grey", []),
    ],
)
def test_light_filter(users, three, light, expected):
    assert texts(filtered(users["staff"], light=light)) == expected


def test_due_range_filter(users, three, today):
    f = filtered(users["staff"], due_from=str(today), due_to=str(today + 10 * DAY))
    assert texts(f) == ["临期办理中"]


def test_text_filter_needs_every_word(users, three):
    assert texts(filtered(users["staff"], q="逾期 签收")) == ["逾期未签收"]
    assert texts(filtered(users["staff"], q="逾期 办结")) == []


def test_text_filter_matches_the_department(users, item):
    assert len(filtered(users["office"], q="教体").qs) == 1


def test_role_filter(users, item):
    assert list(filtered(users["office"], role="support").qs.values_list("department__name", flat=True)) == [
        "教体局"
    ]


def test_meeting_filter(users, item, db):
    other = Meeting.objects.create(title="另一次会议", natural_key="other")
    assert filtered(users["office"], meeting=item.meeting_id).qs.count() == 2
    assert filtered(users["office"], meeting=other.pk).qs.count() == 0


def test_staff_cannot_pick_a_meeting_they_may_not_see(users, make_item, departments, db):
    hidden = Meeting.objects.create(title="教体局的会议", natural_key="hidden")
    f = filtered(users["staff"], meeting=hidden.pk)
    assert not f.is_valid()
    assert "meeting" in f.form.errors


def test_department_filter_only_for_office_and_manager(users, db):
    assert "department" in filtered(users["office"]).form.fields
    assert "department" in filtered(users["manager"]).form.fields
    assert "department" not in filtered(users["staff"]).form.fields


def test_department_choices_leave_out_group_words(users, departments):
    choices = [label for _, label in filtered(users["office"]).form.fields["department"].choices]
    assert "市农办" in choices
    assert "相关部门" not in choices


def test_department_filter(users, item, departments):
    f = filtered(users["office"], department=departments["jiaoti"].pk)
    assert list(f.qs.values_list("department__name", flat=True)) == ["教体局"]


def test_meeting_choices_show_the_date_first(users, meeting):
    form = filtered(users["office"]).form
    labels = [label for _, label in form.fields["meeting"].widget.choices]
    assert "2026-03-13 十六届政府第1次常务会议" in labels
    assert f'<option value="{meeting.pk}">2026-03-13 十六届政府第1次常务会议</option>' in str(form["meeting"])


def test_qs_without_ignores_only_the_named_filter(users, three):
    f = filtered(users["staff"], status=S.DONE, q="逾期")
    f.is_valid()
    assert sorted(f.qs_without("status").values_list("item__text", flat=True)) == ["逾期未签收"]
    assert list(f.qs) == []


def test_invalid_values_are_ignored_not_fatal(users, three):
    f = filtered(users["staff"], status="bogus", light="purple", due_from="昨天")
    assert not f.is_valid()
    assert len(texts(f)) == 3


def meetings_filtered(user, **data):
    request = RequestFactory().get("/", data)
    request.user = user
    return MeetingFilter(request.GET, queryset=permissions.visible_meetings(user), request=request)


@pytest.fixture
def meetings(db):
    make = Meeting.objects.create
    return [
        make(title="常务会议甲", kind="executive", date=datetime.date(2025, 3, 1), natural_key="a"),
        make(title="专题会议乙", kind="special", date=datetime.date(2026, 3, 1), natural_key="b"),
        make(title="无日期会议", kind="other", date=None, natural_key="c"),
    ]


def test_meeting_kind_filter(users, meetings):
    assert [m.title for m in meetings_filtered(users["office"], kind="special").qs] == ["专题会议乙"]


def test_meeting_year_filter_offers_the_years_with_meetings(users, meetings):
    f = meetings_filtered(users["office"], year="2025")
    assert [m.title for m in f.qs] == ["常务会议甲"]
    assert list(f.form.fields["year"].choices) == [("", "全部年份"), (2026, "2026年"), (2025, "2025年")]


def test_meeting_title_search(users, meetings):
    assert [m.title for m in meetings_filtered(users["office"], q="专题").qs] == ["专题会议乙"]


def test_year_choices_only_show_years_staff_may_see(users, meetings, item):
    choices = list(meetings_filtered(users["staff"]).form.fields["year"].choices)
    assert choices == [("", "全部年份"), (2026, "2026年")]


def test_meeting_choices_offer_the_recent_meetings_and_the_chosen_one(users, db, monkeypatch):
    monkeypatch.setattr("tracker.filters.MEETING_CHOICES", 2)
    old, middle, new, newest = (
        Meeting.objects.create(title=f"会议{n}", date=datetime.date(2020 + n, 1, 1), natural_key=str(n))
        for n in range(4)
    )
    pks = [pk for pk, _ in meeting_choices(users["office"])]
    assert pks == [newest.pk, new.pk]
    assert [pk for pk, _ in meeting_choices(users["office"], str(old.pk))] == [newest.pk, new.pk, old.pk]
    assert [pk for pk, _ in meeting_choices(users["office"], "x")] == [newest.pk, new.pk]
    assert [pk for pk, _ in meeting_choices(users["office"], str(new.pk))] == [newest.pk, new.pk]


def test_staff_are_offered_only_the_meetings_of_their_work(users, item, meeting, db):
    Meeting.objects.create(title="别的会议", date=datetime.date(2026, 5, 1), natural_key="other")
    assert [pk for pk, _ in meeting_choices(users["staff"])] == [meeting.pk]
    assert [label for _, label in filtered(users["staff"]).form.fields["meeting"].widget.choices] == [
        "全部会议",
        "2026-03-13 十六届政府第1次常务会议",
    ]


def test_staff_meeting_choices_follow_new_work_at_once(users, item, departments, db):
    """Cached, but under a key that changes when the department's work does."""
    assert len(meeting_choices(users["staff"])) == 1
    later = Meeting.objects.create(title="新会议", date=datetime.date(2026, 7, 1), natural_key="later")
    new = ActionItem.objects.create(meeting=later, position=1, text="新任务", state=ActionItem.State.ACTIVE)
    new.assign(departments["nongban"], role=Assignment.Role.LEAD, by=users["office"])
    assert [label for _, label in meeting_choices(users["staff"])][0] == "2026-07-01 新会议"


def test_staff_meeting_choices_follow_work_that_moves_without_changing_its_count(
    users, item, departments, db
):
    """One item cancelled and another assigned: as many live assignments as before, other meetings."""
    assert [pk for pk, _ in meeting_choices(users["staff"])] == [item.meeting_id]
    later = Meeting.objects.create(title="新会议", date=datetime.date(2026, 7, 1), natural_key="later")
    new = ActionItem.objects.create(meeting=later, position=1, text="新任务", state=ActionItem.State.ACTIVE)
    new.assign(departments["nongban"], role=Assignment.Role.LEAD, by=users["office"])
    item.cancel(by=users["office"], reason="合并到新任务")
    assert [pk for pk, _ in meeting_choices(users["staff"])] == [later.pk]


def test_staff_cannot_pick_a_meeting_without_their_work(users, item, db):
    other = Meeting.objects.create(title="别的会议", date=datetime.date(2026, 5, 1), natural_key="other")
    f = filtered(users["staff"], meeting=other.pk)
    assert not f.is_valid()
    assert [pk for pk, _ in meeting_choices(users["staff"], str(other.pk))] == [item.meeting_id]


def test_an_old_meeting_stays_selectable_by_address(users, db, monkeypatch):
    monkeypatch.setattr("tracker.filters.MEETING_CHOICES", 1)
    old = Meeting.objects.create(title="旧会议", date=datetime.date(2010, 1, 1), natural_key="old")
    Meeting.objects.create(title="新会议", date=datetime.date(2026, 1, 1), natural_key="new")
    f = filtered(users["office"], meeting=old.pk)
    assert f.is_valid()


def test_drafts_never_reach_staff_through_filters(users, make_item, departments):
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    assert filtered(users["staff"]).qs.count() == 0


@pytest.mark.parametrize("value", [None, "1", 2])
def test_quick_select_writes_what_djangos_select_writes(value):
    import re

    from django import forms

    from tracker.filters import QuickSelect

    choices = [("", "全部会议"), (1, '2026-01-01 会议<&>"甲"'), (2, "乙")]
    attrs = {"id": "id_meeting", "required": False, "data-x": True}
    django_html = forms.Select(choices=choices, attrs=attrs).render("meeting", value)
    assert QuickSelect(choices=choices, attrs=attrs).render("meeting", value) == re.sub(
        r">\s+<", "><", django_html
    )
