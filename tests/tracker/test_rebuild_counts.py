"""manage.py rebuild_counts: the dashboard's counts come back right after a hand edit."""

from django.core.management import call_command

from tracker.models import Assignment, AssignmentTally


def kept(on):
    return list(AssignmentTally.objects.summary_by_department(on))


def recount(on):
    return list(Assignment.objects.summary_by_department(on))


def test_rebuild_counts_repairs_counts_after_an_edit_that_bypassed_the_workflow(lead, today, capsys):
    assert kept(today) == recount(today)
    Assignment.objects.filter(pk=lead.pk).update(status=Assignment.Status.DONE, finished_on=today)
    assert kept(today) != recount(today)  # the kept counts did not see the raw update

    call_command("rebuild_counts")

    assert kept(today) == recount(today)
    assert "已重算" in capsys.readouterr().out
