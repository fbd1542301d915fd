"""Exclusion cases (seed 000 §4.4, §5.5): the season's rules applied to every active participant.

`exclusion_rules_apply` (run by the deadline job) turns each breached rule into a reason with its evidence,
opens a case or adds the new reasons to the open one, then either excludes at once (a season with the
automatic policy) or leaves the case to the coordinators, who confirm, dismiss or later reinstate with a
written reason. Every step is an ExclusionCaseEvent with its actor and note: the audit trail.

Set-based: only the enrollments with something against them are loaded (an SQL filter), and a chunk of
them costs a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import operator
from collections import Counter
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import history_bulk_record, history_context
from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from core.zones import moment_text
from participants.models import Enrollment, User
from participants.services import enrollment_exclude, enrollment_reinstate, enrollments_set_status, season_coordinators
from programs.models import Season
from programs.signals import rows_changed

from .models import (
    ActivityAudience,
    Attendance,
    ExclusionCase,
    ExclusionCaseEvent,
    Submission,
    SubmissionExtension,
    VideoAssignment,
)
from .rules import can_decide_exclusion_case
from .selectors import (
    VIDEO_RISK_WINDOW,
    Risk,
    RiskRule,
    activity_video_assignment,
    enrollment_activities,
    enrollment_risks,
)

# Enrollments handled per transaction: small enough to lock briefly, large enough to stay few queries.
EXCLUSION_CHUNK = 2000
# A risk whose deadline is this close is worth a warning to the teacher.
WARNING_WINDOW = timedelta(days=7)

# Short names of the rules for the enrollment's status history (the full evidence is in the case).
RULE_NAMES = {
    RiskRule.UNEXCUSED_ABSENCE: gettext_lazy("пропуск обязательного мероприятия без уважительной причины"),
    RiskRule.MISSED_VIDEO: gettext_lazy("видеоурок не сдан до окончательного срока"),
    RiskRule.CHAT_NOT_JOINED: gettext_lazy("не вступил(а) в информационный чат участников в срок"),
}


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _when(value: datetime, season: Season) -> str:
    return moment_text(value, season.tz)


def risk_key(risk: Risk) -> str:
    """The reason's key: one per session missed, per video lesson, and one for the chat."""
    if risk.rule == RiskRule.UNEXCUSED_ABSENCE and risk.session is None:
        return f"intensive:{risk.activity.pk}"
    if risk.rule == RiskRule.UNEXCUSED_ABSENCE:
        return f"absence:{risk.session.pk}"
    if risk.rule == RiskRule.MISSED_VIDEO:
        return f"video:{risk.assignment.pk}"
    return "chat"


def _evidence(risk: Risk, titles: dict[int, str]) -> tuple[str, datetime]:
    """What happened, in the third person (the case is read by coordinators), and when."""
    season = risk.enrollment.season
    if risk.rule == RiskRule.UNEXCUSED_ABSENCE and risk.session is None:
        return risk.evidence, risk.missed_at
    if risk.rule == RiskRule.UNEXCUSED_ABSENCE:
        return risk.evidence, risk.session.starts_at
    if risk.rule == RiskRule.MISSED_VIDEO:
        text = _("Видеоурок «%(activity)s» не сдан; окончательный срок истёк %(cutoff)s.") % {
            "activity": titles.get(risk.assignment.pk, ""),
            "cutoff": _when(risk.deadline, season),
        }
        return text, risk.deadline
    text = _("Не вступил(а) в информационный чат участников; срок вступления истёк %(when)s.") % {
        "when": _when(risk.deadline, season)
    }
    return text, risk.deadline


def risk_reason(risk: Risk, titles: dict[int, str]) -> dict:
    evidence, at = _evidence(risk, titles)
    return {
        "key": risk_key(risk),
        "rule": risk.rule,
        "rule_text": risk.rule_text,
        "source": risk.source,
        "evidence": evidence,
        "at": at.isoformat(),
    }


def reasons_text(reasons: list[dict]) -> str:
    """The reasons as lines for a notification or an audit note, each with its rule's source where recorded."""
    lines = []
    for reason in reasons:
        line = f"— {reason.get('evidence', '')}"
        if reason.get("source"):
            line += " (" + _("источник: %(source)s") % {"source": reason["source"]} + ")"
        lines.append(line)
    return "\n".join(lines)


def _status_reason(season: Season, rules: tuple[str, ...]) -> str:
    """The written reason of an automatic exclusion: each rule broken with the season's own source for it."""
    names = "; ".join(
        _("%(rule)s (источник: %(source)s)")
        % {"rule": RULE_NAMES.get(rule, rule), "source": season.rule_source(rule)[0]}
        for rule in rules
    )
    return _("Исключён(а) автоматически по правилам программы: %(rules)s.") % {"rules": names}


# --- Notifications -----------------------------------------------------------------------------------------


def _program_context(enrollment: Enrollment) -> dict:
    season = enrollment.season
    return {
        "program": season.program.title,
        "season": season.title,
        "cabinet_url": _absolute(reverse("cabinet")),
    }


def _excluded_draft(case: ExclusionCase, *, reason: str = "") -> NotificationDraft | None:
    enrollment = case.enrollment
    user_id = enrollment.person.user_id
    if not user_id:
        return None
    context = _program_context(enrollment)
    return NotificationDraft(
        user_id=user_id,
        kind=Notification.Kind.EXCLUSION,
        title=_("Вы исключены из программы «%(program)s»") % {"program": context["program"]},
        body="\n".join(filter(None, [reason, reasons_text(case.reasons)])),
        url=reverse("cabinet"),
        dedupe_key=f"exclusion:{case.pk}:excluded",
        email_template="enrollment_excluded",
        email_context={
            **context,
            "reasons": [
                {"rule_text": r["rule_text"], "evidence": r["evidence"], "source": r.get("source", "")}
                for r in case.reasons
            ],
            "decision": reason,
            "automatic": case.automatic,
        },
    )


def _warning_draft(enrollment: Enrollment, risk: Risk, *, key: str, text: str) -> NotificationDraft | None:
    user_id = enrollment.person.user_id
    if not user_id:
        return None
    context = _program_context(enrollment)
    if risk.breached:
        title = _("Правило программы «%(program)s» нарушено: возможно исключение") % {"program": context["program"]}
    else:
        title = _("Риск исключения из программы «%(program)s»") % {"program": context["program"]}
    return NotificationDraft(
        user_id=user_id,
        kind=Notification.Kind.RISK,
        title=title,
        body="\n".join([risk.rule_text, _("Источник: %(source)s.") % {"source": risk.source}, text, risk.action]),
        url=reverse("cabinet"),
        dedupe_key=key,
        email_template="exclusion_warning",
        email_context={
            **context,
            "breached": risk.breached,
            "rule_text": risk.rule_text,
            "source": risk.source,
            "evidence": text,
            "action": risk.action,
        },
    )


def _coordinator_drafts(case: ExclusionCase, coordinator_ids: list[int]) -> list[NotificationDraft]:
    enrollment = case.enrollment
    title = _("Основания для исключения: %(person)s, «%(program)s»") % {
        "person": enrollment.person,
        "program": enrollment.season.program.title,
    }
    url = reverse("admin:activities_exclusioncase_change", args=[case.pk])
    return [
        NotificationDraft(
            user_id=user_id,
            kind=Notification.Kind.EXCLUSION,
            title=title,
            body=reasons_text(case.reasons),
            url=url,
            dedupe_key=f"exclusion-case:{case.pk}",
        )
        for user_id in coordinator_ids
    ]


# --- The rules, applied ------------------------------------------------------------------------------------


def _titles(data) -> dict[int, str]:
    """Assignment id → its activity's title, from the activities already loaded."""
    titles = {}
    for activities in data.activities_by_season.values():
        for activity in activities:
            assignment = activity_video_assignment(activity)
            if assignment is not None:
                titles[assignment.pk] = activity.title
    return titles


def _apply_chunk(enrollments: list[Enrollment], now: datetime, counts: Counter) -> None:
    data = enrollment_activities(enrollments)
    risks = enrollment_risks(enrollments, now=now, data=data)
    titles = _titles(data)
    cases_by_enrollment: dict[int, list[ExclusionCase]] = {}
    for case in ExclusionCase.objects.select_for_update().filter(enrollment_id__in=[e.pk for e in enrollments]):
        cases_by_enrollment.setdefault(case.enrollment_id, []).append(case)

    new_cases: list[ExclusionCase] = []
    grown: list[tuple[ExclusionCase, list[dict]]] = []
    warned: list[tuple[ExclusionCase | None, Enrollment, list[tuple[Risk, dict]]]] = []
    drafts: list[NotificationDraft] = []
    for enrollment in enrollments:
        found = risks.get(enrollment.pk, [])
        cases = cases_by_enrollment.get(enrollment.pk, [])
        open_case = next((c for c in cases if c.status == ExclusionCase.Status.OPEN), None)
        # Grounds a coordinator already weighed (dismissed, or reinstated afterwards) never count again.
        settled = set().union(*(c.reason_keys for c in cases if c.status != ExclusionCase.Status.OPEN))
        known = settled | (open_case.reason_keys if open_case else set())
        fresh: list[tuple[Risk, dict]] = []
        for risk in found:
            if risk.breached:
                key = risk_key(risk)
                if key not in known:
                    known.add(key)
                    fresh.append((risk, risk_reason(risk, titles)))
            elif risk.deadline is not None and risk.deadline - now <= WARNING_WINDOW:
                key = f"risk:{enrollment.pk}:{risk_key(risk)}:{risk.deadline.isoformat()}"
                draft = _warning_draft(enrollment, risk, key=key, text=risk.evidence)
                if draft is not None:
                    drafts.append(draft)
        if not fresh:
            continue
        reasons = [reason for _risk, reason in fresh]
        if open_case is None:
            case = ExclusionCase(enrollment=enrollment, reasons=reasons, opened_at=now)
            new_cases.append(case)
        else:
            case = open_case
            case.reasons = [*case.reasons, *reasons]
            grown.append((case, reasons))
        case.enrollment = enrollment
        warned.append((case, enrollment, fresh))

    if new_cases:
        ExclusionCase.objects.bulk_create(new_cases)
        history_bulk_record(ExclusionCase, new_cases, created=True)
    if grown:
        ExclusionCase.objects.bulk_update([case for case, _reasons in grown], ["reasons"])
        history_bulk_record(ExclusionCase, [case for case, _reasons in grown])
    events = [
        ExclusionCaseEvent(case=case, action=ExclusionCaseEvent.Action.OPENED, at=now, note=reasons_text(case.reasons))
        for case in new_cases
    ] + [
        ExclusionCaseEvent(case=case, action=ExclusionCaseEvent.Action.REASONS_ADDED, at=now, note=reasons_text(added))
        for case, added in grown
    ]
    counts["cases_opened"] += len(new_cases)
    counts["cases_grown"] += len(grown)

    automatic = [
        case
        for case, enrollment, _fresh in warned
        if enrollment.season.exclusion_policy == Season.ExclusionPolicy.AUTOMATIC
    ]
    waiting = [item for item in warned if item[1].season.exclusion_policy != Season.ExclusionPolicy.AUTOMATIC]

    if automatic:
        # The status change goes through the enrollment services, grouped by the rules broken so that a
        # few calls cover any number of participants.
        # The sources differ from season to season, so the groups are per season.
        by_rules: dict[tuple[int, tuple[str, ...]], list[ExclusionCase]] = {}
        for case in automatic:
            rules = tuple(sorted({r["rule"] for r in case.reasons}))
            by_rules.setdefault((case.enrollment.season_id, rules), []).append(case)
        excluded: list[ExclusionCase] = []
        for (_season_id, rules), cases in by_rules.items():
            _changed, skipped = enrollments_set_status(
                enrollments=[c.enrollment for c in cases],
                to_status=Enrollment.Status.EXCLUDED,
                actor=None,
                reason=_status_reason(cases[0].enrollment.season, rules),
            )
            refused = {e.pk for e, _why in skipped}
            excluded.extend(c for c in cases if c.enrollment_id not in refused)
        for case in excluded:
            case.status = ExclusionCase.Status.EXCLUDED
            case.automatic = True
            case.decided_at = now
            case.decision_reason = _status_reason(
                case.enrollment.season, tuple(sorted({r["rule"] for r in case.reasons}))
            )
            events.append(
                ExclusionCaseEvent(
                    case=case, action=ExclusionCaseEvent.Action.EXCLUDED, at=now, note=case.decision_reason
                )
            )
            draft = _excluded_draft(case)
            if draft is not None:
                drafts.append(draft)
        ExclusionCase.objects.bulk_update(excluded, ["status", "automatic", "decided_at", "decision_reason"])
        rows_changed.send(sender=ExclusionCase)
        history_bulk_record(ExclusionCase, excluded)
        counts["excluded"] += len(excluded)

    if waiting:
        coordinators: dict[int, list[int]] = {}
        for case, enrollment, fresh in waiting:
            season = enrollment.season
            if season.pk not in coordinators:
                coordinators[season.pk] = list(season_coordinators(season).values_list("pk", flat=True))
            drafts.extend(_coordinator_drafts(case, coordinators[season.pk]))
            teacher = [
                _warning_draft(
                    enrollment, risk, key=f"exclusion-warning:{enrollment.pk}:{reason['key']}", text=reason["evidence"]
                )
                for risk, reason in fresh
            ]
            teacher = [d for d in teacher if d is not None]
            if teacher:
                drafts.extend(teacher)
                events.append(
                    ExclusionCaseEvent(
                        case=case,
                        action=ExclusionCaseEvent.Action.WARNED,
                        at=now,
                        note=reasons_text([reason for _risk, reason in fresh]),
                    )
                )
        counts["awaiting_decision"] += len(waiting)

    ExclusionCaseEvent.objects.bulk_create(events)
    rows_changed.send(sender=ExclusionCaseEvent)
    counts["notifications"] += notifications_create(drafts=drafts, now=now)


def _running_seasons(now: datetime) -> list[Season]:
    """The seasons running around `now`, each with its number of active enrollments: one query."""
    today = timezone.localdate(now)
    return list(
        Season.objects.filter(starts_on__lte=today + timedelta(days=1), ends_on__gte=today - timedelta(days=1))
        .select_related("program")
        .annotate(active_enrollments=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE)))
        .order_by("pk")
    )


def _signals(seasons: list[Season], now: datetime) -> Q | None:
    """The enrollments that have something against them a rule of their season could act on, as a filter.

    A superset of those `_apply_chunk` does anything for (a case opened or grown, an exclusion, a warning):
    an unexcused absence from a mandatory activity; a video lesson due within VIDEO_RISK_WINDOW, not
    submitted, whose last moment (cut-off or a later extension) comes within WARNING_WINDOW and after the
    participant's admission (the rules are read on active enrollments only); the chat not
    joined with its deadline within WARNING_WINDOW. Reasons already known to a case are sifted out later,
    per enrollment, as before. None when no running season has a rule that could act.
    """
    soon = now + WARNING_WINDOW
    absence = [s.pk for s in seasons if s.exclude_on_unexcused_absence]
    video = [s.pk for s in seasons if s.exclude_on_missed_video]
    parts: list[Q] = []
    if absence:
        # Real marks only: a default «absent» is no evidence until a coordinator confirms it. The chosen format's
        # intensive counts too (its absences are weighed against required_sessions in enrollment_risks).
        absent = Attendance.objects.filter(
            Q(session__activity__is_mandatory=True) | Q(session__activity__audience=ActivityAudience.FORMAT),
            enrollment_id=OuterRef("pk"),
            status=Attendance.Status.ABSENT,
            is_default=False,
            session__activity__season_id=OuterRef("season_id"),
        )
        parts.append(Q(season_id__in=absence) & Exists(absent))
    if video:
        # A lesson whose last moment (cut-off or extension) came before admission is no ground (п. 4.4, 5.5).
        admitted = OuterRef(Enrollment.ADMITTED_AT_FIELD)
        missing = VideoAssignment.objects.filter(
            Q(cutoff_at__gt=admitted)
            | Exists(
                SubmissionExtension.objects.filter(
                    assignment_id=OuterRef("pk"),
                    enrollment_id=OuterRef(OuterRef("pk")),
                    until__gt=OuterRef(OuterRef(Enrollment.ADMITTED_AT_FIELD)),
                )
            ),
            activity__season_id=OuterRef("season_id"),
            due_at__lte=now + VIDEO_RISK_WINDOW,
            cutoff_at__lte=soon,
        ).exclude(
            Exists(
                Submission.objects.filter(
                    assignment_id=OuterRef("pk"), enrollment_id=OuterRef(OuterRef("pk")), is_current=True
                )
            )
            | Exists(
                SubmissionExtension.objects.filter(
                    assignment_id=OuterRef("pk"), enrollment_id=OuterRef(OuterRef("pk")), until__gt=soon
                )
            )
        )
        parts.append(Q(season_id__in=video) & Exists(missing))
    for season in seasons:
        if season.chat_join_days is not None:
            # Joined by status_changed_at + chat_join_days: breached, or due within the warning window.
            latest = soon - timedelta(days=season.chat_join_days)
            parts.append(Q(season_id=season.pk, chat_joined_at__isnull=True, status_changed_at__lte=latest))
    if not parts:
        return None
    return reduce(operator.or_, parts)


def exclusion_rules_apply(*, now: datetime) -> dict[str, int]:
    """Apply the exclusion rules to the active enrollments of running seasons, a chunk per transaction.

    Only the enrollments with a signal a rule could act on (`_signals`) are loaded, in chunks of
    EXCLUSION_CHUNK: the queries grow with the chunks of those at risk, never with the enrollments checked.
    Returns counts: cases_opened, cases_grown, excluded, awaiting_decision, notifications, enrollments (the
    active enrollments of running seasons, all checked), at_risk (those with a signal, loaded and weighed).
    """
    counts: Counter = Counter()
    seasons = _running_seasons(now)
    counts["enrollments"] = sum(s.active_enrollments for s in seasons)
    signals = _signals(seasons, now) if counts["enrollments"] else None
    if signals is not None:
        by_pk = {s.pk: s for s in seasons}
        base = (
            Enrollment.objects.filter(signals, status=Enrollment.Status.ACTIVE, season_id__in=list(by_pk))
            .select_related("person")
            .order_by("pk")
        )
        last = 0
        while True:
            chunk = list(base.filter(pk__gt=last)[:EXCLUSION_CHUNK])
            if not chunk:
                break
            for enrollment in chunk:
                enrollment.season = by_pk[enrollment.season_id]
            with transaction.atomic():
                _apply_chunk(chunk, now, counts)
            counts["at_risk"] += len(chunk)
            last = chunk[-1].pk
            if len(chunk) < EXCLUSION_CHUNK:
                break
    for name in (
        "cases_opened",
        "cases_grown",
        "excluded",
        "awaiting_decision",
        "notifications",
        "enrollments",
        "at_risk",
    ):
        counts.setdefault(name, 0)
    return dict(counts)


def exclusion_message(counts: dict[str, int]) -> str:
    return _(
        "Проверено участников: %(enrollments)s, из них с признаками риска: %(at_risk)s. Открыто дел об "
        "исключении: %(cases_opened)s, дополнено: %(cases_grown)s. Исключено автоматически: %(excluded)s. Ждут решения координатора: "
        "%(awaiting_decision)s. Уведомлений: %(notifications)s."
    ) % {
        k: counts.get(k, 0)
        for k in (
            "enrollments",
            "at_risk",
            "cases_opened",
            "cases_grown",
            "excluded",
            "awaiting_decision",
            "notifications",
        )
    }


# --- A coordinator's decisions --------------------------------------------------------------------------------


def _locked_case(case: ExclusionCase) -> ExclusionCase:
    return (
        ExclusionCase.objects.select_for_update(of=("self",))
        .select_related("enrollment__season__program", "enrollment__person")
        .get(pk=case.pk)
    )


def _decision_check(case: ExclusionCase, by: User, reason: str, allowed: tuple[str, ...]) -> str:
    if by is None or not can_decide_exclusion_case.test(by, case):
        raise PermissionDenied(_("Решения по исключению принимает координатор муниципалитета этой программы."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Напишите обоснование решения: его увидит участник.")]})
    if case.status not in allowed:
        raise ValidationError(
            _("Это решение нельзя принять: основание в состоянии «%(status)s».") % {"status": case.get_status_display()}
        )
    return reason


def _decide(case: ExclusionCase, *, by: User, reason: str, status: str, action: str, now: datetime) -> None:
    case.status = status
    case.decided_at = now
    case.decided_by = by
    case.decision_reason = reason
    with history_context(user=by):
        case.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    ExclusionCaseEvent.objects.create(case=case, action=action, at=now, actor=by, note=reason)


def _closed_draft(case: ExclusionCase, *, title: str, reason: str, kind: str) -> NotificationDraft | None:
    enrollment = case.enrollment
    if not enrollment.person.user_id:
        return None
    context = _program_context(enrollment)
    return NotificationDraft(
        user_id=enrollment.person.user_id,
        kind=Notification.Kind.EXCLUSION,
        title=title,
        body=reason,
        url=reverse("cabinet"),
        dedupe_key=f"exclusion:{case.pk}:{kind}",
        email_template="exclusion_closed",
        email_context={**context, "title": title, "decision": reason, "reinstated": kind == "reinstated"},
    )


@transaction.atomic
def exclusion_case_confirm(*, case: ExclusionCase, by: User, reason: str) -> ExclusionCase:
    """A coordinator confirms an open case: the participant is excluded, with the written reason."""
    case = _locked_case(case)
    reason = _decision_check(case, by, reason, (ExclusionCase.Status.OPEN,))
    now = timezone.now()
    enrollment_exclude(enrollment=case.enrollment, actor=by, reason=reason)
    _decide(
        case,
        by=by,
        reason=reason,
        status=ExclusionCase.Status.EXCLUDED,
        action=ExclusionCaseEvent.Action.CONFIRMED,
        now=now,
    )
    draft = _excluded_draft(case, reason=reason)
    notifications_create(drafts=[draft] if draft else [], now=now)
    return case


@transaction.atomic
def exclusion_case_dismiss(*, case: ExclusionCase, by: User, reason: str) -> ExclusionCase:
    """A coordinator dismisses an open case: the participant stays; its grounds never open a case again."""
    case = _locked_case(case)
    reason = _decision_check(case, by, reason, (ExclusionCase.Status.OPEN,))
    now = timezone.now()
    _decide(
        case,
        by=by,
        reason=reason,
        status=ExclusionCase.Status.DISMISSED,
        action=ExclusionCaseEvent.Action.DISMISSED,
        now=now,
    )
    title = _("Вы остаётесь в программе «%(program)s»") % {"program": case.enrollment.season.program.title}
    draft = _closed_draft(case, title=title, reason=reason, kind="dismissed")
    notifications_create(drafts=[draft] if draft else [], now=now)
    return case


@transaction.atomic
def exclusion_case_reinstate(*, case: ExclusionCase, by: User, reason: str) -> ExclusionCase:
    """A coordinator brings an excluded participant back; the case's grounds never open a case again."""
    case = _locked_case(case)
    reason = _decision_check(case, by, reason, (ExclusionCase.Status.EXCLUDED,))
    now = timezone.now()
    enrollment_reinstate(enrollment=case.enrollment, actor=by, reason=reason)
    _decide(
        case,
        by=by,
        reason=reason,
        status=ExclusionCase.Status.REINSTATED,
        action=ExclusionCaseEvent.Action.REINSTATED,
        now=now,
    )
    title = _("Вы восстановлены в программе «%(program)s»") % {"program": case.enrollment.season.program.title}
    draft = _closed_draft(case, title=title, reason=reason, kind="reinstated")
    notifications_create(drafts=[draft] if draft else [], now=now)
    return case
