from django.urls import path

from factoryos.imports import views
from factoryos.imports.kinds import KINDS
from factoryos.web.navigation import NavEntry, register

app_name = "imports"
urlpatterns = [
    path("import-export/", views.page, name="page"),
    path("import-export/jobs/<int:pk>/", views.job_view, name="job"),
    path("import-export/jobs/<int:pk>/file/", views.job_file, name="job_file"),
]
register(NavEntry("Control", "Import / export", "imports:page", "catalog.view", "swap"))  # as the pages' menus
for _slug, _kind in KINDS.items():
    urlpatterns += [
        path(f"import-export/{_slug}/upload/", views.upload_view(_slug), name=f"upload_{_kind.url_name}"),
        path(f"import-export/{_slug}/export/", views.export_view(_slug), name=f"export_{_kind.url_name}"),
        path(f"import-export/{_slug}/template/", views.template_view(_slug), name=f"template_{_kind.url_name}"),
    ]
