from django.urls import path

from . import views

app_name = "importer"

urlpatterns = [
    path("", views.import_start, name="import_start"),
    path("<slug:token>/", views.import_preview, name="import_preview"),
    path("<slug:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("<slug:token>/result/", views.import_result, name="import_result"),
]
