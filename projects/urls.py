"""The cascade's pages: the project office's registry and reports, and each part's pages."""

urlpatterns = []
