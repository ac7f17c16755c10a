"""FilterSets for the lists and the board: what a person can narrow a list down to."""

import html

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import permissions
from .models import Assignment, CountsVersion, Department, Meeting
from .tables import html_of


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python: a template per option, times 200, was the
    largest cost of the list page."""

    def render(self, name, value, attrs=None, renderer=None):
        # Straight from the choices: get_context() builds a dict of attributes per option first.
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            chosen = " selected" if key in selected else ""
            if chosen and not self.allow_multiple_selected:
                selected = set()  # only the first match is selected, as Django's Select does
            options.append(f'<option value="{html.escape(key)}"{chosen}>{html_of(label)}</option>')
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe("".join(options))
        )


def meeting_label(date, title) -> str:
    """Label a meeting by date first, so a long list reads in order."""
    return f"{date:%Y-%m-%d} {title}" if date else title


class MeetingChoiceField(django_filters.fields.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, obj):
        return meeting_label(obj.date, obj.title)


class MeetingChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = MeetingChoiceField


# A city holds 100–300 meetings a year: offer the recent ones, and keep the page's size bounded.
MEETING_CHOICES = 200
# Staff's choices are kept this long at most; the key changes sooner when their work changes.
MEETING_CHOICES_SECONDS = 600


def meeting_choices(user, selected=None, visible=None) -> list[tuple[int, str]]:
    """Return (pk, label) of the meetings to offer: the user's most recent ones, plus the one chosen.

    For staff, "their meetings" means a search through all of the department's work (the slowest
    part of the list and the board at 100,000 items), so the answer is cached under the department's
    CountsVersion token: any change to its live work (assigning, confirming, cancelling, a new status)
    changes the key, and a renamed meeting shows within MEETING_CHOICES_SECONDS. `visible` is
    permissions.visible_meetings(user) when the caller has it already.
    """
    if visible is None:
        visible = permissions.visible_meetings(user)
    if permissions.is_staff_member(user) and user.department_id:
        key = f"duban:meeting-choices:{user.department_id}:{CountsVersion.of(user.department_id)}:{MEETING_CHOICES}"
        choices = cache.get(key)
        if choices is None:
            choices = recent_meetings(visible)
            cache.set(key, choices, MEETING_CHOICES_SECONDS)
    else:
        choices = recent_meetings(visible)
    if str(selected or "").isdigit() and int(selected) not in {pk for pk, _ in choices}:
        chosen = visible.filter(pk=int(selected)).values_list("pk", "date", "title")
        choices = choices + [(pk, meeting_label(date, title)) for pk, date, title in chosen]
    return choices


def recent_meetings(meetings) -> list[tuple[int, str]]:
    """(pk, label) of the MEETING_CHOICES most recent of `meetings`, newest first."""
    # Only what the option shows: a meeting's text is kilobytes.
    rows = meetings.order_by("-date", "-pk").values_list("pk", "date", "title")[:MEETING_CHOICES]
    return [(pk, meeting_label(date, title)) for pk, date, title in rows]


class AssignmentFilter(django_filters.FilterSet):
    """Filters of 我的事项 and the board; the choices offered depend on who is looking."""

    q = django_filters.CharFilter(
        label="搜索",
        method="filter_text",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "事项内容或单位", "autocomplete": "off"}
        ),
    )
    status = django_filters.ChoiceFilter(
        label="办理状态", choices=Assignment.Status.choices, empty_label="全部", widget=QuickSelect
    )
    light = django_filters.ChoiceFilter(
        label="亮灯",
        choices=Assignment.Light.choices,
        method="filter_light",
        empty_label="全部",
        widget=QuickSelect,
    )
    meeting = MeetingChoiceFilter(
        label="会议", field_name="item__meeting", queryset=Meeting.objects.none(), empty_label="全部会议"
    )
    department = django_filters.ModelChoiceFilter(
        label="承办单位", queryset=Department.objects.none(), empty_label="全部单位", widget=QuickSelect
    )
    role = django_filters.ChoiceFilter(
        label="角色", choices=Assignment.Role.choices, empty_label="全部", widget=QuickSelect
    )
    due_from = django_filters.DateFilter(
        label="到期日自", field_name="due_date", lookup_expr="gte", widget=DateInput()
    )
    due_to = django_filters.DateFilter(
        label="到期日至", field_name="due_date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Assignment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        # The form checks a chosen meeting against all the user may see (its options are set below),
        # so the queryset, a search through a 联络员's work, is only built when a meeting is chosen.
        chosen = self.data.get("meeting")
        visible_meetings = permissions.visible_meetings(user) if chosen else None
        self.filters["meeting"].queryset = (
            Meeting.objects.none() if visible_meetings is None else visible_meetings
        )
        if permissions.is_office(user) or permissions.is_manager(user):
            departments = permissions.visible_departments(user).real().order_by("name")
            self.filters["department"].queryset = departments
        else:
            departments = None
            del self.filters["department"]
        empty = [("", self.filters["meeting"].extra["empty_label"])]
        self.form.fields["meeting"].widget.choices = empty + meeting_choices(user, chosen, visible_meetings)
        if departments is not None:
            # Names only: a Department row carries its aliases (JSON) and the select needs none of it.
            empty = [("", self.filters["department"].extra["empty_label"])]
            self.form.fields["department"].widget.choices = empty + list(
                departments.values_list("pk", "name")
            )

    def qs_without(self, *names):
        """Return the queryset filtered by every valid field except `names` (for counts per status)."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(item__text__icontains=word) | Q(department__name__icontains=word))
        return queryset

    def filter_light(self, queryset, name, value):
        return queryset.filter_light(value)


class MeetingFilter(django_filters.FilterSet):
    """Filters of the meeting list: kind, year and words of the title."""

    q = django_filters.CharFilter(
        label="搜索",
        field_name="title",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "会议名称", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=Meeting.Kind.choices, empty_label="全部类型")
    year = django_filters.ChoiceFilter(
        label="年份", field_name="date__year", choices=[], empty_label="全部年份"
    )

    class Meta:
        model = Meeting
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        meetings = permissions.visible_meetings(request.user)
        # A plain function: form fields are deep-copied, and a bound method would drag the request along.
        self.filters["year"].extra["choices"] = lambda: year_choices(meetings)


def year_choices(meetings) -> list[tuple[int, str]]:
    """Offer the years that have meetings, newest first (one query, when the form is rendered)."""
    years = meetings.order_by().dates("date", "year", order="DESC")
    return [(d.year, f"{d.year}年") for d in years]
