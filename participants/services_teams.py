"""The programmes a management team took part in as a team (seed 002, п. 6.2, показатель 2: «управленческие
команды, принявшие участие в программах повышения квалификации»): the rule that makes a participation a team's,
checked by the admin form and applied by the recording service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.typography import inner_quotes
from programs.models import Organisation

from .models import TEAM_PROGRAMME_MIN_MEMBERS, ManagementTeamMember, ManagementTeamProgramme


def _in_team_on(member: ManagementTeamMember, day: date) -> bool:
    return (member.since is None or member.since <= day) and (member.until is None or member.until >= day)


def management_team_programme_problems(
    *,
    organisation: Organisation,
    members: Iterable[ManagementTeamMember],
    starts_on: date | None,
    ends_on: date,
) -> dict[str, str]:
    """Field → Russian message; empty when the record is a team's participation: every member is of the
    organisation's team and was in it during the programme, and at least two of them took part — or the whole
    team, when at the programme's end it had fewer members than that."""
    members = list(members)
    if starts_on and ends_on < starts_on:
        return {"ends_on": _("Дата окончания обучения раньше даты начала.")}
    strangers = [m for m in members if m.organisation_id != organisation.pk]
    if strangers:
        return {
            "members": _("Не члены управленческой команды организации «%(org)s»: %(names)s.")
            % {"org": inner_quotes(str(organisation)), "names": ", ".join(str(m.person) for m in strangers)}
        }
    outside = [m for m in members if not (_in_team_on(m, ends_on) or _in_team_on(m, starts_on or ends_on))]
    if outside:
        return {
            "members": _("Не входили в управленческую команду во время обучения: %(names)s.")
            % {"names": ", ".join(str(m.person) for m in outside)}
        }
    if len(members) < TEAM_PROGRAMME_MIN_MEMBERS:
        team = [m for m in organisation.management_team.all() if _in_team_on(m, ends_on)]
        if not members or len(team) > len(members):
            return {
                "members": _(
                    "Команда участвует как команда: отметьте не меньше %(n)d её членов, прошедших эту программу "
                    "(или всю команду, если в ней один человек)."
                )
                % {"n": TEAM_PROGRAMME_MIN_MEMBERS}
            }
    return {}


@transaction.atomic
def management_team_programme_record(
    *,
    organisation: Organisation,
    title: str,
    ends_on: date,
    members: Iterable[ManagementTeamMember],
    starts_on: date | None = None,
    provider: str = "",
) -> ManagementTeamProgramme:
    members = list(members)
    problems = management_team_programme_problems(
        organisation=organisation, members=members, starts_on=starts_on, ends_on=ends_on
    )
    if problems:
        raise ValidationError(problems)
    programme = ManagementTeamProgramme.objects.create(
        organisation=organisation,
        title=" ".join(title.split()),
        provider=" ".join(provider.split()),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    programme.members.set(members)
    return programme
