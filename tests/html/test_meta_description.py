"""Every page has a <meta name="description">: the key pages say what they are about, the rest share the portal's
sentence (base.html's block)."""

import re

import pytest
from django.urls import reverse

from tests.factories import ProgramFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

DEFAULT = "Муниципальные программы методического сопровождения педагогов: дорожные карты"


def description(response) -> str:
    (content,) = re.findall(r'<meta name="description" content="([^"]*)">', response.content.decode())
    return content


def test_key_pages_describe_themselves(client):
    season = SeasonFactory(program=ProgramFactory(title="Прогрессивный педагог", summary="Год с наставником"))
    slug = season.program.slug
    texts = {
        "home": description(client.get(reverse("home"))),
        "program": description(client.get(reverse("program_detail", kwargs={"slug": slug}))),
        "registration": description(
            client.get(reverse("season_register", kwargs={"slug": slug, "season_id": season.pk}))
        ),
        "login": description(client.get(reverse("login"))),
        "404": description(client.get("/no-such-page/")),
    }
    assert texts["program"] == "Год с наставником"
    assert "«Прогрессивный педагог»" in texts["registration"]
    assert all(texts.values()) and len(set(texts.values())) == len(texts), texts
    assert not any(text.startswith(DEFAULT) for text in texts.values())


def test_a_program_without_a_summary_is_described_by_its_title(client):
    program = SeasonFactory(program=ProgramFactory(title="Педкластер", summary="")).program
    text = description(client.get(reverse("program_detail", kwargs={"slug": program.slug})))
    assert text.startswith("Программа «Педкластер»: дорожная карта")


def test_other_pages_share_the_default(client):
    client.force_login(UserFactory())
    assert description(client.get(reverse("notifications"))).startswith(DEFAULT)
