"""URL configuration: the board, the importer, accounts and the Django admin."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "督办管理后台"
admin.site.site_title = "督办"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("import/", include("importer.urls")),
    path("", include("tracker.urls")),
]
