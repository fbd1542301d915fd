"""Business rules of the bank of requests of the Methodical Subscription (seed 004, §III.2–3): a teacher's
individual request, the tutor a coordinator assigns to it, and its status."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import date_in_range, date_range_message
from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from core.typography import one_full_stop
from participants.models import Enrollment, Person, SubscriptionForm, User
from participants.services import feedback_answers_check, school_gate_check
from programs.models import Program, Season, Subject
from programs.signals import rows_changed

from .models import (
    CompetenceTest,
    Consultation,
    ExpertAssignment,
    ExpertFeedbackAnswer,
    ExpertFeedbackResponse,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    IndividualRequest,
    LessonVisit,
    MeetingForm,
    MentoringMeeting,
    MentoringPair,
    VisitMode,
)
from .rules_mentoring import is_pair_mentor
from .selectors_obligations import FEEDBACK_ROLES, expert_questions, feedback_assignment
from .selectors_tutor_mentor import pair_running_q

R = IndividualRequest.Status

# Which statuses a coordinator may move a request to. «Назначен тьютор» is set by assigning a tutor.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    R.NEW: {R.DECLINED},
    R.ASSIGNED: {R.IN_WORK, R.DONE, R.DECLINED},
    R.IN_WORK: {R.DONE, R.DECLINED},
    R.DONE: {R.IN_WORK},
    R.DECLINED: {R.NEW},
}
# A refusal and a reopening must say why: the teacher sees the explanation in the cabinet.
REASON_REQUIRED = {R.DECLINED, R.NEW}
REOPENING = {(R.DONE, R.IN_WORK)}
NEEDS_TUTOR = {R.IN_WORK, R.DONE}
CLOSED = {R.DONE, R.DECLINED}


def individual_request_check_enrollment(enrollment: Enrollment) -> None:
    """A request belongs to a current participation in a season of the Methodical Subscription."""
    if enrollment.season.program.kind != Program.Kind.SUBSCRIPTION:
        raise ValidationError(
            _("Индивидуальные запросы принимаются только в программе «Методический абонемент»."),
            code="not_subscription",
        )
    if not enrollment.is_current:
        raise ValidationError(
            _(
                "Запрос можно подать, пока заявка на участие рассматривается или пока вы участвуете в программе; "
                "сейчас участие в статусе «%(status)s»."
            )
            % {"status": enrollment.get_status_display()},
            code="not_current",
        )
    # The bank of requests is formed from the teachers of admitted schools (seed 004, §III.2).
    school_gate_check(
        season=enrollment.season, organisation_id=enrollment.person.organisation_id, enrollment=enrollment
    )


@transaction.atomic
def individual_request_submit(
    *,
    enrollment: Enrollment,
    deficit: str,
    topic: str,
    preferred_form: str,
    subject: Subject | None = None,
    comment: str = "",
) -> IndividualRequest:
    """A teacher's request (deficit, subject, topic, preferred form) lands in the bank of requests as new."""
    enrollment = Enrollment.objects.select_related("season__program", "person").get(pk=enrollment.pk)
    individual_request_check_enrollment(enrollment)
    errors = {}
    if not deficit.strip():
        errors["deficit"] = ValidationError(
            _("Опишите профессиональный дефицит, с которым нужна помощь."), code="required"
        )
    if not topic.strip():
        errors["topic"] = ValidationError(_("Укажите тему запроса."), code="required")
    if preferred_form not in SubscriptionForm.values:
        errors["preferred_form"] = ValidationError(
            _("Выберите одну из форм Методического абонемента."), code="invalid_choice"
        )
    if errors:
        raise ValidationError(errors)
    return IndividualRequest.objects.create(
        enrollment=enrollment,
        deficit=deficit.strip(),
        subject=subject,
        topic=topic.strip(),
        preferred_form=preferred_form,
        comment=comment.strip(),
    )


@transaction.atomic
def individual_request_withdraw(*, individual_request: IndividualRequest, person: Person) -> None:
    """The teacher takes back a request nobody has worked on yet: it leaves the bank."""
    locked = (
        IndividualRequest.objects.select_for_update()
        .filter(pk=individual_request.pk, enrollment__person=person)
        .first()
    )
    if locked is None:
        raise ValidationError(_("Такого запроса нет."), code="not_found")
    if locked.status != R.NEW:
        raise ValidationError(
            _("Запрос уже принят в работу (статус «%(status)s»): отозвать его можно только через координатора.")
            % {"status": locked.get_status_display()},
            code="not_new",
        )
    locked.delete()


@transaction.atomic
def individual_request_assign_tutor(
    *, requests: Iterable[IndividualRequest], tutor: ExpertAssignment, now: datetime | None = None
) -> tuple[int, list[tuple[IndividualRequest, str]]]:
    """Assign a tutor of the requests' season to open requests, in bulk.

    The tutor must be an active tutor of the season; returns (assigned, [(request, why it was skipped)]).
    """
    tutor = ExpertAssignment.objects.select_related("person", "season__program").get(pk=tutor.pk)
    if tutor.role != ExpertRole.TUTOR or not tutor.is_active:
        raise ValidationError(
            {
                "tutor": ValidationError(
                    _("Назначить можно только тьютора, который работает в команде сезона."), code="not_tutor"
                )
            }
        )
    now = now or timezone.now()
    locked = _lock_requests(requests)
    ok, skipped, drafts = [], [], []
    for item in locked:
        if item.enrollment.season_id != tutor.season_id:
            skipped.append((item, _("тьютор %(tutor)s работает в другом сезоне.") % {"tutor": tutor.person.short_name}))
        elif item.status in CLOSED:
            skipped.append((item, _("запрос закрыт (статус «%(status)s»).") % {"status": item.get_status_display()}))
        else:
            ok.append(item.pk)
            if item.tutor_id != tutor.pk:  # the same tutor again is no news to anyone
                drafts.extend(_tutor_assigned_drafts(item, tutor=tutor, changed=item.tutor_id is not None, now=now))
    IndividualRequest.objects.filter(pk__in=ok).update(tutor=tutor, updated_at=now)
    IndividualRequest.objects.filter(pk__in=ok, status=R.NEW).update(status=R.ASSIGNED)
    rows_changed.send(sender=IndividualRequest)
    notifications_create(drafts=drafts, now=now)
    return len(ok), skipped


def _tutor_assigned_drafts(
    item: IndividualRequest, *, tutor: ExpertAssignment, changed: bool, now: datetime
) -> list[NotificationDraft]:
    """The tutor hears of a request to build a route for; the teacher hears who their tutor is (seed 004,
    разд. III: the tutor builds the teacher's individual route from the request). Keys carry the moment of the
    assignment, so a request given back to a former tutor is told again, and the same assignment only once."""
    season = tutor.season
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    site = settings.SITE_URL.rstrip("/")
    context = {"program": season.program.title, "season": season.title, "topic": item.topic}
    drafts = []
    teacher = item.enrollment.person
    if tutor.person.user_id:
        url = reverse("tutor_request_detail", args=[item.pk])
        title = _("Вам назначен запрос «%(topic)s»") % {"topic": item.topic}
        body = _(
            "Педагог: %(teacher)s. Постройте индивидуальный образовательный маршрут по запросу: дефицит — %(deficit)s"
        ) % {"teacher": teacher.full_name, "deficit": item.deficit}
        drafts.append(
            NotificationDraft(
                user_id=tutor.person.user_id,
                kind=Notification.Kind.INFO,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"request:{item.pk}:tutor:{tutor.pk}:{stamp}",
                email_template="request_tutor_assigned",
                email_context={
                    **context,
                    "title": title,
                    "body": body,
                    "link_url": f"{site}{url}",
                    "link_text": _("Открыть запрос и построить маршрут"),
                },
            )
        )
    if teacher.user_id:
        url = f"{reverse('cabinet')}#route"
        if changed:
            title = _("Ваш тьютор сменился: %(tutor)s") % {"tutor": tutor.person.full_name}
        else:
            title = _("Вам назначен тьютор: %(tutor)s") % {"tutor": tutor.person.full_name}
        body = _(
            "По вашему запросу «%(topic)s» тьютор %(tutor)s выстроит ваш индивидуальный образовательный маршрут; "
            "шаги маршрута появятся в личном кабинете."
        ) % {"topic": item.topic, "tutor": tutor.person.full_name}
        drafts.append(
            NotificationDraft(
                user_id=teacher.user_id,
                kind=Notification.Kind.INFO,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"request:{item.pk}:teacher-tutor:{tutor.pk}:{stamp}",
                email_template="request_tutor_assigned",
                email_context={
                    **context,
                    "title": title,
                    "body": body,
                    "link_url": f"{site}{url}",
                    "link_text": _("Открыть маршрут в личном кабинете"),
                },
            )
        )
    return drafts


def _lock_requests(requests: Iterable[IndividualRequest]) -> list[IndividualRequest]:
    """The requests' rows locked in id order (two coordinators' bulk actions never deadlock)."""
    return list(
        IndividualRequest.objects.select_for_update()
        .select_related("enrollment__person")
        .filter(pk__in=[r.pk for r in requests])
        .order_by("pk")
    )


@transaction.atomic
def individual_requests_set_status(
    *, requests: Iterable[IndividualRequest], to_status: str, reason: str = "", now: datetime | None = None
) -> tuple[int, list[tuple[IndividualRequest, str]]]:
    """Move requests to a status in bulk, keeping the explanation the teacher sees.

    Returns (changed, [(request, why it was skipped)]). A refusal or a reopening without a reason raises.
    """
    reason = reason.strip()
    if not reason and to_status in REASON_REQUIRED:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Укажите причину: статус «%(status)s» без пояснения не ставится.")
                    % {"status": R(to_status).label},
                    code="reason_required",
                )
            }
        )
    now = now or timezone.now()
    locked = _lock_requests(requests)
    ok, skipped = [], []
    for item in locked:
        if to_status not in ALLOWED_TRANSITIONS.get(item.status, set()):
            skipped.append(
                (
                    item,
                    _("нельзя перевести запрос из статуса «%(old)s» в «%(new)s».")
                    % {"old": item.get_status_display(), "new": R(to_status).label},
                )
            )
        elif to_status in NEEDS_TUTOR and item.tutor_id is None:
            skipped.append((item, _("сначала назначьте тьютора.")))
        elif (item.status, to_status) in REOPENING and not reason:
            skipped.append((item, _("укажите причину, по которой выполненный запрос возобновляется.")))
        else:
            ok.append(item.pk)
    changes = {"status": to_status, "status_reason": reason, "updated_at": now}
    if to_status == R.NEW:
        # Back to the bank: the request waits for a tutor again.
        changes["tutor"] = None
    IndividualRequest.objects.filter(pk__in=ok).update(**changes)
    rows_changed.send(sender=IndividualRequest)
    return len(ok), skipped


# === Groups, lesson visits and consultations (приказ 643-од, положение, п. 2.2) ===========================

_groups_log = logging.getLogger("experts.groups")


@dataclass
class GroupsSplitResult:
    created: list[ExpertGroup] = field(default_factory=list)
    # How many participants each group (new or existing) received: group id → count.
    added: dict[int, int] = field(default_factory=dict)
    without_curator: bool = False

    @property
    def members_added(self) -> int:
        return sum(self.added.values())


def _format_key(value: str) -> str:
    return " ".join(value.split()).casefold()


def _entry_scores(enrollment_ids: Iterable[int]) -> dict[int, tuple[Decimal | None, str]]:
    """The latest competence test of each participant: (score, level); one query."""
    latest: dict[int, tuple[Decimal | None, str]] = {}
    tests = CompetenceTest.objects.filter(enrollment_id__in=list(enrollment_ids)).order_by(
        "enrollment_id", "-taken_on", "-pk"
    )
    for test in tests.values_list("enrollment_id", "score", "level"):
        latest.setdefault(test[0], (test[1], " ".join(test[2].split()).casefold()))
    return latest


@transaction.atomic
def groups_split(
    *, season: Season, by: User | None, size: int | None = None, count: int | None = None
) -> GroupsSplitResult:
    """Split the season's active participants who have no group yet into groups (seed 000 §2.2).

    Participants are split by the learning format they chose (Enrollment.preferred_format) and, within a format,
    balanced by their entry results: the latest competence test's score, then its level. `size` is the largest
    group; `count` is the number of groups, shared among the formats in proportion to their participants (at
    least one each). A format that already has groups in the season fills them first — up to `size`, or, by
    `count`, the smallest ones — so running it again changes nothing and latecomers join existing groups.
    New groups get the season's active curators round-robin, the curator with the fewest groups first.
    """
    if (size is None) == (count is None):
        raise ValidationError(_("Укажите либо размер группы, либо количество групп."), code="size_or_count")
    if (size is not None and size < 1) or (count is not None and count < 1):
        raise ValidationError(_("Размер и количество групп должны быть не меньше единицы."), code="not_positive")
    Season.objects.select_for_update().get(pk=season.pk)  # two coordinators splitting at once queue up
    people = list(
        Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE, group_membership__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    result = GroupsSplitResult()
    if not people:
        return result
    scores = _entry_scores(e.pk for e in people)
    buckets: dict[str, list[Enrollment]] = {}
    labels: dict[str, str] = {}
    for enrollment in people:
        key = _format_key(enrollment.preferred_format)
        buckets.setdefault(key, []).append(enrollment)
        labels.setdefault(key, " ".join(enrollment.preferred_format.split()))

    existing = list(ExpertGroup.objects.filter(season=season).order_by("name", "pk"))
    # Who is in the existing groups and with what entry results, to keep them balanced when latecomers join.
    placed = list(GroupMember.objects.filter(group__season=season).values_list("group_id", "enrollment_id"))
    placed_scores = _entry_scores(pk for _g, pk in placed)
    slot_of: dict[int, dict] = {
        g.pk: {"group": g, "n": 0, "score": Decimal(0), "levels": {}, "new": []} for g in existing
    }
    for group_id, enrollment_id in placed:
        score, level = placed_scores.get(enrollment_id, (None, ""))
        slot = slot_of[group_id]
        slot["n"] += 1
        slot["score"] += score or 0
        slot["levels"][level] = slot["levels"].get(level, 0) + 1
    by_format: dict[str, list[ExpertGroup]] = {}
    for group in existing:
        by_format.setdefault(_format_key(group.learning_format), []).append(group)
    # New groups per format when splitting by count: proportional to the format's participants (largest remainder).
    quota: dict[str, int] = {}
    if count is not None:
        fresh = [key for key in buckets if key not in by_format]
        total = sum(len(buckets[key]) for key in fresh) or 1
        shares = {key: count * len(buckets[key]) / total for key in fresh}
        quota = {key: max(1, int(shares[key])) for key in fresh}
        spare = count - sum(quota.values())
        for key in sorted(fresh, key=lambda k: shares[k] - int(shares[k]), reverse=True)[: max(spare, 0)]:
            quota[key] += 1

    taken_names = {g.name for g in existing}
    number = 0

    def next_name() -> str:
        nonlocal number
        while True:
            number += 1
            name = _("Группа %(n)d") % {"n": number}
            if name not in taken_names:
                taken_names.add(name)
                return name

    # A slot is a group with its members so far, their score sum and level counts; new groups are created below.
    plan: list[tuple[ExpertGroup, list[Enrollment]]] = []
    for key in sorted(buckets, key=lambda k: (k == "", k)):
        members = buckets[key]
        groups = by_format.get(key, [])
        slots = [slot_of[g.pk] for g in groups]
        if size is not None:
            room = sum(max(size - s["n"], 0) for s in slots)
            extra = max(0, -(-(len(members) - room) // size))  # ceil
        else:
            extra = 0 if slots else quota.get(key, 1)
        for _i in range(extra):
            group = ExpertGroup(season=season, name=next_name(), learning_format=labels[key][:200])
            slots.append({"group": group, "n": 0, "score": Decimal(0), "levels": {}, "new": []})
        # Strongest first, each to the emptiest slot with the fewest of the same level and the lowest score sum:
        # every group gets a similar mix of entry results.
        ranked = sorted(
            members,
            key=lambda e: (scores.get(e.pk, (None, ""))[0] is None, -(scores.get(e.pk, (None, ""))[0] or 0)),
        )
        for enrollment in ranked:
            score, level = scores.get(enrollment.pk, (None, ""))
            open_slots = [s for s in slots if size is None or s["n"] < size] or slots
            slot = min(open_slots, key=lambda s: (s["n"], s["levels"].get(level, 0), s["score"]))
            slot["n"] += 1
            slot["score"] += score or 0
            slot["levels"][level] = slot["levels"].get(level, 0) + 1
            slot["new"].append(enrollment)
        plan.extend((s["group"], s["new"]) for s in slots if s["new"] or s["group"].pk is None)

    new_groups = [group for group, _members in plan if group.pk is None]
    curators = list(
        ExpertAssignment.objects.filter(season=season, role=ExpertRole.CURATOR, is_active=True)
        .annotate(n=Count("curated_groups", filter=Q(curated_groups__season=season)))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for group in new_groups:
        if curators:
            curator = min(curators, key=lambda c: c.n)  # stable: ties go to the first in alphabetical order
            curator.n += 1
            group.curator = curator
    result.without_curator = bool(new_groups) and not curators
    ExpertGroup.objects.bulk_create(new_groups)
    rows_changed.send(sender=ExpertGroup)
    if not connection.features.can_return_rows_from_bulk_insert:
        ids = dict(ExpertGroup.objects.filter(season=season).values_list("name", "pk"))
        for group in new_groups:
            group.pk = ids[group.name]
    GroupMember.objects.bulk_create(
        GroupMember(group=group, enrollment=enrollment) for group, members in plan for enrollment in members
    )
    rows_changed.send(sender=GroupMember)
    result.created = new_groups
    result.added = {group.pk: len(members) for group, members in plan if members}
    _groups_log.info(
        "groups_split season=%s by=%s created=%s added=%s",
        season.pk,
        getattr(by, "pk", None),
        len(new_groups),
        result.members_added,
    )
    return result


@transaction.atomic
def group_members_move(*, enrollments: Iterable[Enrollment], group: ExpertGroup, by: User | None) -> int:
    """Put participants of the group's season into the group (from another group or from none).

    Enrollments of another season are refused as a whole; returns how many participants changed their group.
    """
    ids = sorted({e.pk for e in enrollments})
    rows = list(Enrollment.objects.select_for_update().filter(pk__in=ids).select_related("person", "season"))
    foreign = [e for e in rows if e.season_id != group.season_id]
    if foreign:
        # The last name's initials end the sentence: one full stop, not «К.В..».
        raise ValidationError(
            one_full_stop(
                _("Перевести можно только участников сезона группы; не из этого сезона: %(names)s.")
                % {"names": ", ".join(e.person.short_name for e in foreign)}
            ),
            code="other_season",
        )
    current = dict(GroupMember.objects.filter(enrollment_id__in=ids).values_list("enrollment_id", "group_id"))
    moving = [pk for pk, group_id in current.items() if group_id != group.pk]
    GroupMember.objects.filter(enrollment_id__in=moving).update(group=group)
    joining = [pk for pk in ids if pk not in current]
    GroupMember.objects.bulk_create(GroupMember(group=group, enrollment_id=pk) for pk in joining)
    rows_changed.send(sender=GroupMember)
    _groups_log.info(
        "group_members_move group=%s by=%s moved=%s", group.pk, getattr(by, "pk", None), len(moving) + len(joining)
    )
    return len(moving) + len(joining)


def _expert_for(*, expert: ExpertAssignment, season_id: int, roles: set[str]) -> ExpertAssignment:
    if not expert.is_active or expert.season_id != season_id or expert.role not in roles:
        raise ValidationError(
            _("Записать это может только специалист команды сезона участника (%(roles)s).")
            % {"roles": ", ".join(str(ExpertRole(r).label).lower() for r in sorted(roles))},
            code="not_expert",
        )
    return expert


@transaction.atomic
def lesson_visit_log(
    *,
    enrollment: Enrollment,
    expert: ExpertAssignment,
    visited_on: date,
    mode: str,
    lesson: str,
    grade: str = "",
    subject: Subject | None = None,
    notes: str = "",
    recommendations: str = "",
    today: date | None = None,
) -> LessonVisit:
    """A curator or methodist records a visit to a participant's lesson (in person or by recording).

    The date is not in the future (in the season's zone) and not before the season started; the participant is
    active. Notes stay internal; the teacher sees the recommendations in the cabinet.
    """
    enrollment = Enrollment.objects.select_related("season").get(pk=enrollment.pk)
    _expert_for(expert=expert, season_id=enrollment.season_id, roles={ExpertRole.CURATOR, ExpertRole.METHODIST})
    season = enrollment.season
    today = today or timezone.localdate(timezone=season.tz)
    errors = {}
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(
            _("Посещение записывается только для действующего участника (сейчас: «%(status)s»).")
            % {"status": enrollment.get_status_display()},
            code="not_active",
        )
    if visited_on > today:
        errors["visited_on"] = ValidationError(_("Дата посещения не может быть в будущем."), code="future")
    elif visited_on < season.starts_on:
        errors["visited_on"] = ValidationError(
            _("Дата посещения раньше начала сезона (%(date)s).") % {"date": f"{season.starts_on:%d.%m.%Y}"},
            code="before_season",
        )
    if mode not in VisitMode.values:
        errors["mode"] = ValidationError(_("Выберите, как посещён урок: очно или по записи."), code="invalid_choice")
    if not lesson.strip():
        errors["lesson"] = ValidationError(_("Укажите тему урока."), code="required")
    if errors:
        raise ValidationError(errors)
    return LessonVisit.objects.create(
        enrollment=enrollment,
        expert=expert,
        visited_on=visited_on,
        mode=mode,
        lesson=lesson.strip(),
        grade=grade.strip(),
        subject=subject,
        notes=notes.strip(),
        recommendations=recommendations.strip(),
    )


CONSULTING_ROLES = {ExpertRole.CURATOR, ExpertRole.METHODIST, ExpertRole.PSYCHOLOGIST}


@transaction.atomic
def consultation_log(
    *,
    expert: ExpertAssignment,
    kind: str,
    held_at: datetime,
    topic: str,
    participants: Iterable[Enrollment],
    content: str = "",
    now: datetime | None = None,
) -> Consultation:
    """An individual (one participant) or group (two or more) consultation by a curator, methodist or psychologist.

    A psychologist's consultation is confidential: its content is read by its author only (seed 000 §2.2).
    """
    _expert_for(expert=expert, season_id=expert.season_id, roles=CONSULTING_ROLES)
    now = now or timezone.now()
    ids = sorted({e.pk for e in participants})
    rows = list(Enrollment.objects.filter(pk__in=ids).select_related("person"))
    errors = {}
    if any(e.season_id != expert.season_id or e.status != Enrollment.Status.ACTIVE for e in rows):
        errors["participants"] = ValidationError(
            _("Выберите действующих участников сезона «%(season)s».") % {"season": expert.season}, code="other_season"
        )
    elif kind == Consultation.Kind.INDIVIDUAL and len(rows) != 1:
        errors["participants"] = ValidationError(
            _("Индивидуальная консультация проводится с одним участником."), code="individual_one"
        )
    elif kind == Consultation.Kind.GROUP and len(rows) < 2:
        errors["participants"] = ValidationError(
            _("Для групповой консультации выберите не меньше двух участников."), code="group_two"
        )
    if kind not in Consultation.Kind.values:
        errors["kind"] = ValidationError(_("Выберите вид консультации."), code="invalid_choice")
    if not date_in_range(held_at):  # checked before any comparison: an aware year 1 overflows in UTC
        errors["held_at"] = ValidationError(date_range_message(), code="date_out_of_range")
    elif held_at > now:
        errors["held_at"] = ValidationError(_("Консультация записывается после того, как состоялась."), code="future")
    if not topic.strip():
        errors["topic"] = ValidationError(_("Укажите тему консультации."), code="required")
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        season_id=expert.season_id,
        expert=expert,
        kind=kind,
        held_at=held_at,
        topic=topic.strip(),
        content=content.strip(),
        is_confidential=expert.role == ExpertRole.PSYCHOLOGIST,
    )
    consultation.participants.set(rows)
    return consultation


# --- Mentoring pairs (Pedkluster 27; the mentor map of seed 001) ------------------------------------------


def _coordinator_may_manage(by, season) -> bool:
    """A coordinator manages only their municipality's seasons (none without one); superusers manage all."""
    if by is None or getattr(by, "is_superuser", False):
        return True
    scope = getattr(by, "municipality_id", None)
    return scope is not None and scope == season.program.municipality_id


def mentoring_pair_check(*, season, mentor: ExpertAssignment | None, mentee: Enrollment | None, exclude_pk=None):
    """Why a mentor and a mentee cannot be paired in the season, as field errors; returns quietly when they can."""
    errors: dict[str, ValidationError] = {}
    if mentor is not None:
        if mentor.season_id != season.pk:
            errors["mentor"] = ValidationError(
                _("Наставник работает в другом сезоне: выберите наставника из команды сезона «%(season)s».")
                % {"season": season},
                code="other_season",
            )
        elif mentor.role != ExpertRole.MENTOR or not mentor.is_active:
            errors["mentor"] = ValidationError(
                _("В пару ставится только наставник, который работает в команде сезона."), code="not_mentor"
            )
    if mentee is not None:
        if mentee.season_id != season.pk:
            errors["mentee"] = ValidationError(
                _("Наставляемый участвует в другом сезоне: выберите участника сезона «%(season)s».")
                % {"season": season},
                code="other_season",
            )
        elif mentee.status != Enrollment.Status.ACTIVE:
            errors["mentee"] = ValidationError(
                _("Наставляемым может быть только действующий участник; сейчас статус «%(status)s».")
                % {"status": mentee.get_status_display()},
                code="not_active",
            )
    if mentor is not None and mentee is not None and not errors:
        # «Today» is the season's day: a pair ended today in Чегдомын no longer runs while Moscow is still on
        # yesterday's date.
        today = timezone.localdate(timezone=season.tz)
        pairs = MentoringPair.objects.exclude(pk=exclude_pk).filter(pair_running_q(today))
        if mentor.person_id == mentee.person_id:
            errors["mentee"] = ValidationError(_("Наставник не может быть наставником самому себе."), code="self")
        elif pairs.filter(mentor=mentor, mentee=mentee).exists():
            errors["mentee"] = ValidationError(_("Такая пара уже есть."), code="duplicate")
        elif pairs.filter(season=season, mentee=mentee).exists():
            errors["mentee"] = ValidationError(
                _("У этого участника уже есть действующая наставническая пара в сезоне; сначала завершите её."),
                code="has_pair",
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mentoring_pair_create(*, season, mentor: ExpertAssignment, mentee: Enrollment, goals: str, started_on, by):
    """Pair a mentor of the season's team with an active participant of the same season."""
    season = Season.objects.select_related("program").get(pk=season.pk)
    if not _coordinator_may_manage(by, season):
        raise ValidationError(_("Этот сезон относится к другому муниципалитету."), code="other_municipality")
    # The mentee's row is locked so two coordinators never give one participant two active pairs at once.
    mentee = Enrollment.objects.select_for_update().get(pk=mentee.pk)
    mentor = ExpertAssignment.objects.get(pk=mentor.pk)
    mentoring_pair_check(season=season, mentor=mentor, mentee=mentee)
    if started_on is None:
        raise ValidationError({"started_on": ValidationError(_("Укажите дату начала."), code="required")})
    return MentoringPair.objects.create(
        season=season, mentor=mentor, mentee=mentee, goals=(goals or "").strip(), started_on=started_on
    )


@transaction.atomic
def mentoring_pair_end(*, pair, ended_on, by):
    """Close a pair on a date not before it started; an ended pair stays in the history."""
    pair = MentoringPair.objects.select_for_update(of=("self",)).select_related("season__program").get(pk=pair.pk)
    if not _coordinator_may_manage(by, pair.season):
        raise ValidationError(_("Этот сезон относится к другому муниципалитету."), code="other_municipality")
    if pair.ended_on is not None and pair.ended_on <= timezone.localdate(timezone=pair.season.tz):
        raise ValidationError(
            _("Пара уже завершена %(date)s.") % {"date": pair.ended_on.strftime("%d.%m.%Y")}, code="ended"
        )
    if ended_on is None or ended_on < pair.started_on:
        raise ValidationError(
            {
                "ended_on": ValidationError(
                    _("Дата завершения не может быть раньше начала пары (%(date)s).")
                    % {"date": pair.started_on.strftime("%d.%m.%Y")},
                    code="before_start",
                )
            }
        )
    pair.ended_on = ended_on
    pair.save(update_fields=["ended_on"])
    return pair


# --- The experts' quarterly feedback (seed 000 §2.2) ------------------------------------------------------


@transaction.atomic
def expert_feedback_submit(
    *,
    assignment: ExpertAssignment,
    year: int,
    quarter: int,
    answers: dict[int, object],
    by: User,
    now: datetime | None = None,
) -> ExpertFeedbackResponse:
    """Store (or replace) an expert's answers for the quarter running now in the season's zone: one response per
    person, season and quarter, editable until the quarter ends; the questions are checked by the participants'
    rules. `answers` maps a question id to its value; errors name the field (q_<id>) that caused them."""
    now = now or timezone.now()
    # Lock the person's assignments in the season: a double click must not create two responses.
    mine = list(
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("season", "person")
        .filter(person_id=assignment.person_id, season_id=assignment.season_id, is_active=True)
        .order_by("pk")
    )
    if not mine or mine[0].person.user_id != by.pk:
        raise ValidationError(_("Отвечать за другого эксперта нельзя."))
    mine = [a for a in mine if a.role in FEEDBACK_ROLES]
    if not mine:
        raise ValidationError(_("Ежеквартальную обратную связь дают эксперты команды сезона."))
    owner = feedback_assignment(mine)
    season = owner.season
    today = timezone.localtime(now, season.tz).date()
    if not season.is_running(today):
        raise ValidationError(_("Сезон не идёт: обратную связь дают, пока идёт сезон."))
    if (year, quarter) != (today.year, (today.month - 1) // 3 + 1):
        raise ValidationError(
            _("Ответы за %(quarter)s квартал %(year)s года больше не принимаются: квартал закончился.")
            % {"quarter": quarter, "year": year},
            code="quarter_closed",
        )
    questions = expert_questions([season.pk]).get(season.pk) or []
    if not questions:
        raise ValidationError(_("В этом сезоне нет вопросов обратной связи."))
    rows = feedback_answers_check(questions=questions, answers=answers)
    response = ExpertFeedbackResponse.objects.filter(
        assignment__in=mine, year=year, quarter=quarter
    ).first() or ExpertFeedbackResponse(assignment=owner, year=year, quarter=quarter, submitted_at=now)
    response.updated_at = now
    response.save()
    response.answers.all().delete()
    ExpertFeedbackAnswer.objects.bulk_create(
        ExpertFeedbackAnswer(response=response, question=question, scale_value=scale, text_value=text)
        for question, scale, text in rows
    )
    return response


# A withdrawal or an exclusion ends the mentee's pairs (participants.services status-change registry).
LEAVING = {Enrollment.Status.WITHDRAWN, Enrollment.Status.EXCLUDED}


def mentoring_pairs_end_for_leavers(*, enrollments: Iterable[Enrollment], to_status: str, changed_at: datetime) -> int:
    """End the running pairs of mentees who withdrew or were excluded, on the change's date in the season's time
    zone, in the status change's transaction; one UPDATE per distinct date. Reinstatement reopens nothing: the
    coordinator makes a new pair. A pair that had not started yet ends on its first day."""
    if to_status not in LEAVING:
        return 0
    by_day: dict[date, list[int]] = defaultdict(list)
    for enrollment in enrollments:
        by_day[timezone.localdate(changed_at, timezone=enrollment.season.tz)].append(enrollment.pk)
    ended = 0
    for day, ids in by_day.items():
        ended += (
            MentoringPair.objects.filter(mentee_id__in=ids)
            .filter(pair_running_q(day))
            .update(ended_on=Greatest(F("started_on"), Value(day, output_field=DateField())))
        )
    if ended:
        rows_changed.send(sender=MentoringPair)  # a set-based write: the cabinet and the KPI cache hear of it
    return ended


# --- Mentoring meetings: the mentor's log (Pedkluster 27, the mentoring model) ------------------------------


def _may_log_meeting(by, pair: MentoringPair) -> bool:
    """The pair's mentor while in the season's team, or a staff member of the season's municipality."""
    if by is None:
        return True
    if is_pair_mentor(by, pair):
        return True
    return bool(getattr(by, "is_staff", False)) and _coordinator_may_manage(by, pair.season)


def mentoring_meeting_check(*, pair: MentoringPair, held_on: date | None, form: str, topic: str, today: date) -> None:
    """Why a meeting cannot be logged, as field errors: a date out of bounds, in the future, before the pair
    started or after it ended; an unknown form; no topic. Returns quietly when it can."""
    errors: dict[str, ValidationError] = {}
    if held_on is None:
        errors["held_on"] = ValidationError(_("Укажите дату встречи."), code="required")
    elif not date_in_range(held_on):
        errors["held_on"] = ValidationError(date_range_message(), code="date_out_of_range")
    elif held_on > today:
        errors["held_on"] = ValidationError(
            _("Встреча записывается после того, как состоялась: дата не может быть в будущем."), code="future"
        )
    elif held_on < pair.started_on:
        errors["held_on"] = ValidationError(
            _("Дата встречи раньше начала пары (%(date)s).") % {"date": pair.started_on.strftime("%d.%m.%Y")},
            code="before_start",
        )
    elif pair.ended_on is not None and held_on > pair.ended_on:
        errors["held_on"] = ValidationError(
            _("Дата встречи позже завершения пары (%(date)s).") % {"date": pair.ended_on.strftime("%d.%m.%Y")},
            code="after_end",
        )
    if form not in MeetingForm.values:
        errors["form"] = ValidationError(_("Выберите форму встречи."), code="invalid_choice")
    if not (topic or "").strip():
        errors["topic"] = ValidationError(_("Укажите тему встречи."), code="required")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mentoring_meeting_log(
    *,
    pair: MentoringPair,
    held_on: date,
    form: str,
    topic: str,
    notes: str = "",
    by,
    today: date | None = None,
) -> MentoringMeeting:
    """The mentor (or a coordinator of the season's municipality) logs a meeting of the pair on a past date within
    the pair's period; the «quiet 30 days» flag reads these meetings."""
    pair = MentoringPair.objects.select_related("season__program", "mentor__person").get(pk=pair.pk)
    if not _may_log_meeting(by, pair):
        raise ValidationError(_("Записать встречу может только наставник этой пары или координатор."), code="denied")
    today = today or timezone.localdate(timezone=pair.season.tz)
    mentoring_meeting_check(pair=pair, held_on=held_on, form=form, topic=topic, today=today)
    return MentoringMeeting.objects.create(
        pair=pair,
        held_on=held_on,
        form=form,
        topic=topic.strip(),
        notes=(notes or "").strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


@transaction.atomic
def expert_assignments_set_active(*, assignments: QuerySet[ExpertAssignment], is_active: bool) -> int:
    """Take experts out of their season's team (or bring them back); returns how many changed. A set-based
    write, so the cabinet's and the KPI pages' caches are told (programs.signals.rows_changed)."""
    changed = assignments.exclude(is_active=is_active).update(is_active=is_active)
    if changed:
        rows_changed.send(sender=ExpertAssignment)
    return changed
