"""The portal's admin site lists the same apps and models as Django's, in the same order, with plain names."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from django.utils import translation

from core.admin_site import PortalAdminSite
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_sites_app_list_has_plain_names_in_djangos_order(language):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert isinstance(admin.site, PortalAdminSite)
    plain = AdminSite()
    plain._registry = admin.site._registry
    with translation.override(language):
        ours = admin.site.get_app_list(request)
        djangos = plain.get_app_list(request)
        assert all(type(app["name"]) is str for app in ours)
        assert all(type(model["name"]) is str for app in ours for model in app["models"])
        assert [(str(a["name"]), [str(m["name"]) for m in a["models"]]) for a in djangos] == [
            (a["name"], [m["name"] for m in a["models"]]) for a in ours
        ]
