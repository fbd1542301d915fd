"""The scoped admins' row checkbox (programs.admin_mixins.MunicipalityScopedAdmin.action_checkbox) is written
directly instead of rendered through the form templates: it must stay the markup Django's own renders, which the
admin's actions script selects by."""

import pytest
from django.contrib import admin
from django.contrib.admin import site
from django.utils import translation

from participants.models import Enrollment
from tests.factories import EnrollmentFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_checkbox_is_djangos_own_markup(language):
    enrollment = EnrollmentFactory()
    scoped = site._registry[Enrollment]
    with translation.override(language):
        ours = scoped.action_checkbox(enrollment)
        django = admin.ModelAdmin.action_checkbox(scoped, enrollment)
    assert ours == django
    assert f'value="{enrollment.pk}"' in ours and 'class="action-select"' in ours
