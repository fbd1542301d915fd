"""Video lessons, their reviews and scores, and the participant rating."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from random import Random

from activities.models import Submission
from demo.base import keep_timestamps, model_field
from demo.data import GENERIC_TOPICS, LESSON_TOPICS, RECOMMENDATIONS, RETURN_RECOMMENDATION, STRENGTHS
from experts.models import (
    ExpertRole,
)
from programs.models import (
    Organisation,
)
from ratings.models import Review, ReviewScore, Rubric, RubricCriterion
from ratings.services import rating_recompute


class ReviewsMixin:
    """Video lessons, their reviews and scores, and the participant rating."""

    # --- submissions and reviews --------------------------------------------------------------------
    def create_submissions(self) -> None:
        rng = self.rng
        rubrics = {}
        for rubric in Rubric.objects.filter(is_current=True).order_by("pk"):
            rubrics[rubric.program_id] = (
                rubric,
                list(RubricCriterion.objects.filter(rubric=rubric).order_by("order", "pk")),
            )
        season_program = {s.pk: p.pk for p, ss in self.program_seasons.items() for s in ss}
        subs, reviews_plan = [], []
        for e, active_from, active_until, _status, reason_session, spec in self.windows:
            if active_from is None:
                continue
            is_demo = spec is self.demo["teacher@demo.ru"]
            until = active_until or self.now
            assignments = self.season_assignments(e.season)
            for v in assignments:
                if reason_session == ("video", v.pk):
                    continue  # the lesson whose absence got them excluded
                if is_demo:
                    if v.opens_at >= self.now:
                        continue
                elif not (active_from < v.due_at < min(until, self.now)) or rng.random() > 0.9:
                    continue
                late = not is_demo and rng.random() < 0.12 and v.due_at + timedelta(hours=2) < min(v.cutoff_at, until)
                if late:
                    at = self.between(v.due_at + timedelta(hours=1), min(v.cutoff_at, until, self.now))
                else:
                    at = self.between(max(v.opens_at, active_from), min(v.due_at, self.now - timedelta(hours=2)))
                subject = spec.subjects[0] if spec.subjects else None
                topics = LESSON_TOPICS.get(subject, GENERIC_TOPICS)
                formats = (v.activity.module.learning_formats if v.activity.module else None) or []
                fmt = e.preferred_format or (rng.choice(formats) if formats else "")
                age = (self.now - at).days
                base = dict(
                    assignment=v,
                    enrollment=e,
                    topic=rng.choice(topics),
                    grade=f"{rng.randint(1, 11)} «{rng.choice('АБВ')}»"
                    if spec.kind == Organisation.Kind.SCHOOL
                    else ("Старшая группа" if spec.kind == Organisation.Kind.KINDERGARTEN else ""),
                    subject=self.subjects.get(subject) if subject else None,
                    learning_format=fmt,
                    reflection="Цель урока достигнута; в следующий раз уделю больше времени самостоятельной работе.",
                )
                program_id = season_program[e.season_id]
                if not is_demo and rng.random() < 0.05 and program_id in rubrics and self.reviewers(e.season_id):
                    # A first version returned for rework, then a new current version.
                    v1 = Submission(
                        **base,
                        version=1,
                        is_current=False,
                        video_url=self.video_url(),
                        submitted_at=at - timedelta(days=3) if at - timedelta(days=3) > v.opens_at else at,
                        status=Submission.Status.RETURNED,
                    )
                    subs.append(v1)
                    reviews_plan.append((v1, Review.Status.RETURNED, spec, at - timedelta(days=1), True))
                    version = 2
                else:
                    version = 1
                if is_demo or age > 30:
                    st = rng.choices(["reviewed", "in_review", "submitted"], weights=[90, 6, 4])[0]
                else:
                    st = rng.choices(["reviewed", "in_review", "submitted"], weights=[30, 35, 35])[0]
                if is_demo:
                    st = "reviewed"
                if program_id not in rubrics or not self.reviewers(e.season_id):
                    st = "submitted"
                sub = Submission(
                    **base,
                    version=version,
                    is_current=True,
                    video_url=self.video_url(),
                    submitted_at=at,
                    is_late=late,
                    status={
                        "reviewed": Submission.Status.REVIEWED,
                        "in_review": Submission.Status.IN_REVIEW,
                        "submitted": Submission.Status.SUBMITTED,
                    }[st],
                )
                subs.append(sub)
                if st == "reviewed":
                    rstatus = Review.Status.RELEASED if is_demo or rng.random() < 0.88 else Review.Status.SUBMITTED
                    reviews_plan.append((sub, rstatus, spec, at, False))
                elif st == "in_review":
                    reviews_plan.append((sub, Review.Status.IN_PROGRESS, spec, at, False))
        self.bulk(Submission, subs, "Видеоуроки")
        reviews, score_plans = [], []
        for sub, rstatus, spec, at, returned in reviews_plan:
            program_id = season_program[sub.enrollment.season_id]
            rubric, criteria = rubrics[program_id]
            expert = self.pick_reviewer(sub.enrollment.season_id, sub.subject_id, spec)
            started = min(at + timedelta(days=rng.randint(1, 5)), self.now - timedelta(hours=2))
            review = Review(submission=sub, expert=expert, rubric=rubric, status=rstatus, started_at=started)
            points = []
            if rstatus != Review.Status.IN_PROGRESS:
                high = rng.random()
                for c in criteria:
                    lo = 0 if returned else (1 if c.max_points > 1 else 0)
                    p = min(
                        c.max_points, max(lo, round(rng.triangular(lo, c.max_points, c.max_points * (0.5 + high / 2))))
                    )
                    points.append((c, p))
                review.total_score = sum((Decimal(p) * c.weight for c, p in points), Decimal(0)).quantize(
                    Decimal("0.01")
                )
                review.submitted_at = min(started + timedelta(hours=rng.randint(2, 96)), self.now - timedelta(hours=1))
                review.strengths = rng.choice(STRENGTHS)
                review.recommendations = RETURN_RECOMMENDATION if returned else rng.choice(RECOMMENDATIONS)
                if rstatus in (Review.Status.RELEASED, Review.Status.RETURNED):
                    review.released_at = min(review.submitted_at + timedelta(hours=rng.randint(1, 48)), self.now)
                if returned:
                    review.return_reason = RETURN_RECOMMENDATION
            reviews.append(review)
            score_plans.append(points)
        second, second_plans = self.second_reviews(reviews_plan, reviews, score_plans)
        reviews += second
        score_plans += second_plans
        with keep_timestamps(model_field(Review, "started_at")):
            reviews = self.bulk(Review, reviews, "Рецензии")
        scores = [
            ReviewScore(
                review=r, criterion=c, points=p, comment="" if not c.comment_required else rng.choice(RECOMMENDATIONS)
            )
            for r, points in zip(reviews, score_plans, strict=True)
            for c, p in points
        ]
        self.bulk(ReviewScore, scores, "Оценки по критериям")
        by_status = defaultdict(int)
        for r in reviews:
            by_status[r.status] += 1
        for status in Review.Status:
            self.counts[f"  — рецензии: {status.label}"] = by_status[status.value]
        self.counts["  — видеоуроки со второй рецензией"] = len(second)

    def second_reviews(self, plan, reviews, score_plans):
        """The season's defaults send a lesson to the subject methodist and to the group's curator: about a
        third of the released lessons (and the demo teacher's first) get the curator's review too — half of
        them with the very same marks — so the rating shows each lesson counted once (seed 000 §5.8).
        A random generator of its own keeps the rest of the data set as it was."""
        rng = Random(f"{self.seed}-second-review")
        demo_spec = self.demo["teacher@demo.ru"]
        demo_done = False
        added, added_plans = [], []
        for (sub, rstatus, spec, _at, returned), first, points in zip(plan, reviews, score_plans, strict=True):
            if rstatus != Review.Status.RELEASED or returned:
                continue
            is_demo = spec is demo_spec and not demo_done
            if not is_demo and rng.random() > 0.35:
                continue
            curators = [
                c
                for c in self.season_experts[sub.enrollment.season_id].get(ExpertRole.CURATOR, [])
                if c != first.expert
            ]
            if not curators:
                continue
            demo_done = demo_done or is_demo
            same = is_demo or rng.random() < 0.5
            marks = [(c, p if same else max(0, min(c.max_points, p + rng.choice((-1, 0, 1))))) for c, p in points]
            review = Review(
                submission=sub,
                expert=rng.choice(curators),
                rubric=first.rubric,
                status=Review.Status.RELEASED,
                started_at=first.started_at,
                submitted_at=first.submitted_at,
                released_at=first.released_at,
                total_score=sum((Decimal(p) * c.weight for c, p in marks), Decimal(0)).quantize(Decimal("0.01")),
                strengths=rng.choice(STRENGTHS),
                recommendations=rng.choice(RECOMMENDATIONS),
            )
            added.append(review)
            added_plans.append(marks)
        return added, added_plans

    def compute_ratings(self) -> None:
        for seasons in self.program_seasons.values():
            for season in seasons:
                self.counts["Строки рейтинга"] = self.counts.get("Строки рейтинга", 0) + rating_recompute(season=season)
