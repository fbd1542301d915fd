"""The expert's review of video lessons: the queue, taking and releasing a lesson, the review page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.forms import BoundField, ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities.models import Submission
from activities.video_player import video_player
from activities.video_state import format_moment
from core.date_text import date_text
from core.pagination import window_page
from core.zones import moment_text
from experts.models import ExpertAssignment
from experts.selectors import person_expert_assignments
from participants.models import Person
from participants.selectors import person_for_user
from programs.models import Season

from .filters import ReviewQueueFilterSet
from .forms import ReviewForm
from .models import Review, ReviewComment, ReviewLock, ReviewScore
from .rules import is_review_teacher
from .selectors import (
    QueuePeople,
    free_for,
    review_queue,
    review_queue_people,
    review_queue_rows,
    reviewer_for,
    rubric_maximum_of,
)
from .services import review_lock_release, review_return, review_save, review_take
from .timecodes import timecode_rows

PER_PAGE = 25


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue with its times already written in the season's time zone and its links built."""

    submission: Submission
    person: Person | None
    season: Season
    subject: str
    submitted: str
    due: str
    overdue: bool
    lock: ReviewLock | None
    lock_until: str
    locked_by_me: bool
    url: str
    take_url: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


def _options(field: BoundField) -> list[Option]:
    """A select's options with the chosen one marked, listed once. A model choice field's come from one plain
    query: its own choices would count the rows, then read them through a server-side cursor (DECLARE, FETCH,
    CLOSE: three round trips)."""
    chosen = str(field.value())
    choices = field.field.choices
    if isinstance(field.field, ModelChoiceField):
        model_field = field.field
        empty = [("", model_field.empty_label)] if model_field.empty_label is not None else []
        choices = empty + [(obj.pk, model_field.label_from_instance(obj)) for obj in model_field.queryset]
    return [Option(str(value), str(label), str(value) == chosen) for value, label in choices]


class _SeasonClock:
    """Moments written in one season's zone as the queue shows them («7 декабря 2026, 13:34»): the text of the
    date filter, through core.date_text."""

    def __init__(self, season: Season):
        self.tz = season.tz

    def day(self, moment: datetime) -> str:
        return date_text(timezone.localtime(moment, self.tz), "j E Y")

    def moment(self, moment: datetime, *, year: bool = True) -> str:
        return moment_text(moment, self.tz, "j E Y, H:i" if year else "j E, H:i")


def _link(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for many ids of one route: the route is reversed once around a marker id that
    each row's id then replaces (reverse() matches the pattern anew on every call)."""
    marker = "2147483647"
    head, tail = reverse(name, args=[int(marker)]).rsplit(marker, 1)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True)
class _Links:
    open: Callable[[int], str]
    take: Callable[[int], str]


def _row(
    submission: Submission,
    people: QueuePeople,
    season: Season,
    clock: _SeasonClock,
    subjects: dict[str, str],
    my_ids: set[int],
    now: datetime,
    links: _Links,
) -> QueueRow:
    due_at = submission.submitted_at + timedelta(days=season.review_due_days)
    lock = people.locks.get(submission.pk)
    if lock is not None and lock.expires_at <= now:
        lock = None
    return QueueRow(
        submission=submission,
        person=people.persons.get(submission.enrollment_id),
        season=season,
        subject=subjects.get(str(submission.subject_id), "—"),
        submitted=clock.moment(submission.submitted_at),
        due=clock.day(due_at),
        overdue=due_at < now,
        lock=lock,
        lock_until=clock.moment(lock.expires_at, year=False) if lock is not None else "",
        locked_by_me=lock is not None and lock.expert_id in my_ids,
        # A held lesson is opened, a free one taken: each row needs one of its two links.
        url=links.open(submission.pk) if lock is not None else "",
        take_url=links.take(submission.pk) if lock is None else "",
    )


def _expert_assignments(request: HttpRequest) -> list[ExpertAssignment]:
    person = person_for_user(request.user)
    return person_expert_assignments(person) if person is not None else []


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Assigned lessons first, then the others the expert may review, oldest first; 25 a page."""
    assignments = _expert_assignments(request)
    if not assignments:
        return render(request, "experts/workspace/no_assignments.html")
    now = timezone.now()
    filters = ReviewQueueFilterSet(request.GET or None, review_queue(assignments), assignments=assignments, now=now)
    page = window_page(review_queue_rows(filters.qs), PER_PAGE, request.GET.get("page"))
    people = review_queue_people(page.object_list)
    my_ids = {a.pk for a in assignments}
    by_pk = {season.pk: season for season in filters.seasons}
    clocks = {pk: _SeasonClock(season) for pk, season in by_pk.items()}
    links = _Links(open=_link("review_page"), take=_link("review_take"))
    form = filters.form
    subject_options = _options(form["subject"])
    # The subject filter lists every subject: the rows take their subjects' names from it.
    subjects = {option.value: option.label for option in subject_options if option.value}
    context = {
        "form": form,
        "season_options": _options(form["season"]),
        "subject_options": subject_options,
        "page": page,
        "rows": [
            _row(s, people, by_pk[s.queue_season_id], clocks[s.queue_season_id], subjects, my_ids, now, links)
            for s in page.object_list
        ],
        "query": filters.query_string(),
        "filtered": filters.filtered,
    }
    return render(request, "ratings/queue.html", context)


def _reviewable(request: HttpRequest, pk: int) -> tuple[Submission, ExpertAssignment]:
    """The submission and the expert assignment the signed-in person reviews it under; 404 for anyone else."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    submission = get_object_or_404(
        Submission.objects.select_related(
            "enrollment__person__organisation", "subject", "assignment__activity__season__program"
        ),
        pk=pk,
    )
    expert = reviewer_for(person, submission)
    if expert is None:
        raise Http404
    return submission, expert


@login_required
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    submission, expert = _reviewable(request, pk)
    try:
        review_take(submission=submission, expert=expert)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("review_queue")
    return redirect("review_page", pk=submission.pk)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    submission, expert = _reviewable(request, pk)
    if review_lock_release(submission=submission, expert=expert):
        messages.info(request, _("Видеоурок снова доступен другим экспертам. Ваш черновик сохранён."))
    return redirect("review_queue")


def _next_for(expert: ExpertAssignment, request: HttpRequest, current: Submission) -> Submission | None:
    """The next lesson of the queue the expert may take, taken for them; None when nothing is left."""
    assignments = _expert_assignments(request)
    now = timezone.now()
    candidates = free_for(review_queue(assignments), assignments, now).exclude(pk=current.pk)
    for submission in candidates[:5]:
        reviewer = reviewer_for(expert.person, submission)
        if reviewer is None:
            continue
        try:
            review_take(submission=submission, expert=reviewer)
        except ValidationError:
            continue
        return submission
    return None


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    submission, expert = _reviewable(request, pk)
    season = submission.assignment.activity.season
    now = timezone.now()
    review = (
        Review.objects.filter(submission=submission, expert=expert)
        .select_related("rubric")
        .prefetch_related(
            "rubric__criteria",
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")),
            # General remarks first, then by moment, whatever the database's NULL order.
            Prefetch("comments", queryset=ReviewComment.objects.order_by(F("at_seconds").asc(nulls_first=True), "pk")),
        )
        .first()
    )
    lock = ReviewLock.objects.select_related("expert__person").filter(submission=submission).first()
    if lock is not None and lock.expires_at <= now:
        lock = None
    locked_by_other = lock is not None and lock.expert_id != expert.pk
    editable = review is not None and review.status == Review.Status.IN_PROGRESS and not locked_by_other
    criteria = list(review.rubric.criteria.all()) if review is not None else []
    form = None
    if editable:
        form = ReviewForm(request.POST or None, criteria=criteria, review=review)
        if request.method == "POST":
            if response := _save(request, form, review, expert, submission):
                return response
    elif request.method == "POST":
        messages.error(request, _("Сейчас изменить эту рецензию нельзя."))
        return redirect("review_page", pk=submission.pk)
    player = video_player(submission)
    context = {
        "player": player,
        "submission": submission,
        "season": season,
        "review": review,
        "rubric_max": rubric_maximum_of(criteria),
        "form": form,
        "lock": lock,
        "locked_by_other": locked_by_other,
        "lock_until": format_moment(lock.expires_at, season) if lock else "",
        "submitted_at": format_moment(submission.submitted_at, season),
        "due_at": format_moment(submission.submitted_at + timedelta(days=season.review_due_days), season),
        "overdue": submission.submitted_at + timedelta(days=season.review_due_days) < now,
        "timecodes": timecode_rows(review.comments.all() if review is not None else [], player),
    }
    return render(request, "ratings/review.html", context)


def _save(request, form: ReviewForm, review: Review, expert: ExpertAssignment, submission: Submission):
    """Run the button the expert pressed; a response when done, None to show the form with its errors."""
    action = request.POST.get("action", "draft")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if action == "return":
            review_return(review=review, expert=expert, reason=data["return_reason"])
        else:
            review = review_save(
                review=review,
                expert=expert,
                scores=form.scores(),
                strengths=data["strengths"],
                recommendations=data["recommendations"],
                comments=data["comments"],
                final=action in ("submit", "next"),
            )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            form.add_error(None, exc)
        else:
            form.add_error(None, exc.messages)
        return None
    if action == "return":
        messages.success(request, _("Видеоурок возвращён на доработку. Педагог увидит причину в личном кабинете."))
        return redirect("review_queue")
    if action == "draft":
        messages.success(request, _("Черновик рецензии сохранён."))
        return redirect("review_page", pk=submission.pk)
    if review.status == Review.Status.RELEASED:
        messages.success(request, _("Оценка выставлена и опубликована участнику."))
    else:
        messages.success(request, _("Оценка выставлена. Участник увидит её после проверки координатором."))
    if action == "next":
        following = _next_for(expert, request, submission)
        if following is not None:
            return redirect("review_page", pk=following.pk)
        messages.info(request, _("В очереди больше нет видеоуроков, которые можно взять."))
    return redirect("review_queue")


@login_required
def review_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The link in the teacher's notification: their video lesson's page, at the experts' feedback.

    Someone else's review, or one not yet published to the teacher, answers 404 as if it did not exist.
    """
    review = (
        Review.objects.select_related("submission__enrollment__person", "submission__assignment").filter(pk=pk).first()
    )
    if not is_review_teacher(request.user, review):
        raise Http404
    return redirect(reverse("video_assignment", args=[review.submission.assignment_id]) + "#feedback-title")
