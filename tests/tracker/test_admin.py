"""The Django admin: the office uses every page; department staff are kept out."""

import datetime

import pytest
from django.urls import reverse

from tracker.management.commands.setup_demo import ensure_groups
from tracker.models import ActionItem, Assignment, JournalEntry

MODELS = ["department", "user", "meeting", "actionitem", "assignment", "journalentry"]


@pytest.fixture
def office_client(client, users, item):
    ensure_groups()
    client.force_login(users["office"])
    return client


def obj_for(model, item, users, departments):
    return {
        "department": departments["nongban"],
        "user": users["staff"],
        "meeting": item.meeting,
        "actionitem": item,
        "assignment": item.assignments.first(),
        "journalentry": item.journal.first(),
    }[model]


@pytest.mark.parametrize("model", MODELS)
def test_office_opens_changelist_and_change_page(office_client, model, item, users, departments):
    assert office_client.get(reverse(f"admin:tracker_{model}_changelist")).status_code == 200
    obj = obj_for(model, item, users, departments)
    assert office_client.get(reverse(f"admin:tracker_{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", ["department", "user", "meeting", "actionitem", "assignment"])
def test_office_opens_add_page(office_client, model):
    assert office_client.get(reverse(f"admin:tracker_{model}_add")).status_code == 200


def test_journal_cannot_be_added_or_deleted(office_client, item):
    assert office_client.get(reverse("admin:tracker_journalentry_add")).status_code == 403
    entry = item.journal.first()
    assert office_client.get(reverse("admin:tracker_journalentry_delete", args=[entry.pk])).status_code == 403


def test_admin_is_in_chinese(office_client):
    body = office_client.get(reverse("admin:index")).content.decode()
    assert "督办管理后台" in body and "督办事项" in body


def test_admin_pages_carry_the_sites_icon(office_client):
    # Without it the browser asks for /favicon.ico, which is no page of ours (a 404 on every admin page).
    page = office_client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert "督办管理后台" in page  # still the admin's own base_site


def test_the_date_filter_of_a_dated_list_is_labelled_in_chinese(office_client):
    page = office_client.get(reverse("admin:tracker_actionitem_changelist")).content.decode()
    assert "按完成时限筛选" in page
    assert "Filter by" not in page


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_non_office_users_are_sent_to_admin_login(client, users, role):
    ensure_groups()
    client.force_login(users[role])
    response = client.get(reverse("admin:tracker_actionitem_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_department_aliases_are_edited_as_lines(office_client, departments):
    d = departments["jiaoti"]
    response = office_client.post(
        reverse("admin:tracker_department_change", args=[d.pk]),
        {
            "name": d.name,
            "short_name": "",
            "kind": "city",
            "scope": "",
            "aliases": "教体部门\n市教体局、教育体育局",
            "active": "on",
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.aliases == ["教体部门", "市教体局", "教育体育局"]


def test_bulk_close_action_goes_through_the_model_and_journal(office_client, lead):
    Assignment.objects.filter(pk=lead.pk).update(status=Assignment.Status.REVIEW)
    other = Assignment.objects.exclude(pk=lead.pk).get()  # still pending: must be refused, not forced
    response = office_client.post(
        reverse("admin:tracker_assignment_changelist"),
        {"action": "close_assignments", "_selected_action": [lead.pk, other.pk]},
        follow=True,
    )
    assert response.status_code == 200
    lead.refresh_from_db()
    other.refresh_from_db()
    assert lead.status == Assignment.Status.DONE
    assert other.status == Assignment.Status.PENDING
    assert JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.CLOSE).count() == 1


def test_the_office_reminds_the_overdue_assignments_it_filtered_in_bulk(office_client, lead, today):
    Assignment.objects.filter(pk=lead.pk).update(
        status=Assignment.Status.IN_PROGRESS, due_date=today - datetime.timedelta(days=1)
    )
    changelist = reverse("admin:tracker_assignment_changelist")
    listed = office_client.get(changelist, {"light": "red"}).context["cl"].result_list
    assert [a.pk for a in listed] == [lead.pk]

    office_client.post(changelist, {"action": "remind_assignments", "_selected_action": [lead.pk]})

    reminder = JournalEntry.objects.get(assignment=lead, action=JournalEntry.Action.REMIND)
    assert reminder.actor.username == "duban"
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.IN_PROGRESS


def test_bulk_confirm_action_confirms_drafts(office_client, make_item, departments):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    office_client.post(
        reverse("admin:tracker_actionitem_changelist"),
        {"action": "confirm_items", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.ACTIVE


def test_meeting_changelist_offers_bulk_import(office_client):
    body = office_client.get(reverse("admin:tracker_meeting_changelist")).content.decode()
    assert reverse("importer:import_start") in body and "批量导入" in body


def _change_form_data(response):
    """The admin change page's form as a browser would post it: every field and inline as shown."""
    data = {}
    for name, field in response.context["adminform"].form.fields.items():
        value = response.context["adminform"].form.initial.get(name, field.initial)
        if value is not None:
            data[name] = (
                [v.pk if hasattr(v, "pk") else v for v in value] if isinstance(value, list) else value
            )
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for form in formset.forms:
            for name in form.fields:
                value = form.initial.get(name)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
            if form.instance.pk:  # the hidden key fields of a saved row
                data[form.add_prefix(formset.model._meta.pk.name)] = form.instance.pk
                data[form.add_prefix(formset.fk.name)] = inline.formset.instance.pk
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_an_assignment_added_inline_to_a_live_item_is_live_and_listed(
    office_client, item, departments, users
):
    url = reverse("admin:tracker_actionitem_change", args=[item.pk])
    data = _change_form_data(office_client.get(url))
    prefix = "assignments"
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {
        f"{prefix}-TOTAL_FORMS": n + 1,
        f"{prefix}-{n}-department": departments["town"].pk,
        f"{prefix}-{n}-role": Assignment.Role.SUPPORT,
        f"{prefix}-{n}-due_date": "2026-08-01",
        f"{prefix}-{n}-item": item.pk,
    }
    response = office_client.post(url, data)
    assert response.status_code == 302, [
        f.errors for f in response.context["inline_admin_formsets"][0].formset
    ]
    added = Assignment.objects.get(item=item, department=departments["town"])
    assert added.live
    assert Assignment.objects.live().filter(item=item).count() == 3
