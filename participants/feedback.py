"""Quarterly feedback reads: which quarter it is in a season's zone, what the cabinet asks, and the summary
for reports (participants.feedback_cabinet shows the questions in the cabinet)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from programs.models import Season
from programs.periods import Period, due_periods, period_of, season_day

from .models import Enrollment, FeedbackAnswer, FeedbackQuestion, FeedbackResponse

SCALE_VALUES = (1, 2, 3, 4, 5)


def season_quarter(season: Season, now: datetime | None = None) -> tuple[int, int]:
    """(year, quarter) of `now` in the season's time zone: 31 December 23:00 in Moscow is already Q1 in Vladivostok."""
    local = timezone.localtime(now or timezone.now(), season.tz)
    return local.year, (local.month - 1) // 3 + 1


def feedback_is_open(enrollment: Enrollment, now: datetime | None = None) -> bool:
    """The participant is asked while active in a season that is running (today in the season's zone)."""
    season = enrollment.season
    today = timezone.localtime(now or timezone.now(), season.tz).date()
    return enrollment.status == Enrollment.Status.ACTIVE and season.is_running(today)


def season_questions(season: Season) -> list[FeedbackQuestion]:
    """The participants' active questions (the experts' own are asked in the expert's workspace)."""
    return list(
        FeedbackQuestion.objects.filter(
            season=season, is_active=True, audience=FeedbackQuestion.Audience.PARTICIPANTS
        ).order_by("order", "pk")
    )


def quarter_period(season: Season, year: int, quarter: int) -> Period:
    return period_of(date(year, 3 * quarter - 2, 1), 3, season=season)


def admitted_on(enrollment: Enrollment) -> date:
    """The day an active participant was admitted, in the season's zone (the last change of status)."""
    return timezone.localtime(enrollment.status_changed_at, enrollment.season.tz).date()


# --- Due dates and overdue flags (seed 000 §2.2) -------------------------------------------------------


@dataclass
class FeedbackDue:
    """Who owes quarterly feedback (a participant's enrollment, or an expert's assignment): the season's quarters
    from their start to today, when each was answered, and which are overdue."""

    subject: object
    season: Season
    today: date
    periods: list[Period]
    answered: dict[tuple[int, int], datetime]

    @property
    def current(self) -> Period | None:
        return next((p for p in self.periods if p.contains(self.today) and not p.overdue(self.today)), None)

    @property
    def current_answered_at(self) -> datetime | None:
        return self.answered.get(self.current.key) if self.current else None

    @property
    def overdue(self) -> list[Period]:
        return [p for p in self.periods if p.overdue(self.today) and p.key not in self.answered]

    def missing(self, period: Period) -> bool:
        return period.key not in self.answered


def feedback_dues(
    subjects: list, *, season_of, since_of, questions_by_season: dict[int, int], answered: dict, now: datetime
) -> list[FeedbackDue]:
    """Build the dues of `subjects` with their season and start; a season without questions asks nothing."""
    dues = []
    for subject in subjects:
        season = season_of(subject)
        if not questions_by_season.get(season.pk):
            continue
        today = season_day(season, now)
        periods = due_periods(season, 3, since=since_of(subject), until=today)
        dues.append(
            FeedbackDue(
                subject=subject,
                season=season,
                today=today,
                periods=periods,
                answered=answered.get(subject.pk, {}),
            )
        )
    return dues


def participant_feedback_dues(enrollments: list[Enrollment], now: datetime) -> list[FeedbackDue]:
    """The quarterly feedback owed by active participants (enrollments with their season loaded): two queries
    whatever their number. A quarter before the participant's admission is not due."""
    active = [e for e in enrollments if e.status == Enrollment.Status.ACTIVE]
    if not active:
        return []
    season_ids = {e.season_id for e in active}
    questions = {
        row["season_id"]: row["n"]
        for row in FeedbackQuestion.objects.filter(
            season_id__in=season_ids, is_active=True, audience=FeedbackQuestion.Audience.PARTICIPANTS
        )
        .values("season_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    answered: dict[int, dict] = defaultdict(dict)
    if questions:
        for enrollment_id, year, quarter, at in FeedbackResponse.objects.filter(
            enrollment__in=[e for e in active if e.season_id in questions]
        ).values_list("enrollment_id", "year", "quarter", "submitted_at"):
            answered[enrollment_id][(year, quarter)] = at
    return feedback_dues(
        active,
        season_of=lambda e: e.season,
        since_of=admitted_on,
        questions_by_season=questions,
        answered=answered,
        now=now,
    )


# --- Cabinet section -----------------------------------------------------------------------------------


@dataclass
class FeedbackItem:
    enrollment: Enrollment
    year: int
    quarter: int
    questions: list[FeedbackQuestion]
    answered_at: datetime | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def due_on(self):
        """The quarter's last day (the season's, if it ends sooner): seed 000 §2.2, «минимум раз в квартал»."""
        return quarter_period(self.enrollment.season, self.year, self.quarter).due_on


def feedback_items(enrollments: list[Enrollment], now: datetime, *, latest_known: bool = False) -> list[FeedbackItem]:
    """What to ask each running active enrollment this quarter: two queries whatever their number.

    With `latest_known` the enrollments carry `feedback_latest` (selectors.cabinet_person_enrollments: their
    latest response's year, quarter and time, or None) and only the questions are queried.
    """
    open_ = [e for e in enrollments if feedback_is_open(e, now)]
    if not open_:
        return []
    quarters = {e.pk: season_quarter(e.season, now) for e in open_}
    questions = defaultdict(list)
    for question in FeedbackQuestion.objects.filter(
        season__in={e.season_id for e in open_}, is_active=True, audience=FeedbackQuestion.Audience.PARTICIPANTS
    ).order_by("order", "pk"):
        questions[question.season_id].append(question)
    if latest_known:
        answered = {
            (e.pk, e.feedback_latest[0], e.feedback_latest[1]): e.feedback_latest[2] for e in open_ if e.feedback_latest
        }
    else:
        answered = {
            (r.enrollment_id, r.year, r.quarter): r.submitted_at
            for r in FeedbackResponse.objects.filter(
                enrollment__in=open_, year__in={year for year, _q in quarters.values()}
            ).only("enrollment_id", "year", "quarter", "submitted_at")
        }
    items = []
    for enrollment in open_:
        if not questions[enrollment.season_id]:
            continue
        year, quarter = quarters[enrollment.pk]
        items.append(
            FeedbackItem(
                enrollment=enrollment,
                year=year,
                quarter=quarter,
                questions=questions[enrollment.season_id],
                answered_at=answered.get((enrollment.pk, year, quarter)),
            )
        )
    return items


# --- Summary for reports -------------------------------------------------------------------------------


@dataclass
class QuestionSummary:
    question: FeedbackQuestion
    count: int = 0
    mean: Decimal | None = None
    # (value, how many, share in per cent) for 1..5 on a scale question; (choice, how many, share) for a choice.
    distribution: list[tuple[object, int, int]] = field(default_factory=list)
    # (participant's name, text) — only where the question shows individual answers.
    texts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class QuarterSummary:
    year: int
    quarter: int
    respondents: int
    questions: list[QuestionSummary]


def _share(part: int, whole: int) -> int:
    return int((Decimal(part) * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) if whole else 0


def feedback_summary(*, season: Season) -> list[QuarterSummary]:
    """Per quarter (newest first) and per question: how many answered, the mean and the 1–5 distribution of a
    scale, the counts of each choice; free text only for questions that show individual answers.

    Five queries whatever the number of answers.
    """
    questions = list(
        FeedbackQuestion.objects.filter(season=season, audience=FeedbackQuestion.Audience.PARTICIPANTS).order_by(
            "order", "pk"
        )
    )
    respondents = {
        (row["year"], row["quarter"]): row["n"]
        for row in FeedbackResponse.objects.filter(enrollment__season=season)
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .order_by()
    }
    scale_rows = (
        FeedbackAnswer.objects.filter(response__enrollment__season=season, scale_value__isnull=False)
        .values("response__year", "response__quarter", "question_id", "scale_value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    scales: dict[tuple, dict[int, int]] = defaultdict(dict)
    for row in scale_rows:
        scales[(row["response__year"], row["response__quarter"], row["question_id"])][row["scale_value"]] = row["n"]
    choice_ids = [q.pk for q in questions if q.kind == FeedbackQuestion.Kind.CHOICE]
    shown_text_ids = [q.pk for q in questions if q.kind == FeedbackQuestion.Kind.TEXT and q.shows_individual_answers]
    hidden_text_ids = [
        q.pk for q in questions if q.kind == FeedbackQuestion.Kind.TEXT and not q.shows_individual_answers
    ]
    choices: dict[tuple, dict[str, int]] = defaultdict(dict)
    text_counts: dict[tuple, int] = defaultdict(int)
    for row in (
        FeedbackAnswer.objects.filter(response__enrollment__season=season, question_id__in=choice_ids + hidden_text_ids)
        .exclude(text_value="")
        .values("response__year", "response__quarter", "question_id", "text_value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["response__year"], row["response__quarter"], row["question_id"])
        if row["question_id"] in choice_ids:
            choices[key][row["text_value"]] = row["n"]
        else:
            text_counts[key] += row["n"]
    texts: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    if shown_text_ids:
        for answer in (
            FeedbackAnswer.objects.filter(response__enrollment__season=season, question_id__in=shown_text_ids)
            .exclude(text_value="")
            .select_related("response__enrollment__person")
            .order_by("response__enrollment__person__last_name", "pk")
        ):
            key = (answer.response.year, answer.response.quarter, answer.question_id)
            texts[key].append((answer.response.enrollment.person.full_name, answer.text_value))

    summaries = []
    for year, quarter in sorted(respondents, reverse=True):
        rows = []
        for question in questions:
            key = (year, quarter, question.pk)
            summary = QuestionSummary(question=question)
            if question.kind == FeedbackQuestion.Kind.SCALE:
                counts = scales.get(key, {})
                summary.count = sum(counts.values())
                if summary.count:
                    total = sum(value * n for value, n in counts.items())
                    summary.mean = (Decimal(total) / summary.count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                summary.distribution = [
                    (value, counts.get(value, 0), _share(counts.get(value, 0), summary.count)) for value in SCALE_VALUES
                ]
            elif question.kind == FeedbackQuestion.Kind.CHOICE:
                counts = choices.get(key, {})
                summary.count = sum(counts.values())
                known = list(question.choices) + [c for c in counts if c not in question.choices]
                summary.distribution = [(c, counts.get(c, 0), _share(counts.get(c, 0), summary.count)) for c in known]
            elif question.shows_individual_answers:
                summary.texts = texts.get(key, [])
                summary.count = len(summary.texts)
            else:
                summary.count = text_counts.get(key, 0)
            rows.append(summary)
        summaries.append(
            QuarterSummary(year=year, quarter=quarter, respondents=respondents[(year, quarter)], questions=rows)
        )
    return summaries
