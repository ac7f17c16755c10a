"""Load-test instrumentation, switched on only with DUBAN_BENCH=1 (see tests/bench/load.py).

QueryCountMiddleware reports how many SQL queries a request ran in an X-Query-Count header.
BenchFloorMiddleware serves /_bench/floor/: the first rows of the user's item list rendered with a
plain template and nothing else, the floor the real pages are measured against.
"""

from django.db import connections
from django.http import HttpResponse
from django.template import Context, Template

FLOOR_PATH = "/_bench/floor/"
FLOOR_ROWS = 25

FLOOR_TEMPLATE = Template(
    """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>floor</title></head><body>
<table>{% for a in rows %}<tr><td><a href="/items/{{ a.item_id }}/">{{ a.item.text|truncatechars:60 }}</a></td>
<td>{{ a.item.meeting.title }}</td><td>{{ a.department.name }}</td><td>{{ a.get_role_display }}</td>
<td>{{ a.get_status_display }}</td><td>{{ a.progress }}%</td><td>{{ a.due_date|date:"Y-m-d" }}</td>
<td>{{ a.light_code }}</td></tr>{% endfor %}</table></body></html>"""
)


class QueryCountMiddleware:
    """Count the SQL queries of each request into an X-Query-Count response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class BenchFloorMiddleware:
    """Answer /_bench/floor/ with the user's first item-list rows in a bare template."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != FLOOR_PATH:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return HttpResponse(status=403)
        # The item list's rows, fetched as the item list fetches them (keys first, then rows), so the
        # difference between the two pages is the page itself: forms, tabs, table, layout.
        from .tables import KeysFirst
        from .views import _assignments_for, _default_order

        rows = KeysFirst(_assignments_for(request.user).order_by(*_default_order()))[:FLOOR_ROWS]
        return HttpResponse(FLOOR_TEMPLATE.render(Context({"rows": rows})))
