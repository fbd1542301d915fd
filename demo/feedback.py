"""Quarterly feedback and the methodological subscription: schools' applications, requests, routes."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from activities.models import Activity, RouteItem
from demo.data import FEEDBACK_TEXTS, SCHOOL_APPLICATION_DETAILS, SUBSCRIPTION_DEFICITS, S
from experts.models import (
    ExpertRole,
    IndividualRequest,
)
from participants.models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    SchoolApplication,
    SubscriptionForm,
)
from programs.models import (
    Organisation,
    Program,
    Season,
)


class FeedbackMixin:
    """Quarterly feedback and the methodological subscription: schools' applications, requests, routes."""

    # --- quarterly feedback --------------------------------------------------------------------------
    def create_feedback(self) -> None:
        """Answers for the quarters each participant was active in; the demo teacher's current one is left open."""
        rng = self.rng
        seasons = [s for ss in self.program_seasons.values() for s in ss]
        questions = defaultdict(list)
        for q in FeedbackQuestion.objects.filter(season__in=seasons, is_active=True).order_by("order", "pk"):
            questions[q.season_id].append(q)
        demo_person = self.demo["teacher@demo.ru"].person
        responses, plans = [], []
        for e, active_from, active_until, _status, _why, _spec in self.windows:
            season_questions = questions.get(e.season_id)
            if active_from is None or not season_questions:
                continue
            season = e.season
            end = min(active_until or self.now, self.at(season.ends_on, 18, tz=season.tz), self.now)
            # A participant's own tiredness level, drifting up a little through the year.
            base = rng.choice((2, 2, 3, 3, 3, 4))
            year, quarter = self.quarter_of(active_from, season)
            step = 0
            while True:
                q_start, q_end = self.quarter_bounds(year, quarter, season)
                if q_start >= end:
                    break
                start = max(q_start, active_from)
                stop = min(q_end, end)
                current = q_start <= self.now < q_end
                skip = rng.random() > (0.45 if current else 0.8)
                if e.person_id == demo_person.pk and current:
                    skip = True
                if stop > start and not skip:
                    responses.append(
                        FeedbackResponse(
                            enrollment=e, year=year, quarter=quarter, submitted_at=self.between(start, stop)
                        )
                    )
                    plans.append((season_questions, min(5, max(1, base + (step // 2) + rng.choice((-1, 0, 0, 1))))))
                step += 1
                year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        responses = self.bulk(FeedbackResponse, responses, "Ответы на обратную связь")
        answers = []
        for response, (season_questions, pulse) in zip(responses, plans, strict=True):
            for q in season_questions:
                if q.kind == FeedbackQuestion.Kind.SCALE:
                    value = pulse if q.is_pulse else rng.choice((3, 4, 4, 5, 5))
                    answers.append(FeedbackAnswer(response=response, question=q, scale_value=value))
                elif q.kind == FeedbackQuestion.Kind.CHOICE and q.choices:
                    answers.append(FeedbackAnswer(response=response, question=q, text_value=rng.choice(q.choices)))
                elif q.is_required or rng.random() < 0.5:
                    answers.append(FeedbackAnswer(response=response, question=q, text_value=rng.choice(FEEDBACK_TEXTS)))
        self.bulk(FeedbackAnswer, answers, "Ответы на вопросы")

    @staticmethod
    def quarter_of(moment: datetime, season: Season) -> tuple[int, int]:
        local = timezone.localtime(moment, season.tz)
        return local.year, (local.month - 1) // 3 + 1

    @staticmethod
    def quarter_bounds(year: int, quarter: int, season: Season) -> tuple[datetime, datetime]:
        start = datetime(year, 3 * quarter - 2, 1, tzinfo=season.tz)
        end = (
            datetime(year + 1, 1, 1, tzinfo=season.tz)
            if quarter == 4
            else datetime(year, 3 * quarter + 1, 1, tzinfo=season.tz)
        )
        return start, end

    # --- Methodical Subscription ---------------------------------------------------------------------
    def create_subscription(self) -> None:
        """Schools' applications, the bank of teachers' requests with tutors, and the routes built from them."""
        rng = self.rng
        programs = [p for p in self.program_seasons if p.kind == Program.Kind.SUBSCRIPTION]
        windows = {e.pk: (e, active_from, status, spec) for e, active_from, _u, status, _w, spec in self.windows}
        applications, requests, routes = [], [], []
        # A school applies through its administration (the director or a deputy).
        managers = {}
        for spec in self.specs:
            if spec.person.is_manager and spec.person.organisation_id:
                managers.setdefault(spec.person.organisation_id, spec)
        for program in programs:
            coordinator = self.coordinators[program.pk].person.user
            for season in self.program_seasons[program]:
                members = [w for w in windows.values() if w[0].season_id == season.pk]
                # The schools whose teachers take part applied first (seed 004 §III.1: low results, ВПР, own request).
                schools = {}
                for _e, _a, _s, spec in members:
                    org = spec.person.organisation
                    if org is not None and org.kind == Organisation.Kind.SCHOOL and org.pk in managers:
                        schools.setdefault(org.pk, (org, managers[org.pk]))
                for org, spec in list(schools.values())[:12]:
                    grounds = [SchoolApplication.Ground.OWN_REQUEST]
                    if org.pk in self.low_result_ids:
                        grounds.append(SchoolApplication.Ground.VPR)
                    if rng.random() < 0.5:
                        grounds.append(SchoolApplication.Ground.DIAGNOSTICS)
                    submitted = self.between(
                        season.registration_opens_at - timedelta(days=20), season.registration_opens_at
                    )
                    applications.append(
                        SchoolApplication(
                            season=season,
                            organisation=org,
                            applicant=spec.person,
                            grounds=[str(g) for g in grounds],
                            details=rng.choice(SCHOOL_APPLICATION_DETAILS),
                            teachers_planned=rng.randint(3, 15),
                            status=SchoolApplication.Status.APPROVED,
                            submitted_at=submitted,
                            decided_at=submitted + timedelta(days=rng.randint(1, 7)),
                            decided_by=coordinator,
                            decision_reason="",
                        )
                    )
                director = self.local_directors.get(program.municipality_id)
                if (
                    director is not None
                    and season == self.open_seasons.get(program.pk)
                    and director.person.organisation_id not in list(schools)[:12]
                ):
                    # The demo director's school has just asked to join: the coordinator's decision to make.
                    applications.append(
                        SchoolApplication(
                            season=season,
                            organisation=director.person.organisation,
                            applicant=director.person,
                            grounds=[
                                str(SchoolApplication.Ground.OWN_REQUEST),
                                str(SchoolApplication.Ground.DIAGNOSTICS),
                            ],
                            details=rng.choice(SCHOOL_APPLICATION_DETAILS),
                            teachers_planned=rng.randint(3, 15),
                            status=SchoolApplication.Status.APPLIED,
                            submitted_at=self.now - timedelta(days=1),
                        )
                    )
                tutors = self.season_experts[season.pk].get(ExpertRole.TUTOR, [])
                activities = defaultdict(list)
                for activity in Activity.objects.filter(season=season).prefetch_related("sessions"):
                    activities[activity.kind].append(activity)
                phase = self.phase(season)
                for e, active_from, status, spec in members:
                    if active_from is None or rng.random() > 0.75:
                        continue
                    form = rng.choice(SubscriptionForm.values)
                    request_status = (
                        IndividualRequest.Status.DONE
                        if phase == "past" or status == S.COMPLETED
                        else rng.choice(
                            (
                                IndividualRequest.Status.NEW,
                                IndividualRequest.Status.ASSIGNED,
                                IndividualRequest.Status.IN_WORK,
                            )
                        )
                    )
                    deficit, topic = rng.choice(SUBSCRIPTION_DEFICITS)
                    tutor = rng.choice(tutors) if tutors and request_status != IndividualRequest.Status.NEW else None
                    if tutor is None and request_status != IndividualRequest.Status.NEW:
                        request_status = IndividualRequest.Status.NEW
                    subject = self.subjects.get(spec.subjects[0]) if spec.subjects else None
                    requests.append(
                        IndividualRequest(
                            enrollment=e,
                            deficit=deficit,
                            subject=subject,
                            topic=topic,
                            preferred_form=form,
                            status=request_status,
                            tutor=tutor,
                        )
                    )
                    if request_status == IndividualRequest.Status.NEW:
                        continue
                    # The tutor's route: the chosen form first, then two more of the seven forms.
                    forms = [form] + rng.sample([f for f in SubscriptionForm.values if f != form], 2)
                    for order, kind in enumerate(forms, start=1):
                        candidates = activities.get(kind, [])
                        activity = rng.choice(candidates) if candidates else None
                        sessions = list(activity.sessions.all()) if activity else []
                        session = rng.choice(sessions) if sessions else None
                        planned = timezone.localtime(session.starts_at, season.tz).date() if session else None
                        if planned is None:
                            planned = season.starts_on + timedelta(days=30 * order)
                        item_status = RouteItem.Status.PLANNED
                        if session is None and planned < self.today:
                            item_status = RouteItem.Status.DONE if rng.random() < 0.8 else RouteItem.Status.MISSED
                        routes.append(
                            RouteItem(
                                enrollment=e,
                                order=order,
                                module=activity.module if activity else None,
                                activity=activity,
                                session=session,
                                form=kind,
                                title="" if activity else SubscriptionForm(kind).label,
                                planned_on=planned,
                                status=item_status,
                            )
                        )
        self.bulk(SchoolApplication, applications, "Заявки школ на абонемент")
        self.bulk(IndividualRequest, requests, "Индивидуальные запросы")
        self.bulk(RouteItem, routes, "Шаги индивидуальных маршрутов")
