"""The project office of ИМЦ Московского района (сид 001): the six projects of the cascade in the registry, with the
states a coordinator would have recorded by today. The place's demo accounts (coordinator.moskovsky@demo.ru and the
others) come with the cascade's programs like every program place's (demo/people.py, demo/seasons.py)."""

from __future__ import annotations

from collections import Counter

from projects.models.office import ProjectEvent, ProjectStage, WorkState
from projects.office_templates import office_templates_apply

# The seminar that is left unmarked so that the registry shows what «просрочено» looks like («Траектория
# развития», мероприятие 3).
LEFT_OVERDUE = ("traektoriya-razvitiya", "3")


class CascadeOfficeMixin:
    def create_office(self) -> None:
        municipality = office_templates_apply(today=self.today, changes=Counter())
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
