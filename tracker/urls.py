from django.urls import path

from . import views

app_name = "tracker"

urlpatterns = [
    path("", views.home, name="home"),
    # Lists, board, meetings, export (pages A)
    path("items/", views.item_list, name="item_list"),
    path("items/export.xlsx", views.item_export, name="item_export"),
    path("board/", views.board, name="board"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    # One item and what people do with it, dashboard (pages B)
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_update, name="item_update"),
    path("items/<int:pk>/confirm/", views.item_confirm, name="item_confirm"),
    path("items/<int:pk>/cancel/", views.item_cancel, name="item_cancel"),
    path("items/<int:pk>/comment/", views.item_comment, name="item_comment"),
    path("assignments/<int:pk>/notice/", views.assignment_notice, name="assignment_notice"),
    path("assignments/<int:pk>/<slug:action>/", views.assignment_update, name="assignment_update"),
    path("journal/<int:pk>/attachment/", views.journal_attachment, name="journal_attachment"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
