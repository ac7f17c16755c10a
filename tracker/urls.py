from django.urls import path

from . import views

app_name = "tracker"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
]
