"""The KPI dashboard pages and the KPI workbook download (management, coordinators, school directors)."""

urlpatterns: list = []
