"""Writes of the professional communities «ПРОкомьюнити в мире VUCA» (сид 001), each one transaction."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityAudience, ActivityKind, Session
from participants.models import Enrollment, User
from participants.selectors import person_for_user
from programs.models import RoadmapModule, Season

from .models.communities import (
    COMMUNITY_MIN_MEMBERS,
    CascadeTraining,
    Community,
    CommunityMember,
    CommunityReport,
    CommunityRole,
    Practice,
    PracticeRating,
)
from .rules_communities import coordinates_communities
from .selectors_communities import active_members, community_leaders


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


def _check_coordinator(by: User, season: Season) -> None:
    if by is None or not coordinates_communities(by, season):
        raise PermissionDenied(_("Это может сделать только координатор ПРОкомьюнити этого муниципалитета."))


def _own_enrollment(by: User, season: Season) -> Enrollment | None:
    person = person_for_user(by) if by is not None else None
    if person is None:
        return None
    return Enrollment.objects.filter(person=person, season=season).first()


def _today(season: Season) -> date:
    return timezone.localtime(timezone.now(), season.tz).date()


def community_organisation_errors(*, season: Season, kind: str, organisation) -> dict[str, list[str]]:
    """An informal mentor community works inside one school of the season's municipality (сид 001, «Траектория
    развития»: «неформальные профессиональные сообщества педагогов-наставников внутри ОО»); a district one has none."""
    if kind == Community.Kind.SCHOOL_MENTORS:
        if organisation is None:
            return {"organisation": [_("Укажите школу, внутри которой работает сообщество педагогов-наставников.")]}
        if organisation.municipality_id != season.program.municipality_id:
            return {"organisation": [_("Школа должна быть из муниципалитета сезона.")]}
    elif organisation is not None:
        return {"organisation": [_("У районного сообщества нет школы: выберите вид «неформальное сообщество ОО».")]}
    return {}


@transaction.atomic
def community_create(
    *,
    season: Season,
    name: str,
    goals: str = "",
    tasks: str = "",
    curator=None,
    kind: str = Community.Kind.DISTRICT,
    organisation=None,
    by: User,
):
    _check_coordinator(by, season)
    if Community.objects.filter(season=season, name=name).exists():
        _refuse(_("Сообщество с таким названием в этом сезоне уже есть."), "name")
    if curator is not None and curator.season_id != season.pk:
        _refuse(_("Куратор должен быть специалистом этого сезона."), "curator")
    errors = community_organisation_errors(season=season, kind=kind, organisation=organisation)
    if errors:
        raise ValidationError(errors)
    return Community.objects.create(
        season=season, name=name, goals=goals, tasks=tasks, curator=curator, kind=kind, organisation=organisation
    )


@transaction.atomic
def community_member_add(
    *, community: Community, enrollment: Enrollment, role: str, joined_on: date, by: User
) -> CommunityMember:
    _check_coordinator(by, community.season)
    if enrollment.season_id != community.season_id:
        _refuse(_("В сообщество входят участники того же сезона."), "enrollment")
    if enrollment.status != Enrollment.Status.ACTIVE:
        _refuse(_("Участник выбыл из программы: в сообщество его не добавить."), "enrollment")
    member, created = CommunityMember.objects.get_or_create(
        community=community, enrollment=enrollment, defaults={"role": role, "joined_on": joined_on}
    )
    if not created:
        if member.left_on is None:
            _refuse(_("Этот педагог уже состоит в сообществе."), "enrollment")
        member.role, member.joined_on, member.left_on = role, joined_on, None
        member.save(update_fields=["role", "joined_on", "left_on"])
    return member


@transaction.atomic
def community_member_leave(*, member: CommunityMember, left_on: date, by: User) -> CommunityMember:
    _check_coordinator(by, member.community.season)
    if left_on < member.joined_on:
        _refuse(_("Дата выхода не может быть раньше даты вступления."), "left_on")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    community = member.community
    if community.leader_id == member.enrollment_id:
        community.leader = None
        community.save(update_fields=["leader"])
    return member


@transaction.atomic
def community_leader_set(*, community: Community, enrollment: Enrollment, by: User) -> Community:
    """«Лидер сообщества координирует его работу» (сид 001, «Сотрудничество равных и коллегиальность»): the leader
    is one of its active members."""
    _check_coordinator(by, community.season)
    if not active_members(community).filter(enrollment=enrollment).exists():
        _refuse(_("Лидером может быть только действующий участник сообщества."), "leader")
    community.leader = enrollment
    community.save(update_fields=["leader"])
    return community


@transaction.atomic
def community_status_set(*, community: Community, status: str, by: User, today: date | None = None) -> Community:
    """An active community has five or more members: «СООБЩЕСТВО — это группа людей, состоящая из пяти и более
    человек» (сид 001, сноска к «ПРОкомьюнити»)."""
    _check_coordinator(by, community.season)
    community = Community.objects.select_for_update().get(pk=community.pk)
    if status == Community.Status.ACTIVE:
        count = active_members(community, today=today or _today(community.season)).count()
        if count < COMMUNITY_MIN_MEMBERS:
            _refuse(
                _(
                    "Не набран состав: в сообществе %(n)d действующих участников, а сообщество — «группа людей, "
                    "состоящая из пяти и более человек» (сид 001)."
                )
                % {"n": count},
                "status",
            )
        if community.leader_id is None:
            _refuse(_("Назначьте лидера сообщества, прежде чем отмечать его действующим."), "status")
    community.status = status
    community.save(update_fields=["status"])
    return community


def _meetings_activity(community: Community) -> Activity:
    if community.meetings_activity_id:
        return community.meetings_activity
    activity = Activity.objects.create(
        season=community.season,
        title=_("Встречи сообщества «%(name)s»") % {"name": community.name},
        kind=ActivityKind.COMMUNITY_MEETING,
        audience=ActivityAudience.INVITED,
        # Participation is voluntary (сид 001: «стремлением педагогов к свободе выбора и самореализации»).
        is_mandatory=False,
        gives_certificate=False,
    )
    community.meetings_activity = activity
    community.save(update_fields=["meetings_activity"])
    return activity


def _check_session_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        _refuse(_("Окончание должно быть позже начала."), "ends_at")


@transaction.atomic
def community_meeting_schedule(
    *, community: Community, starts_at: datetime, ends_at: datetime, title: str = "", place: str = "", by: User
) -> Session:
    """A meeting: a session of the community's activity «Встречи сообщества» (audience «Приглашённые») with its
    active members invited, so attendance, the calendar and certificates work as for any session."""
    if not (coordinates_communities(by, community.season) or _is_leader(by, community)):
        raise PermissionDenied(_("Встречу назначает координатор или лидер сообщества."))
    _check_session_times(starts_at, ends_at)
    community = Community.objects.select_for_update().get(pk=community.pk)
    activity = _meetings_activity(community)
    session = Session.objects.create(activity=activity, title=title, starts_at=starts_at, ends_at=ends_at, place=place)
    today = timezone.localtime(starts_at, community.season.tz).date()
    session.invited.add(*active_members(community, today=today).values_list("enrollment_id", flat=True))
    return session


def _is_leader(by: User, community: Community) -> bool:
    own = _own_enrollment(by, community.season)
    return own is not None and community.leader_id == own.pk


@transaction.atomic
def community_report_plan(*, community: Community, year: int, half: int, due_on: date, by: User) -> CommunityReport:
    _check_coordinator(by, community.season)
    if CommunityReport.objects.filter(community=community, year=year, half=half).exists():
        _refuse(_("Отчёт за это полугодие уже запланирован."), "half")
    return CommunityReport.objects.create(community=community, year=year, half=half, due_on=due_on)


@transaction.atomic
def community_report_submit(*, report: CommunityReport, text: str, file=None, by: User, now=None) -> CommunityReport:
    """The leader reports for the half-year (сид 001, «Определение целей и отчетности»)."""
    report = CommunityReport.objects.select_for_update().select_related("community__season").get(pk=report.pk)
    community = report.community
    own = _own_enrollment(by, community.season)
    if own is None or community.leader_id != own.pk:
        raise PermissionDenied(_("Отчёт сдаёт лидер сообщества."))
    if report.accepted_at:
        _refuse(_("Отчёт уже принят координатором, изменить его нельзя."))
    if not text.strip() and not file and not report.file:
        _refuse(_("Напишите текст отчёта или приложите файл."), "text")
    report.text = text.strip()
    if file:
        report.file = file
    report.submitted_at = now or timezone.now()
    report.submitted_by = own
    report.save()
    return report


@transaction.atomic
def community_report_accept(*, report: CommunityReport, by: User, now=None) -> CommunityReport:
    report = CommunityReport.objects.select_for_update().select_related("community__season").get(pk=report.pk)
    _check_coordinator(by, report.community.season)
    if report.submitted_at is None:
        _refuse(_("Отчёт ещё не сдан."))
    report.accepted_at = now or timezone.now()
    report.accepted_by = by
    report.save(update_fields=["accepted_at", "accepted_by"])
    return report


def _season_member_enrollment(by: User, season: Season) -> Enrollment:
    """The user's enrollment in the season when they are an active member of one of its communities."""
    own = _own_enrollment(by, season)
    if (
        own is None
        or not CommunityMember.objects.filter(enrollment=own, community__season=season, left_on__isnull=True).exists()
    ):
        raise PermissionDenied(_("Материалы добавляют и оценивают действующие участники сообществ."))
    return own


@transaction.atomic
def practice_add(
    *, community: Community, kind: str, title: str, description: str, link: str = "", file=None, by: User, now=None
) -> Practice:
    """A member shares a material or a practice (сид 001: «поддержка опытных специалистов в стремлении поделиться
    своими достижениями»)."""
    own = _season_member_enrollment(by, community.season)
    if not active_members(community).filter(enrollment=own).exists():
        raise PermissionDenied(_("Добавлять материалы в банк сообщества могут его действующие участники."))
    if not link and not file:
        _refuse(_("Дайте ссылку на материал или приложите файл."), "link")
    return Practice.objects.create(
        community=community,
        author=own,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        link=link,
        file=file or "",
        created_at=now or timezone.now(),
        # A mentoring practice enters the bank through review (сид 001, «Траектория развития», мероприятие 4).
        review=Practice.Review.SUBMITTED if kind == Practice.Kind.MENTORING else "",
    )


@transaction.atomic
def practice_rate(*, practice: Practice, score: int, comment: str = "", by: User, now=None) -> PracticeRating:
    """A member of any community of the season rates a material once, and never their own."""
    season = practice.community.season
    own = _season_member_enrollment(by, season)
    if practice.author_id == own.pk:
        _refuse(_("Свой материал оценить нельзя."), "score")
    if practice.hidden_at is not None:
        _refuse(_("Материал скрыт координатором."))
    if not 1 <= score <= 5:
        _refuse(_("Оценка — от 1 до 5."), "score")
    if PracticeRating.objects.filter(practice=practice, rater=own).exists():
        _refuse(_("Вы уже оценили этот материал."), "score")
    return PracticeRating.objects.create(
        practice=practice, rater=own, score=score, comment=comment.strip(), created_at=now or timezone.now()
    )


@transaction.atomic
def practice_hide(*, practice: Practice, reason: str, by: User, now=None) -> Practice:
    _check_coordinator(by, practice.community.season)
    if not reason.strip():
        _refuse(_("Укажите причину, по которой материал скрыт."), "reason")
    practice.hidden_at = now or timezone.now()
    practice.hidden_reason = reason.strip()
    practice.hidden_by = by
    practice.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    return practice


@transaction.atomic
def practice_show(*, practice: Practice, by: User) -> Practice:
    _check_coordinator(by, practice.community.season)
    practice.hidden_at, practice.hidden_reason, practice.hidden_by = None, "", None
    practice.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    return practice


@transaction.atomic
def cascade_training_schedule(
    *,
    community: Community,
    trainer: Enrollment,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    trainees: list[Enrollment],
    place: str = "",
    by: User,
) -> CascadeTraining:
    """«Внедрение в районе каскадного обучения педагогических работников с опорой на актив ПРОкомьюнити» (сид 001):
    an activity «Тренинг» with one session, the trainees invited, the member of the active as its trainer."""
    if not (coordinates_communities(by, community.season) or _is_leader(by, community)):
        raise PermissionDenied(_("Каскадное обучение назначает координатор или лидер сообщества."))
    _check_session_times(starts_at, ends_at)
    today = timezone.localtime(starts_at, community.season.tz).date()
    trainer_member = active_members(community, today=today).filter(enrollment=trainer).first()
    if trainer_member is None:
        _refuse(_("Занятие проводит действующий участник сообщества."), "trainer")
    if trainer_member.role == CommunityRole.MEMBER and community.leader_id != trainer.pk:
        _refuse(_("Каскадное обучение ведёт актив сообщества: лидер или участник с ролью актива."), "trainer")
    trainees = [t for t in trainees if t.pk != trainer.pk]
    if not trainees:
        _refuse(_("Выберите педагогов, которых обучает группа."), "trainees")
    if any(t.season_id != community.season_id for t in trainees):
        _refuse(_("Обучаемые должны быть участниками того же сезона."), "trainees")
    activity = Activity.objects.create(
        season=community.season,
        title=title,
        kind=ActivityKind.TRAINING,
        audience=ActivityAudience.INVITED,
        is_mandatory=False,
        description=_("Каскадное обучение ПРОкомьюнити; проводит: %(name)s") % {"name": str(trainer.person)},
    )
    session = Session.objects.create(activity=activity, starts_at=starts_at, ends_at=ends_at, place=place)
    session.invited.add(*[t.pk for t in trainees])
    return CascadeTraining.objects.create(community=community, trainer=trainer, session=session)


@transaction.atomic
def accelerator_invite_leaders(*, module: RoadmapModule, by: User) -> int:
    """«Prof-акселератор» для лидеров (сид 001): every session of the module's activities of audience
    «Приглашённые» gets the season's community leaders invited; returns how many invitations were added."""
    _check_coordinator(by, module.season)
    leaders = set(community_leaders(module.season).values_list("pk", flat=True))
    sessions = Session.objects.filter(activity__module=module, activity__audience=ActivityAudience.INVITED)
    through = Session.invited.through
    known = set(through.objects.filter(session__in=sessions).values_list("session_id", "enrollment_id"))
    rows = [
        through(session_id=session_id, enrollment_id=enrollment_id)
        for session_id in sessions.values_list("pk", flat=True)
        for enrollment_id in sorted(leaders)
        if (session_id, enrollment_id) not in known
    ]
    through.objects.bulk_create(rows)
    return len(rows)
