"""URLs of the OCOP evaluation admin, mounted at /admin/evaluation/ (namespace "evaluation")."""

from __future__ import annotations

from django.urls import path

from evaluation import admin_views as v

app_name = "evaluation"
urlpatterns = [
    path("", v.index, name="index"),
    path("new/", v.new_application, name="new"),
    path("<int:ocopapplication_id>/", v.detail, name="detail"),
    path("<int:ocopapplication_id>/documents/", v.upload_document, name="upload"),
    path("<int:ocopapplication_id>/self-assessment/", v.self_assessment, name="self"),
    path("<int:ocopapplication_id>/score/", v.score, name="score"),
    path("<int:ocopapplication_id>/decide/", v.decide, name="decide"),
    path("<int:ocopapplication_id>/do/<slug:verb>/", v.action, name="action"),
    path("documents/<int:applicationdocument_id>/", v.document_download, name="document"),
    path(
        "documents/<int:applicationdocument_id>/delete/",
        v.document_delete,
        name="document_delete",
    ),
    path("rounds/new/", v.new_round, name="new_round"),
    path("rounds/<int:councilround_id>/", v.round_detail, name="round"),
]
