"""Schools in a KPI breakdown (dashboard, KPI page, workbook) in natural order: № 1, № 3, № 11, № 19."""

import pytest

from programs.models import Organisation
from reports.kpi import KpiScope, kpi_breakdown, natural_key
from tests.factories import MunicipalityFactory, OrganisationFactory


def test_numbers_in_names_sort_as_numbers():
    names = ["МБОУ СОШ № 19", "МБОУ СОШ № 3", "мбоу сош № 1", "МБОУ СОШ № 11", "МБОУ СОШ"]
    assert sorted(names, key=natural_key) == [
        "МБОУ СОШ",
        "мбоу сош № 1",
        "МБОУ СОШ № 3",
        "МБОУ СОШ № 11",
        "МБОУ СОШ № 19",
    ]
    assert natural_key("") == ""


@pytest.mark.django_db
def test_the_breakdown_by_school_lists_schools_in_natural_order():
    municipality = MunicipalityFactory()
    for number in (11, 3, 19, 1):
        OrganisationFactory(municipality=municipality, kind=Organisation.Kind.SCHOOL, short_name=f"МБОУ СОШ № {number}")

    rows = kpi_breakdown(code="young-teachers-share", scope=KpiScope(year=2025, municipality_id=municipality.pk))

    assert [row.label for row in rows] == ["МБОУ СОШ № 1", "МБОУ СОШ № 3", "МБОУ СОШ № 11", "МБОУ СОШ № 19"]
