from django.urls import path

from rencana.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.login, name="login"),
    path("keluar/", views.logout, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/token/", views.token_create_view, name="token_create"),
    path("profil/token/<int:token_id>/cabut/", views.token_revoke_view, name="token_revoke"),
]
