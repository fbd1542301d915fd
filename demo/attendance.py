"""Activities' sessions and video assignments, attendance marks and exclusion cases."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from activities.models import Attendance, Session, VideoAssignment
from demo.data import EXCUSE_REASONS, A, S
from experts.models import (
    ExpertRole,
)
from programs.models import (
    Season,
)


class AttendanceMixin:
    """Activities' sessions and video assignments, attendance marks and exclusion cases."""

    def season_sessions(self, season: Season) -> list[Session]:
        if not hasattr(self, "_sessions"):
            seasons = [s for ss in self.program_seasons.values() for s in ss]
            self._sessions = defaultdict(list)
            for s in (
                Session.objects.filter(activity__season__in=seasons)
                .select_related("activity")
                .order_by("starts_at", "pk")
            ):
                self._sessions[s.activity.season_id].append(s)
        return self._sessions[season.pk]

    def season_assignments(self, season: Season) -> list[VideoAssignment]:
        if not hasattr(self, "_assignments"):
            seasons = [s for ss in self.program_seasons.values() for s in ss]
            self._assignments = defaultdict(list)
            for v in (
                VideoAssignment.objects.filter(activity__season__in=seasons)
                .select_related("activity__module")
                .order_by("due_at", "pk")
            ):
                self._assignments[v.activity.season_id].append(v)
        return self._assignments[season.pk]

    def exclusion(self, season, active_from, sessions, assignments):
        """When and why an active participant was excluded (and the session they missed, if that was why)."""
        rng = self.rng
        base = active_from or self.now - timedelta(days=1)
        missed = [
            s
            for s in sessions
            if s.activity.is_mandatory and base < s.starts_at and s.ends_at < self.now - timedelta(days=1)
        ]
        overdue = [v for v in assignments if base < v.opens_at and v.cutoff_at < self.now - timedelta(days=1)]
        tz = season.tz
        if overdue and (not missed or rng.random() < 0.4):
            v = rng.choice(overdue)
            when = min(v.cutoff_at + timedelta(days=rng.randint(1, 4)), self.now - timedelta(minutes=5))
            reason = (
                f"Видеоурок по заданию «{v.activity.title}» не сдан до окончательного срока "
                f"{timezone.localtime(v.cutoff_at, tz):%d.%m.%Y} (п. 5.5 положения)"
            )
            return when, reason, ("video", v.pk)
        if missed:
            s = rng.choice(missed)
            when = min(s.ends_at + timedelta(days=rng.randint(1, 4)), self.now - timedelta(minutes=5))
            reason = (
                f"Неуважительный пропуск обязательного мероприятия «{s.activity.title}» "
                f"{timezone.localtime(s.starts_at, tz):%d.%m.%Y} (п. 5.5 положения)"
            )
            return when, reason, s.pk
        when = min(base + timedelta(days=season.chat_join_days or 7, hours=1), self.now - timedelta(minutes=5))
        return when, "Не вступил в информационный чат участников в установленный срок (п. 4.4 положения)", None

    # --- attendance ---------------------------------------------------------------------------------
    def create_attendance(self) -> None:
        rng = self.rng
        demo_enrollment = None
        rows = []
        for e, active_from, active_until, status, reason_session, spec in self.windows:
            if active_from is None:
                continue
            is_demo = spec is self.demo["teacher@demo.ru"]
            if is_demo:
                demo_enrollment = e
            experts = self.season_experts[e.season_id]
            markers = experts.get(ExpertRole.TECH_SPECIALIST) or experts.get(ExpertRole.CURATOR) or [None]
            until = active_until or self.now
            diligence = rng.random()  # some people miss more than others
            for s in self.season_sessions(e.season):
                if not (active_from <= s.starts_at and s.ends_at < until and s.ends_at < self.now):
                    continue
                audience = s.activity.audience
                # A teacher attends the intensive of the format chosen (seed 000 §3), and only meetings they are
                # invited to: no marks at the other three intensives.
                if audience == "format" and e.preferred_format != s.activity.learning_format:
                    continue
                if audience == "invited":
                    continue
                if not s.activity.is_mandatory and audience != "format" and rng.random() < 0.4:
                    continue
                reason = ""
                if reason_session == s.pk:
                    if status == S.ACTIVE:  # reinstated: the absence turned out to be excused
                        mark, reason = A.EXCUSED, "Больничный лист (справка представлена после исключения)"
                    else:
                        mark = A.ABSENT
                elif is_demo:
                    mark = A.PRESENT
                else:
                    r = rng.random()
                    if r < 0.80 + 0.12 * diligence:
                        mark = A.PRESENT
                    elif r < 0.94:
                        mark, reason = A.LATE, rng.choice(["", "", "Опоздание 10 минут", "Подключился с опозданием"])
                    elif r < 0.98 or status in (S.ACTIVE, S.COMPLETED) and s.activity.is_mandatory:
                        mark, reason = A.EXCUSED, rng.choice(EXCUSE_REASONS)
                    else:
                        mark = A.ABSENT
                marker = rng.choice(markers)
                rows.append(
                    Attendance(
                        session=s,
                        enrollment=e,
                        status=mark,
                        reason=reason,
                        marked_at=s.ends_at + timedelta(minutes=rng.randint(5, 180)),
                        marked_by=marker.person if marker else None,
                    )
                )
            if len(rows) >= 20_000:
                self.bulk(Attendance, rows, "Отметки посещаемости")
                rows = []
        self.bulk(Attendance, rows, "Отметки посещаемости")
        self.demo_enrollment = demo_enrollment
