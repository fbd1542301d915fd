"""bench/settings.py: the bare view the benchmarks compare pages with answers there, and only there."""

import importlib

import pytest
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
