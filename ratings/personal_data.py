"""Ratings' part of a person's data (152-FZ): their rating and the released reviews of their video lessons;
the eraser clears the reviews' texts about them while the scores stay for the rating and the KPIs.

Registered with participants.personal_data on import (from RatingsConfig.ready()).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter

from .models import ParticipantRating, Review, ReviewScore


def export_rating(person: Person) -> list[dict]:
    rows = (
        ParticipantRating.objects.filter(enrollment__person=person)
        .select_related("season__program")
        .order_by("computed_at", "pk")
    )
    return [
        {
            _("Программа"): r.season.program.title,
            _("Сезон"): r.season.title,
            _("Баллы за посещаемость"): r.attendance_points,
            _("Баллы за видеоуроки"): r.video_points,
            _("Баллы за достижения"): r.achievement_points,
            _("Итого"): r.total,
            _("Место"): r.rank,
            _("Пересчитан"): r.computed_at,
        }
        for r in rows
    ]


def export_reviews(person: Person) -> list[dict]:
    """Only released reviews: an unreleased one is still the expert's draft."""
    reviews = (
        Review.objects.filter(submission__enrollment__person=person, status=Review.Status.RELEASED)
        .select_related("submission__assignment__activity", "expert")
        .prefetch_related("scores__criterion")
        .order_by("released_at", "pk")
    )
    return [
        {
            _("Задание"): r.submission.assignment.activity.title,
            _("Версия видеоурока"): r.submission.version,
            _("Эксперт"): r.expert.get_role_display(),
            _("Итоговый балл"): r.total_score,
            _("Баллы по критериям"): "; ".join(
                f"{s.criterion.title}: {s.points}" + (f" ({s.comment})" if s.comment else "")
                for s in sorted(r.scores.all(), key=lambda s: (s.criterion.order, s.criterion_id))
            ),
            _("Сильные стороны"): r.strengths,
            _("Рекомендации"): r.recommendations,
            _("Опубликована"): r.released_at,
        }
        for r in reviews
    ]


def erase_review_texts(person: Person) -> list[str]:
    reviews = Review.objects.filter(submission__enrollment__person=person)
    erased = reviews.update(strengths="", recommendations="")
    ReviewScore.objects.filter(review__in=reviews.values("pk")).exclude(comment="").update(comment="")
    return [_("Удалены тексты рецензий видеоуроков (баллы сохранены): %(n)d") % {"n": erased}] if erased else []


register_exporter("rating", gettext_lazy("Рейтинг"), export_rating, order=50)
register_exporter("reviews", gettext_lazy("Отзывы экспертов"), export_reviews, order=51)
register_eraser(erase_review_texts)
