from django.urls import path

from . import views_office

urlpatterns = [
    path("office/", views_office.office_registry, name="office_registry"),
    path("office/report/", views_office.office_cascade_report, name="office_cascade_report"),
    path("office/report.xlsx", views_office.office_cascade_xlsx, name="office_cascade_xlsx"),
    path("office/report.pdf", views_office.office_cascade_pdf, name="office_cascade_pdf"),
    path("office/<int:pk>/report.pdf", views_office.office_project_pdf, name="office_project_pdf"),
    path("office/<int:pk>/", views_office.office_project, name="office_project"),
    path("office/<int:pk>/report/", views_office.office_project_report, name="office_project_report"),
    path("office/<int:pk>/report.xlsx", views_office.office_project_xlsx, name="office_project_xlsx"),
    path(
        "office/<int:pk>/<str:kind>/<int:item_pk>/state/",
        views_office.office_item_state,
        name="office_item_state",
    ),
]
