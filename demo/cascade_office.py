"""The project office of ИМЦ Московского района (сид 001): the six projects of the cascade in the registry, with the
states a coordinator would have recorded by today, and the place's demo accounts for the office."""

from __future__ import annotations

from collections import Counter
from datetime import date

from participants.models import Person, User
from programs.models import Organisation
from programs.program_templates import _imc_moskovsky as place
from projects.models.office import ProjectEvent, ProjectStage, WorkState
from projects.office_templates import office_templates_apply

# The accounts of the place (settings.DEMO_ACCOUNTS); another part of the demo may have made them already.
OFFICE_ACCOUNTS = [
    ("coordinator.moskovsky@demo.ru", User.Role.COORDINATOR, "Смирнова", "Анна", "Сергеевна", "методист ИМЦ"),
    ("director.moskovsky@demo.ru", User.Role.DIRECTOR, "Орлов", "Павел", "Андреевич", "директор"),
    ("teacher.moskovsky@demo.ru", User.Role.TEACHER, "Белова", "Ольга", "Игоревна", "учитель русского языка"),
]
# The seminar that is left unmarked so that the registry shows what «просрочено» looks like («Траектория
# развития», мероприятие 3).
LEFT_OVERDUE = ("traektoriya-razvitiya", "3")


class CascadeOfficeMixin:
    def create_office(self) -> None:
        municipality = office_templates_apply(today=self.today, changes=Counter())
        self._office_accounts(municipality)
        done = 0
        for stage in ProjectStage.objects.filter(project__municipality=municipality, state=WorkState.PLANNED):
            if stage.ends_on < self.today:
                stage.state, stage.result_note = WorkState.DONE, "Этап завершён, отчёт рассмотрен на совете ИМЦ."
            elif stage.starts_on <= self.today:
                stage.state = WorkState.IN_PROGRESS
            else:
                continue
            stage.state_changed_at = self.now
            stage.save(update_fields=["state", "result_note", "state_changed_at"])
        events = ProjectEvent.objects.filter(project__municipality=municipality, state=WorkState.PLANNED)
        for event in events.select_related("project"):
            if (event.project.slug, event.number) == LEFT_OVERDUE or event.starts_on > self.today:
                continue
            if event.ends_on < self.today:
                event.state, event.result_note = WorkState.DONE, "Проведено по плану."
                done += 1
            else:
                event.state = WorkState.IN_PROGRESS
            event.state_changed_at = self.now
            event.save(update_fields=["state", "result_note", "state_changed_at"])
        self.counts["Мероприятия проектов выполнены"] = done

    def _office_accounts(self, municipality) -> None:
        centre = Organisation.objects.filter(municipality=municipality, short_name=place.IMC).first()
        if centre is None:
            spec = place.ORGANISATIONS[0]
            centre = Organisation.objects.create(
                municipality=municipality, short_name=spec["short_name"], name=spec["name"], kind=spec["kind"]
            )
        for email, role, last, first, middle, position in OFFICE_ACCOUNTS:
            if User.objects.filter(email=email).exists():
                continue
            user = User.objects.create(
                email=email,
                password=self.password,
                role=role,
                is_staff=role == User.Role.COORDINATOR,
                municipality=municipality if role == User.Role.COORDINATOR else None,
                email_confirmed_at=self.now,
            )
            Person.objects.create(
                user=user,
                last_name=last,
                first_name=first,
                middle_name=middle,
                birth_date=date(1980, 3, 14),
                email=email,
                organisation=centre,
                position=position,
                education_level="higher",
            )
