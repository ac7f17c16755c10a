"""Views of the import flow: paste or upload → preview → confirm → result."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def import_start(request):
    """Paste text or upload files to import (being built)."""
    return render(request, "importer/import_start.html", {})
