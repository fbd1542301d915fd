"""Reads of activities for a set of enrollments: the roadmap with my statuses, deadlines, risks, certificates.

Everything here is set-based: a fixed number of queries whatever the number of enrollments, activities,
sessions or assignments, so the cabinet, the calendar feed and the exclusion cases (положение, п. 5.5) can share it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import choice_label
from core.zones import moment_text
from participants.models import Enrollment, Person, User
from participants.roles import user_is_coordinator
from programs.models import RoadmapModule, Season

from .models import (
    DEFAULT_MARK_LABEL,
    Activity,
    ActivityAudience,
    Attendance,
    Certificate,
    Session,
    Submission,
    SubmissionExtension,
)
from .selectors_attendance import visible_enrollment_subquery, visible_pairs
from .selectors_route import PLANNED, RouteStep, enrollment_routes
from .timetext import days_text

# A video lesson whose due date is this close (or past) and which has nothing submitted is a risk.
VIDEO_RISK_WINDOW = timedelta(days=7)


# --- Loading ----------------------------------------------------------------------------------------------


@dataclass
class EnrollmentActivities:
    """The activities of the enrollments' seasons and everything personal about them, loaded at once."""

    enrollments: list[Enrollment]
    seasons: dict[int, Season]
    modules_by_season: dict[int, list[RoadmapModule]]
    # Each activity in roadmap order, with its sessions prefetched and its video assignment (or none) joined.
    activities_by_season: dict[int, list[Activity]]
    # (enrollment id, session id) → the mark.
    attendance: dict[tuple[int, int], Attendance]
    # (enrollment id, assignment id) → the current submission.
    submissions: dict[tuple[int, int], Submission]
    # (enrollment id, assignment id) → the personal extension.
    extensions: dict[tuple[int, int], SubmissionExtension]
    # (session id, enrollment id) of the sessions each may attend by the activity's audience (selectors_attendance).
    visible: set[tuple[int, int]] = field(default_factory=set)

    def sees_activity(self, enrollment: Enrollment, activity: Activity) -> bool:
        """The activity belongs on the teacher's roadmap: one of its sessions is theirs (their format, an invitation,
        their route, or everyone's); an activity without sessions yet by its audience alone."""
        sessions = activity.sessions.all()
        if sessions:
            return any((s.pk, enrollment.pk) in self.visible for s in sessions)
        if activity.audience in (ActivityAudience.ALL, ActivityAudience.OPEN):
            return True
        return activity.audience == ActivityAudience.FORMAT and enrollment.preferred_format == activity.learning_format

    def sessions_for(self, enrollment: Enrollment, activity: Activity) -> list[Session]:
        return [s for s in activity.sessions.all() if (s.pk, enrollment.pk) in self.visible]

    def assignment_cutoff(self, enrollment: Enrollment, assignment) -> datetime:
        """The last moment this enrollment may submit: the cut-off, or a later personal extension."""
        extension = self.extensions.get((enrollment.pk, assignment.pk))
        if extension is not None and extension.until > assignment.cutoff_at:
            return extension.until
        return assignment.cutoff_at


def passed_before_admission(last: datetime, enrollment: Enrollment) -> bool:
    """A moment (a video lesson's last moment, a session's end) that came before the participant was admitted:
    never a ground for exclusion nor a risk (seed 000, п. 4.4, 5.5). False for an enrollment not active."""
    admitted = enrollment.admitted_at
    return admitted is not None and last <= admitted


def activity_video_assignment(activity: Activity):
    """The activity's video assignment, already joined; None without a query when there is none."""
    try:
        return activity.video_assignment
    except Activity.video_assignment.RelatedObjectDoesNotExist:
        return None


def _seasons_of(enrollments: list[Enrollment]) -> dict[int, Season]:
    season_field = Enrollment._meta.get_field("season")
    if all(season_field.is_cached(e) for e in enrollments):
        return {e.season_id: e.season for e in enrollments}
    # One query when any enrollment came without its season; then every enrollment shares the loaded rows.
    seasons = Season.objects.select_related("program").in_bulk({e.season_id for e in enrollments})
    for enrollment in enrollments:
        enrollment.season = seasons[enrollment.season_id]
    return seasons


def _joined(obj, name: str):
    """The row a FilteredRelation named `name` brought with select_related, or None when none joined (Django leaves
    the attribute unset then)."""
    return getattr(obj, name, None)


# The few rows of a person's seasons are sorted here rather than by an ORDER BY: for a query with an ordering
# Django hashes every selected column while compiling it (SQLCompiler._order_by_pairs), which on the wide joined
# rows below cost more than the query itself. The keys are total, so the order is the same.


def _roadmap_order(activity: Activity) -> tuple:
    """The model's ordering within a season: the module's order (activities in no module last, as PostgreSQL
    sorts a NULL), the activity's own order, its id. The module comes selected."""
    module = activity.module
    return (activity.season_id, module is None, module.order if module is not None else 0, activity.order, activity.pk)


def enrollment_activities(enrollments: Iterable[Enrollment], *, one_person: bool = False) -> EnrollmentActivities:
    """Modules, activities (with video assignments), sessions, my marks, my submissions and extensions.

    Seven queries for any number of enrollments of any people (the exclusion job; one of them: the sessions each
    may attend by their audience). With `one_person` (the cabinet, the calendar: enrollments of one person) three,
    the sessions each may attend read inside the sessions' query: a person has one enrollment per season, so
    each session has at most one mark of theirs, joined to it, and each video assignment at most one current
    submission and one extension, joined to the activity. One more either way when the seasons were not
    selected with the enrollments; none for an empty list.
    """
    enrollments = list(enrollments)
    data = EnrollmentActivities(enrollments, {}, {}, {}, {}, {}, {})
    if not enrollments:
        return data
    if one_person and len({e.person_id for e in enrollments}) > 1:
        raise ValueError("one_person: the enrollments belong to more than one person")
    data.seasons = _seasons_of(enrollments)
    season_ids = list(data.seasons)
    enrollment_ids = [e.pk for e in enrollments]
    modules = RoadmapModule.objects.filter(season_id__in=season_ids).order_by()
    for module in sorted(modules, key=lambda m: (m.season_id, m.order, m.pk)):
        data.modules_by_season.setdefault(module.season_id, []).append(module)
    if not one_person:
        activities = (
            Activity.objects.filter(season_id__in=season_ids)
            .order_by()
            .select_related("module", "video_assignment")
            .prefetch_related("sessions")
        )
        for activity in sorted(activities, key=_roadmap_order):
            data.activities_by_season.setdefault(activity.season_id, []).append(activity)
        data.visible = visible_pairs(enrollment_ids)
        data.attendance = {
            (a.enrollment_id, a.session_id): a for a in Attendance.objects.filter(enrollment_id__in=enrollment_ids)
        }
        data.submissions = {
            (s.enrollment_id, s.assignment_id): s
            for s in Submission.objects.filter(enrollment_id__in=enrollment_ids, is_current=True)
        }
        data.extensions = {
            (x.enrollment_id, x.assignment_id): x
            for x in SubmissionExtension.objects.filter(enrollment_id__in=enrollment_ids)
        }
        return data
    # The joined rows come as whole instances through select_related on the filtered relations: Django adds
    # their columns itself, cheaper to build than one annotation per column.
    sessions = (
        Session.objects.annotate(
            my_mark=FilteredRelation("attendance", condition=Q(attendance__enrollment_id__in=enrollment_ids))
        )
        .select_related("my_mark")
        # Which of my enrollments may attend it by its audience: inside the same query (selectors_attendance).
        .annotate(visible_to=visible_enrollment_subquery(enrollment_ids))
    )
    activities = (
        Activity.objects.filter(season_id__in=season_ids)
        .order_by()
        .annotate(
            my_submission=FilteredRelation(
                "video_assignment__submissions",
                condition=Q(
                    video_assignment__submissions__enrollment_id__in=enrollment_ids,
                    video_assignment__submissions__is_current=True,
                ),
            ),
            my_extension=FilteredRelation(
                "video_assignment__extensions",
                condition=Q(video_assignment__extensions__enrollment_id__in=enrollment_ids),
            ),
        )
        .select_related("module", "video_assignment", "my_submission", "my_extension")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
    )
    for activity in sorted(activities, key=_roadmap_order):
        data.activities_by_season.setdefault(activity.season_id, []).append(activity)
        submission = _joined(activity, "my_submission")
        if submission is not None:
            data.submissions[(submission.enrollment_id, submission.assignment_id)] = submission
        extension = _joined(activity, "my_extension")
        if extension is not None:
            data.extensions[(extension.enrollment_id, extension.assignment_id)] = extension
        for session in activity.sessions.all():
            if session.visible_to is not None:
                data.visible.add((session.pk, session.visible_to))
            mark = _joined(session, "my_mark")
            if mark is not None:
                data.attendance[(mark.enrollment_id, mark.session_id)] = mark
    return data


# --- The roadmap with my status -----------------------------------------------------------------------


class Status:
    """My status on a session or an activity; the template shows the label, the code only picks a style."""

    ATTENDED = "attended"
    MISSED = "missed"
    EXCUSED = "excused"
    UPCOMING = "upcoming"
    UNMARKED = "unmarked"
    UNSCHEDULED = "unscheduled"
    SUBMITTED = "submitted"


@dataclass
class SessionRow:
    session: Session
    status: str
    label: str
    reason: str = ""


@dataclass
class ActivityRow:
    activity: Activity
    status: str
    label: str
    sessions: list[SessionRow] = field(default_factory=list)
    assignment: object = None
    submission: Submission | None = None
    # The last moment to submit (the cut-off or my extension), for video lessons.
    cutoff: datetime | None = None


@dataclass
class ModuleRow:
    module: RoadmapModule
    activities: list[ActivityRow]
    # Shown unfolded: the module running now (or, between modules, the next one); the rest fold on a phone.
    is_open: bool = False

    @property
    def done(self) -> int:
        return sum(1 for row in self.activities if row.status in (Status.ATTENDED, Status.SUBMITTED))


@dataclass
class EnrollmentRoadmap:
    enrollment: Enrollment
    modules: list[ModuleRow]
    # Activities of the season placed in no module.
    loose: list[ActivityRow]

    @property
    def is_empty(self) -> bool:
        return not self.modules and not self.loose


def _session_row(session: Session, mark: Attendance | None, now: datetime) -> SessionRow:
    if mark is not None and mark.is_default:
        # A default mark is no evidence until a coordinator confirms it (положение, п. 4.4; defaults are not marks).
        return SessionRow(session, Status.UNMARKED, str(DEFAULT_MARK_LABEL))
    if mark is not None:
        if mark.status == Attendance.Status.PRESENT:
            return SessionRow(session, Status.ATTENDED, _("Посещено"))
        if mark.status == Attendance.Status.LATE:
            return SessionRow(session, Status.ATTENDED, _("Посещено (с опозданием)"))
        if mark.status == Attendance.Status.EXCUSED:
            return SessionRow(session, Status.EXCUSED, _("Пропуск по уважительной причине"), mark.reason)
        return SessionRow(session, Status.MISSED, _("Пропуск без уважительной причины"))
    if session.starts_at > now:
        return SessionRow(session, Status.UPCOMING, _("Предстоит"))
    if session.ends_at > now:
        return SessionRow(session, Status.UPCOMING, _("Идёт сейчас"))
    return SessionRow(session, Status.UNMARKED, _("Посещаемость ещё не отмечена"))


def _activity_row(data: EnrollmentActivities, enrollment: Enrollment, activity: Activity, now: datetime):
    sessions = [
        _session_row(s, data.attendance.get((enrollment.pk, s.pk)), now)
        for s in data.sessions_for(enrollment, activity)
    ]
    assignment = activity_video_assignment(activity)
    if assignment is not None:
        submission = data.submissions.get((enrollment.pk, assignment.pk))
        cutoff = data.assignment_cutoff(enrollment, assignment)
        if submission is not None:
            status, label = (
                Status.SUBMITTED,
                _("Видеоурок: %(state)s") % {"state": choice_label(submission, "status").lower()},
            )
        elif cutoff > now:
            status, label = Status.UPCOMING, _("Видеоурок ещё не сдан")
        else:
            status, label = Status.MISSED, _("Видеоурок не сдан, приём закрыт")
        return ActivityRow(activity, status, label, sessions, assignment, submission, cutoff)
    codes = [row.status for row in sessions]
    if not sessions:
        status, label = Status.UNSCHEDULED, _("Даты уточняются")
    elif codes.count(Status.ATTENDED) >= activity.required_sessions:
        status, label = Status.ATTENDED, _("Засчитано")
    elif Status.UPCOMING in codes:
        status, label = Status.UPCOMING, _("Предстоит")
    elif Status.MISSED in codes:
        status, label = Status.MISSED, _("Пропущено")
    elif Status.EXCUSED in codes:
        status, label = Status.EXCUSED, _("Пропущено по уважительной причине")
    elif Status.UNMARKED in codes:
        status, label = Status.UNMARKED, _("Посещаемость ещё не отмечена")
    else:
        # Some sessions attended, fewer than the activity requires, and nothing left to attend.
        status, label = Status.MISSED, _("Посещено недостаточно занятий")
    return ActivityRow(activity, status, label, sessions)


def enrollment_roadmaps(
    enrollments: Iterable[Enrollment], *, now: datetime, data: EnrollmentActivities | None = None
) -> list[EnrollmentRoadmap]:
    """Each enrollment's season roadmap — modules, activities, sessions — with my status on every item."""
    enrollments = list(enrollments)
    data = data or enrollment_activities(enrollments)
    roadmaps = []
    for enrollment in enrollments:
        rows_by_module: dict[int | None, list[ActivityRow]] = {}
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            if not data.sees_activity(enrollment, activity):
                continue  # another format's intensive, a meeting they are not invited to: not their obligation
            rows_by_module.setdefault(activity.module_id, []).append(_activity_row(data, enrollment, activity, now))
        modules = [
            ModuleRow(module, rows_by_module.get(module.pk, []))
            for module in data.modules_by_season.get(enrollment.season_id, [])
        ]
        today = timezone.localtime(now, enrollment.season.tz).date()
        current = [row for row in modules if row.module.starts_on <= today <= row.module.ends_on]
        upcoming = [row for row in modules if row.module.starts_on > today][:1]
        for row in current or upcoming or modules[-1:]:
            row.is_open = True
        roadmaps.append(EnrollmentRoadmap(enrollment, modules, rows_by_module.get(None, [])))
    return roadmaps


# --- Deadlines ------------------------------------------------------------------------------------------


class DeadlineKind:
    SESSION = "session"
    VIDEO_DUE = "video_due"
    VIDEO_CUTOFF = "video_cutoff"
    # A planned step of the teacher's individual route (seed 004, разд. III): a session, or a day.
    ROUTE_STEP = "route_step"


@dataclass
class Deadline:
    kind: str
    at: datetime
    enrollment: Enrollment
    # None for a route step that is not an activity of the program (e.g. «Разбор урока с наставником»).
    activity: Activity | None
    session: Session | None = None
    assignment: object = None
    # A video cut-off moved by a personal extension.
    extended: bool = False
    # Already past (a due date whose cut-off is still ahead).
    overdue: bool = False
    route_step: RouteStep | None = None
    # A day without a time (a route step planned for a date): `at` is that day's midnight in the season's zone.
    all_day: bool = False

    @property
    def season(self) -> Season:
        return self.enrollment.season


def _planned_steps(enrollment: Enrollment, routes: dict[int, list[RouteStep]]) -> list[RouteStep]:
    """The steps of the route still planned (not done, missed, excused or cancelled) that have a date."""
    return [s for s in routes.get(enrollment.pk, []) if s.state == PLANNED and (s.starts_at or s.planned_on)]


def _route_deadline(enrollment: Enrollment, step: RouteStep) -> Deadline:
    item = step.item
    if item.session_id:
        return Deadline(
            DeadlineKind.ROUTE_STEP,
            item.session.starts_at,
            enrollment,
            item.session.activity,
            item.session,
            route_step=step,
        )
    midnight = datetime.combine(step.planned_on, datetime.min.time())
    at = timezone.make_aware(midnight, enrollment.season.tz)
    return Deadline(DeadlineKind.ROUTE_STEP, at, enrollment, item.activity, route_step=step, all_day=True)


def enrollment_deadlines(
    enrollments: Iterable[Enrollment],
    *,
    now: datetime,
    data: EnrollmentActivities | None = None,
    routes: dict[int, list[RouteStep]] | None = None,
) -> list[Deadline]:
    """Upcoming sessions, the video-lesson dates still ahead of me and the planned steps of my route, soonest
    first.

    A due date already passed stays while the cut-off (or my extension) is still ahead and nothing is
    submitted: it is overdue, and the list says so. Submitted video lessons have no deadlines left. A route
    step that is a session stands for that session (listed once); a step planned for a day stays through
    that day. `routes` (enrollment_routes) may be given when already loaded; otherwise one more query.
    """
    enrollments = list(enrollments)
    data = data or enrollment_activities(enrollments)
    routes = enrollment_routes(enrollments) if routes is None else routes
    deadlines: list[Deadline] = []
    for enrollment in enrollments:
        in_route = set()
        today = timezone.localtime(now, enrollment.season.tz).date()
        for step in _planned_steps(enrollment, routes):
            if step.item.session_id:
                in_route.add(step.item.session_id)
                if step.item.session.starts_at < now:
                    continue
            elif step.planned_on < today:
                continue
            deadlines.append(_route_deadline(enrollment, step))
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            if not data.sees_activity(enrollment, activity):
                continue
            for session in data.sessions_for(enrollment, activity):
                if session.starts_at >= now and session.pk not in in_route:
                    deadlines.append(Deadline(DeadlineKind.SESSION, session.starts_at, enrollment, activity, session))
            assignment = activity_video_assignment(activity)
            if assignment is None or (enrollment.pk, assignment.pk) in data.submissions:
                continue
            cutoff = data.assignment_cutoff(enrollment, assignment)
            if cutoff <= now:
                continue
            deadlines.append(
                Deadline(
                    DeadlineKind.VIDEO_DUE,
                    assignment.due_at,
                    enrollment,
                    activity,
                    assignment=assignment,
                    overdue=assignment.due_at <= now,
                )
            )
            if cutoff > assignment.due_at:
                deadlines.append(
                    Deadline(
                        DeadlineKind.VIDEO_CUTOFF,
                        cutoff,
                        enrollment,
                        activity,
                        assignment=assignment,
                        extended=cutoff != assignment.cutoff_at,
                    )
                )
    deadlines.sort(
        key=lambda d: (d.at, d.kind, d.activity.pk if d.activity else 0, d.route_step.item.pk if d.route_step else 0)
    )
    return deadlines


# --- Risks of exclusion ---------------------------------------------------------------------------------


class RiskRule:
    """The season rules (fields of Season) that exclude a participant."""

    UNEXCUSED_ABSENCE = "exclude_on_unexcused_absence"
    MISSED_VIDEO = "exclude_on_missed_video"
    CHAT_NOT_JOINED = "chat_join_days"


@dataclass
class Risk:
    enrollment: Enrollment
    # A RiskRule value: the name of the Season field holding the rule.
    rule: str
    # The rule in words, e.g. «Неуважительный пропуск обязательного мероприятия ведёт к исключению».
    rule_text: str
    # What happened, with dates in the season's zone.
    evidence: str
    # What to do, with the date to do it by where there is one.
    action: str
    # The last moment to act (None when there is no fixed date); past once the rule is already broken.
    deadline: datetime | None = None
    # The rule is already broken (not merely about to be).
    breached: bool = False
    session: Session | None = None
    assignment: object = None
    # The order's clause behind the rule, or the portal-default label (Season.rule_source).
    source: str = ""
    # The chosen format's intensive whose required sessions can no longer be attended.
    activity: Activity | None = None
    # When the last real absence happened (for that intensive ground).
    missed_at: datetime | None = None


def _when(value: datetime, season: Season) -> str:
    return moment_text(value, season.tz)


def _absence_risk(enrollment: Enrollment, mark: Attendance, session: Session, activity: Activity) -> Risk:
    season = enrollment.season
    return Risk(
        enrollment=enrollment,
        rule=RiskRule.UNEXCUSED_ABSENCE,
        source=season.rule_source(RiskRule.UNEXCUSED_ABSENCE)[0],
        rule_text=_("Пропуск обязательного мероприятия без уважительной причины ведёт к исключению из программы."),
        evidence=_("Пропуск без уважительной причины: «%(activity)s», занятие %(when)s.")
        % {"activity": activity.title, "when": _when(session.starts_at, season)},
        action=_(
            "Если причина была уважительной, как можно скорее сообщите о ней координатору программы "
            "и передайте подтверждающий документ."
        ),
        deadline=None,
        breached=True,
        session=session,
    )


def _real_absences(data: EnrollmentActivities, enrollment: Enrollment, sessions) -> list[tuple[Session, Attendance]]:
    """Sessions with a real «absent» mark: a default mark is no evidence until a coordinator confirms it."""
    found = []
    for session in sessions:
        mark = data.attendance.get((enrollment.pk, session.pk))
        if mark is not None and not mark.is_default and mark.status == Attendance.Status.ABSENT:
            found.append((session, mark))
    return found


def _absence_risks(data: EnrollmentActivities, enrollment: Enrollment, activity: Activity) -> list[Risk]:
    """Положение, п. 4.4: a mandatory activity — each session missed; the chosen format's intensive — once the
    absences leave fewer sessions than its required_sessions («участие во всех мероприятиях … Проекта»)."""
    sessions = data.sessions_for(enrollment, activity)
    if activity.is_mandatory:
        return [
            _absence_risk(enrollment, mark, session, activity)
            for session, mark in _real_absences(data, enrollment, sessions)
        ]
    if activity.audience != ActivityAudience.FORMAT or not sessions:
        return []
    missed = _real_absences(data, enrollment, sessions)
    if len(missed) <= len(sessions) - activity.required_sessions:
        return []
    season = enrollment.season
    last = max(session.starts_at for session, _mark in missed)
    return [
        Risk(
            enrollment=enrollment,
            rule=RiskRule.UNEXCUSED_ABSENCE,
            source=season.rule_source(RiskRule.UNEXCUSED_ABSENCE)[0],
            rule_text=_("Пропуск обязательного мероприятия без уважительной причины ведёт к исключению из программы."),
            evidence=_(
                "Интенсив выбранного формата «%(activity)s»: пропущено без уважительной причины занятий — "
                "%(missed)s из %(total)s, для зачёта нужно посетить %(required)s; последний пропуск — %(when)s."
            )
            % {
                "activity": activity.title,
                "missed": len(missed),
                "total": len(sessions),
                "required": activity.required_sessions,
                "when": _when(last, season),
            },
            action=_(
                "Если причина была уважительной, как можно скорее сообщите о ней координатору программы "
                "и передайте подтверждающий документ."
            ),
            deadline=None,
            breached=True,
            session=None,
            activity=activity,
            missed_at=last,
        )
    ]


def _video_risk(enrollment: Enrollment, activity: Activity, assignment, cutoff: datetime, now: datetime) -> Risk:
    season = enrollment.season
    breached = cutoff <= now
    if assignment.due_at <= now:
        evidence = _("Видеоурок «%(activity)s» не сдан, срок сдачи прошёл %(due)s.")
    else:
        evidence = _("Видеоурок «%(activity)s» не сдан, срок сдачи — %(due)s.")
    evidence = evidence % {"activity": activity.title, "due": _when(assignment.due_at, season)}
    if breached:
        action = _("Окончательный срок истёк %(cutoff)s. Обратитесь к координатору программы.") % {
            "cutoff": _when(cutoff, season)
        }
    else:
        action = _("Сдайте видеоурок не позднее %(cutoff)s — после этого работы не принимаются.") % {
            "cutoff": _when(cutoff, season)
        }
    return Risk(
        enrollment=enrollment,
        rule=RiskRule.MISSED_VIDEO,
        source=season.rule_source(RiskRule.MISSED_VIDEO)[0],
        rule_text=_("Видеоурок, не сданный до окончательного срока, ведёт к исключению из программы."),
        evidence=evidence,
        action=action,
        deadline=cutoff,
        breached=breached,
        assignment=assignment,
    )


def _chat_risk(enrollment: Enrollment, joined_by: datetime, now: datetime) -> Risk:
    season = enrollment.season
    breached = joined_by <= now
    days = season.chat_join_days
    evidence = _("Вы участвуете с %(since)s и ещё не вступили в информационный чат участников.") % {
        "since": _when(enrollment.status_changed_at, season)
    }
    if breached:
        action = _("Срок вступления истёк %(when)s. Вступите в чат и сообщите координатору программы.")
    else:
        action = _("Вступите в информационный чат участников не позднее %(when)s.")
    return Risk(
        enrollment=enrollment,
        rule=RiskRule.CHAT_NOT_JOINED,
        source=season.rule_source(RiskRule.CHAT_NOT_JOINED)[0],
        rule_text=_("Участник, не вступивший в информационный чат за %(days)s после зачисления, исключается.")
        % {"days": days_text(days)},
        evidence=evidence,
        action=action % {"when": _when(joined_by, season)},
        deadline=joined_by,
        breached=breached,
    )


def enrollment_risks(
    enrollments: Iterable[Enrollment], *, now: datetime, data: EnrollmentActivities | None = None
) -> dict[int, list[Risk]]:
    """Per enrollment id, the season rules that would exclude the participant, each with its evidence.

    Only active enrollments are at risk; a rule switched off in the season gives no risks. Breached risks
    come first, then the soonest deadlines. A constant number of queries for any number of enrollments
    (those of enrollment_activities, or none when `data` is given).
    """
    enrollments = list(enrollments)
    risks: dict[int, list[Risk]] = {e.pk: [] for e in enrollments}
    active = [e for e in enrollments if e.status == Enrollment.Status.ACTIVE]
    if not active:
        return risks
    data = data or enrollment_activities(active)
    for enrollment in active:
        season = enrollment.season
        found = risks[enrollment.pk]
        for activity in data.activities_by_season.get(season.pk, []):
            if season.exclude_on_unexcused_absence:
                found.extend(_absence_risks(data, enrollment, activity))
            assignment = activity_video_assignment(activity)
            if (
                season.exclude_on_missed_video
                and assignment is not None
                and (enrollment.pk, assignment.pk) not in data.submissions
                and assignment.due_at <= now + VIDEO_RISK_WINDOW
            ):
                cutoff = data.assignment_cutoff(enrollment, assignment)
                # A lesson whose last moment passed before admission is no obligation of the participant.
                if not passed_before_admission(cutoff, enrollment):
                    found.append(_video_risk(enrollment, activity, assignment, cutoff, now))
        if season.chat_join_days is not None and enrollment.chat_joined_at is None:
            joined_by = enrollment.status_changed_at + timedelta(days=season.chat_join_days)
            claimed = enrollment.chat_join_claimed_at
            # п. 4.4: the teacher who said «я вступил(а)» in time has done their part; until the technical specialist
            # confirms or takes the claim back (chat_membership_revoke clears it), their delay is no ground.
            if claimed is None or claimed > joined_by:
                found.append(_chat_risk(enrollment, joined_by, now))
        far = now + timedelta(days=36500)
        found.sort(key=lambda r: (not r.breached, r.deadline or far))
    return risks


# --- Certificates ---------------------------------------------------------------------------------------


def person_certificates(person: Person, *, enrollments: list[Enrollment] | None = None) -> list[Certificate]:
    """The person's certificates, newest first, with activity, season and program: one query.

    Given every enrollment of the person already loaded with season and program (the cabinet's), each
    certificate shares them instead of the query joining and rebuilding them for every row."""
    if enrollments is None:
        return list(
            Certificate.objects.filter(enrollment__person=person)
            .select_related("activity", "enrollment__season__program")
            .order_by("-issued_at", "-pk")
        )
    by_id = {e.pk: e for e in enrollments}
    # Newest first, sorted here: without an ORDER BY Django need not hash every joined column while compiling.
    certificates = sorted(
        Certificate.objects.filter(enrollment_id__in=list(by_id)).select_related("activity").order_by(),
        key=lambda certificate: (certificate.issued_at, certificate.pk),
        reverse=True,
    )
    for certificate in certificates:
        certificate.enrollment = by_id[certificate.enrollment_id]
    return certificates


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    """Certificates a user may download: their own, and for a staff coordinator those of their municipality.

    Superusers see every certificate, as they do in the admin.
    """
    if not user.is_authenticated:
        return Certificate.objects.none()
    if user.is_superuser:
        return Certificate.objects.all()
    allowed = Q(enrollment__person__user=user)
    if user_is_coordinator(user):
        allowed |= Q(enrollment__season__program__municipality_id=user.municipality_id)
    return Certificate.objects.filter(allowed)


# --- The public certificate check ---------------------------------------------------------------------------


def _verifiable_certificates() -> QuerySet:
    return Certificate.objects.select_related("enrollment__person", "enrollment__season__program", "activity")


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate the QR link names, with what its check page shows; None for an unknown code."""
    return _verifiable_certificates().filter(code=code).first()


def certificate_by_number(candidates: list[str]) -> Certificate | None:
    """The certificate printed with the first of the number's readings that exists (CertificateNumberForm
    gives them in order of likelihood); None when none does. One query."""
    found = {c.number: c for c in _verifiable_certificates().filter(number__in=candidates)}
    return next((found[number] for number in candidates if number in found), None)
