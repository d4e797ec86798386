"""User and role management pages of one pemda (mounted at the site root, under /pemda/<kode>/)."""

from django.urls import path

from rencana.accounts import views_users

app_name = "users"

urlpatterns = [
    path("pemda/<str:kode>/pengguna/", views_users.user_list, name="user_list"),
    path("pemda/<str:kode>/pengguna/ekspor.xlsx", views_users.user_export, name="user_export"),
    path("pemda/<str:kode>/pengguna/baru/", views_users.user_create_view, name="user_create"),
    path("pemda/<str:kode>/pengguna/tambah-peran/", views_users.user_add_existing, name="user_add_existing"),
    path("pemda/<str:kode>/pengguna/<int:user_id>/", views_users.user_detail, name="user_detail"),
    path(
        "pemda/<str:kode>/pengguna/<int:user_id>/peran/<int:assignment_id>/cabut/",
        views_users.role_revoke_view,
        name="role_revoke",
    ),
]
