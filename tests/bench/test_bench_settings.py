"""bench/settings.py: the bare view the benchmarks compare pages with answers there, and only there."""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from tests.factories import PersonFactory


@pytest.mark.django_db
def test_bare_view_answers_with_one_query(client, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = "bench.urls"
    person = PersonFactory(last_name="Иванова")

    with django_assert_num_queries(1):
        response = client.get("/bench/bare/", {"pk": person.pk})

    assert response.status_code == 200
    assert response.content.decode() == "Иванова"


@pytest.mark.django_db
def test_bare_view_answers_for_a_missing_row(client, settings):
    settings.ROOT_URLCONF = "bench.urls"

    response = client.get("/bench/bare/", {"pk": "nonsense"})

    assert response.status_code == 200
    assert response.content.decode() == "-"


def test_bench_urls_keep_every_production_page():
    bench_urls = importlib.import_module("bench.urls")

    assert resolve("/cabinet/", urlconf="bench.urls").url_name == resolve("/cabinet/", urlconf="config.urls").url_name
    assert resolve("/bench/bare/", urlconf="bench.urls").func is bench_urls.bare


def test_production_urls_do_not_route_the_bare_view(settings):
    assert settings.ROOT_URLCONF == "config.urls"
    with pytest.raises(Resolver404):
        resolve("/bench/bare/", urlconf="config.urls")


def test_bench_settings_only_change_the_url_configuration():
    bench_settings = importlib.import_module("bench.settings")
    production = importlib.import_module("config.settings")

    assert bench_settings.ROOT_URLCONF == "bench.urls"
    assert bench_settings.MIDDLEWARE == production.MIDDLEWARE
    assert bench_settings.DATABASES == production.DATABASES


@pytest.mark.django_db
def test_the_uncached_cabinet_renders_afresh_and_production_does_not_route_it(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.CABINET_CACHE_SECONDS = 60
    from tests.factories import EnrollmentFactory

    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/bench/cabinet-uncached/")
        assert response.status_code == 200 and "Личный кабинет" in response.content.decode()
        assert len(queries) > 5  # computed again, not the two queries of a cached cabinet
    assert settings.CABINET_CACHE_SECONDS == 60  # switched off for those requests only
    with CaptureQueriesContext(connection) as queries:
        client.get("/cabinet/")
        client.get("/cabinet/")
    assert len(queries) > 2  # the real cabinet: computed, then cached (tests never commit: only the count matters)
    with pytest.raises(Resolver404):
        resolve("/bench/cabinet-uncached/", urlconf="config.urls")
