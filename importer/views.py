"""Views of the import flow: paste or upload → preview → confirm → result.

The texts a person submits are read, normalised and kept server-side under a random token (one
JSON file in the default storage, under imports/); every later step parses them again, which is
deterministic and fast. Hidden fields carry nothing but the person's edits.
"""

import datetime
import json
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from tracker import notify, permissions
from tracker.models import ActionItem, Meeting

from .forms import ImportReview, ImportStartForm
from .pipeline import parse_source
from .read import Source
from .write import directory_from_database, write_reviewed

STORE = "imports"
STORE_HOURS = 24


def _require_office(request):
    if not permissions.can_manage_items(request.user):
        raise PermissionDenied("只有督办员可以导入会议文本。")


def _go(request, url):
    """Redirect, or with htmx tell the browser to load the page."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _path(token: str) -> str:
    return f"{STORE}/{token}.json"


def _store(user, year, sources: list[Source]) -> str:
    """Keep the normalised texts of an import, and their publication dates, for its next steps.

    Returns the token that names them.
    """
    _purge_stale()
    token = secrets.token_urlsafe(18)
    kept = [
        {"name": s.name, "text": s.text, "published": s.published.isoformat() if s.published else None}
        for s in sources
    ]
    payload = {"user": user.pk, "year": year, "sources": kept}
    default_storage.save(_path(token), ContentFile(json.dumps(payload, ensure_ascii=False).encode("utf-8")))
    return token


def _load(request, token: str) -> tuple[int | None, list[Source]]:
    """Return the year and texts kept under token for this user; 404 for anyone else."""
    path = _path(token)
    if not default_storage.exists(path):
        raise Http404("导入内容已过期或已完成。")
    with default_storage.open(path) as f:
        payload = json.loads(f.read().decode("utf-8"))
    if payload.get("user") != request.user.pk:
        raise Http404("导入内容不存在。")
    sources = [
        Source(
            s["name"], s["text"], datetime.date.fromisoformat(s["published"]) if s.get("published") else None
        )
        for s in payload["sources"]
    ]
    return payload.get("year"), sources


def _purge_stale():
    """Delete the kept texts of imports abandoned more than a day ago."""
    try:
        _, files = default_storage.listdir(STORE)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - datetime.timedelta(hours=STORE_HOURS)
    for name in files:
        path = f"{STORE}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _parse(sources, year):
    directory = directory_from_database()
    return [parse_source(source, year, directory) for source in sources]


@require_http_methods(["GET", "POST"])
def import_start(request):
    """Paste text or upload files; parse them and go on to the preview (nothing is written yet)."""
    _require_office(request)
    if request.method == "POST":
        form = ImportStartForm(request.POST, request.FILES, directory=directory_from_database())
        if form.is_valid():
            token = _store(request.user, form.cleaned_data["year"], form.sources)
            return _go(request, reverse("importer:import_preview", args=[token]))
    else:
        form = ImportStartForm()
    template = "importer/import_start.html#import-form" if request.htmx else "importer/import_start.html"
    return render(request, template, {"form": form})


@require_GET
def import_preview(request, token):
    """Show the parsed meetings and drafts, each beside its source sentence, for a person to review."""
    _require_office(request)
    year, sources = _load(request, token)
    review = ImportReview(_parse(sources, year))
    context = {"review": review, "token": token, "sources": [source.name for source in sources]}
    template = (
        "importer/import_preview.html#import-preview" if request.htmx else "importer/import_preview.html"
    )
    return render(request, template, context)


@require_POST
def import_confirm(request, token):
    """Write the reviewed meetings and items in one transaction, assign them, and show the result."""
    _require_office(request)
    result_url = reverse("importer:import_result", args=[token])
    try:
        year, sources = _load(request, token)
    except Http404:
        if _result_key(token) in request.session:
            return _go(request, result_url)  # a second click on 确认导入
        raise
    review = ImportReview(_parse(sources, year), data=request.POST)
    error = None
    if review.is_valid():
        try:
            report = write_reviewed(review.reviewed(), by=request.user)
        except DatabaseError:
            error = "写入数据库时出错，本次导入已全部撤销，请稍后重试。"
        else:
            request.session[_result_key(token)] = {
                "lines": report.lines(),
                "meetings_new": report.meetings_new,
                "meetings_updated": report.meetings_updated,
                "meetings_unchanged": report.meetings_unchanged,
                "items_created": report.items_created,
                "items_confirmed": report.items_confirmed,
                "conflicts": report.conflicts,
                "meeting_ids": report.meeting_ids,
                "item_ids": report.item_ids,
            }
            default_storage.delete(_path(token))
            if report.items_confirmed:
                notify.assigned(ActionItem.objects.filter(pk__in=report.item_ids).only("pk"))
            if report.nothing_new:
                messages.info(request, "没有新内容：所选会议都已导入过。")
            return _go(request, result_url)
    context = {
        "review": review,
        "token": token,
        "sources": [source.name for source in sources],
        "error": error,
    }
    template = "importer/import_confirm.html#review-form" if request.htmx else "importer/import_confirm.html"
    return render(request, template, context)


def _result_key(token: str) -> str:
    return f"import-result-{token}"


@require_GET
def import_result(request, token):
    """Show what an import wrote, with links to its meetings and items."""
    _require_office(request)
    result = request.session.get(_result_key(token))
    if result is None:
        raise Http404("没有这次导入的结果。")
    meetings = (
        Meeting.objects.filter(pk__in=result["meeting_ids"])
        .annotate(item_count=Count("items"))
        .order_by("date", "pk")
    )
    items = ActionItem.objects.filter(pk__in=result["item_ids"]).order_by("meeting_id", "position", "pk")
    by_meeting: dict[int, list] = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)
    rows = [(m, by_meeting.get(m.pk, [])) for m in meetings]
    context = {
        "result": result,
        "rows": rows,
        "drafts": result["items_created"] - result["items_confirmed"],
    }
    template = "importer/import_result.html#import-result" if request.htmx else "importer/import_result.html"
    return render(request, template, context)
