from django.urls import path

from factoryos.imports import views
from factoryos.imports.kinds import KINDS

app_name = "imports"
urlpatterns = [path("import-export/", views.page, name="page")]
for _slug in KINDS:
    _name = _slug.replace("-", "_")
    urlpatterns += [
        path(f"import-export/{_slug}/upload/", views.upload_view(_slug), name=f"upload_{_name}"),
        path(f"import-export/{_slug}/export/", views.export_view(_slug), name=f"export_{_name}"),
        path(f"import-export/{_slug}/template/", views.template_view(_slug), name=f"template_{_name}"),
    ]
