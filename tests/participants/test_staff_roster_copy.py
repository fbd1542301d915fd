"""The roster's copy to the next year (participants.services_roster.staff_roster_copy_to_next_year) and what
erasure leaves of a worker's roster rows (personal data, 152-FZ)."""

from datetime import date

import pytest

from participants.models import StaffRosterEntry
from participants.personal_data import export_staff_roster, run_erasers
from participants.services_roster import RosterCopyRefused, staff_roster_copy_to_next_year
from tests.factories import OrganisationFactory, PersonFactory, StaffRosterEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganisationFactory(short_name="МБОУ СОШ № 2")


def test_copy_leaves_out_who_left_during_the_year_and_adds_a_year_of_experience(school):
    stays = StaffRosterEntryFactory(organisation=school, year=2024, last_name="Остаётся", experience_years=4)
    StaffRosterEntryFactory(organisation=school, year=2024, last_name="Уволена", left_on=date(2024, 12, 31))
    leaves_later = StaffRosterEntryFactory(
        organisation=school, year=2024, last_name="Уйдёт", experience_years=None, left_on=date(2025, 3, 1)
    )
    StaffRosterEntryFactory(organisation=OrganisationFactory(), year=2024, last_name="Чужая")

    assert staff_roster_copy_to_next_year(organisation=school, year=2024) == 2

    copied = {e.last_name: e for e in StaffRosterEntry.objects.filter(organisation=school, year=2025)}
    assert set(copied) == {"Остаётся", "Уйдёт"}
    assert copied["Остаётся"].experience_years == 5 and copied["Остаётся"].person_id == stays.person_id
    assert copied["Остаётся"].is_teacher and copied["Остаётся"].position == stays.position
    assert copied["Уйдёт"].experience_years is None and copied["Уйдёт"].left_on == leaves_later.left_on
    assert StaffRosterEntry.objects.filter(organisation=school, year=2024).count() == 3  # the source is kept


def test_copy_is_refused_when_the_next_year_has_entries_or_nothing_to_copy(school):
    StaffRosterEntryFactory(organisation=school, year=2024)
    StaffRosterEntryFactory(organisation=school, year=2025, last_name="Уже внесена")
    with pytest.raises(RosterCopyRefused, match="В составе «МБОУ СОШ № 2» за 2025 год уже есть работники"):
        staff_roster_copy_to_next_year(organisation=school, year=2024)
    assert StaffRosterEntry.objects.filter(year=2025).count() == 1
    with pytest.raises(RosterCopyRefused, match="за 2025 год нет работников, которых можно перенести"):
        StaffRosterEntry.objects.filter(year=2025).update(left_on=date(2025, 5, 1))
        staff_roster_copy_to_next_year(organisation=school, year=2025)
    assert not StaffRosterEntry.objects.filter(year=2026).exists()


def test_the_persons_roster_rows_are_exported_and_anonymised_on_erasure(school):
    person = PersonFactory(organisation=school, last_name="Смирнова", birth_date=date(1985, 5, 17))
    entry = StaffRosterEntryFactory(
        organisation=school, year=2025, person=person, last_name="Смирнова", birth_date=date(1985, 5, 17)
    )
    StaffRosterEntryFactory(organisation=school, year=2025, last_name="Другая")
    (row,) = export_staff_roster(person)
    assert row["ФИО"] == entry.full_name and row["Год (состав на 31 декабря)"] == 2025
    assert row["Категория персонала"] == "Педагогический работник"

    done = run_erasers(person)

    assert "Обезличены записи кадрового состава: 1" in done
    entry.refresh_from_db()
    assert (entry.last_name, entry.first_name, entry.middle_name) == ("Удалённый участник", f"№{person.pk}", "")
    assert entry.birth_date is None and entry.person == person  # the row still counts in the year's staff
    assert StaffRosterEntry.objects.get(last_name="Другая").birth_date is not None
