from django.urls import path

from . import views

app_name = "follow"

urlpatterns = [
    path("<int:page_id>/", views.subscribe, name="subscribe"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mes-abonnements/<str:token>/", views.manage, name="manage"),
]
