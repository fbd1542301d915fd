"""Ratings' part of a person's data (152-FZ): their rating, the released reviews of their video lessons with the
time-coded comments, and their achievements; the erasers clear the texts and proof files about them while the
scores, statuses and points stay for the rating and the KPIs.

Queue assignments (ReviewAssignment) hold no text about the person and name who checks a lesson before the review
is released, which the teacher is not shown; they are not exported.

Registered with participants.personal_data on import (from RatingsConfig.ready()).
"""

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Person
from participants.personal_data import register_eraser, register_exporter
from programs.signals import rows_changed

from .models import Achievement, ParticipantRating, Review, ReviewComment, ReviewScore
from .timecodes import format_timecode

REMOVED = gettext_lazy("Удалено по запросу участника")
# An achievement must keep a proof (a check constraint), so an erased one points at a name that never resolves.
ERASED_PROOF_URL = "https://proof-removed.invalid/"


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
    """Released reviews and the reasons of returned ones, which the teacher is shown at once. Anything else is
    still the expert's draft: a returned review's scores and texts stay out and are not even fetched."""
    released = Review.Status.RELEASED
    reviews = (
        Review.objects.filter(submission__enrollment__person=person, status__in=[released, Review.Status.RETURNED])
        .select_related("submission__assignment__activity", "expert")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=ReviewScore.objects.filter(review__status=released).select_related("criterion"),
            )
        )
        .order_by("released_at", "pk")
    )
    rows = []
    for r in reviews:
        shown = r.status == released
        rows.append(
            {
                _("Задание"): r.submission.assignment.activity.title,
                _("Версия видеоурока"): r.submission.version,
                _("Эксперт"): r.expert.get_role_display(),
                _("Статус"): r.get_status_display(),
                _("Итоговый балл"): r.total_score if shown else None,
                _("Баллы по критериям"): "; ".join(
                    f"{s.criterion.title}: {s.points}" + (f" ({s.comment})" if s.comment else "")
                    for s in sorted(r.scores.all(), key=lambda s: (s.criterion.order, s.criterion_id))
                ),
                _("Сильные стороны"): r.strengths if shown else "",
                _("Рекомендации"): r.recommendations if shown else "",
                _("Причина возврата на доработку"): r.return_reason,
                _("Опубликована"): r.released_at,
            }
        )
    return rows


def export_review_comments(person: Person) -> list[dict]:
    """The time-coded comments of released reviews only, like the reviews themselves."""
    comments = (
        ReviewComment.objects.filter(
            review__submission__enrollment__person=person, review__status=Review.Status.RELEASED
        )
        .select_related("review__submission__assignment__activity", "review__expert")
        # General remarks (no time) after the time-coded ones, the same on every database.
        .order_by("review__released_at", "review_id", F("at_seconds").asc(nulls_last=True), "pk")
    )
    return [
        {
            _("Задание"): c.review.submission.assignment.activity.title,
            _("Версия видеоурока"): c.review.submission.version,
            _("Эксперт"): c.review.expert.get_role_display(),
            _("Момент видео"): format_timecode(c.at_seconds) if c.at_seconds is not None else _("общее замечание"),
            _("Комментарий"): c.text,
        }
        for c in comments
    ]


def export_achievements(person: Person) -> list[dict]:
    rows = (
        Achievement.objects.filter(enrollment__person=person)
        .select_related("enrollment__season__program", "decided_by")
        .order_by("happened_on", "pk")
    )
    return [
        {
            _("Программа"): a.enrollment.season.program.title,
            _("Сезон"): a.enrollment.season.title,
            _("Название"): a.title,
            _("Вид"): a.get_kind_display(),
            _("Уровень"): a.get_level_display(),
            _("Результат"): a.result,
            _("Дата"): a.happened_on,
            _("Ссылка на подтверждение"): a.proof_url,
            _("Файл подтверждения"): a.proof_file.name.rsplit("/", 1)[-1] if a.proof_file else "",
            _("Статус"): a.get_status_display(),
            _("Кто рассмотрел"): a.decided_by.get_role_display() if a.decided_by_id else "",
            _("Рассмотрено"): a.decided_at,
            _("Комментарий эксперта"): a.comment,
            _("Добавлено"): a.created_at,
        }
        for a in rows
    ]


def erase_review_texts(person: Person) -> list[str]:
    reviews = Review.objects.filter(submission__enrollment__person=person)
    erased = reviews.update(strengths="", recommendations="", return_reason="")
    ReviewScore.objects.filter(review__in=reviews.values("pk")).exclude(comment="").update(comment="")
    rows_changed.send(sender=ReviewScore)
    # The comment rows stay so a review keeps its shape; a comment must have text, so it is replaced.
    comments = ReviewComment.objects.filter(review__in=reviews.values("pk")).update(text=str(REMOVED))
    rows_changed.send(sender=ReviewComment)
    done = [_("Удалены тексты рецензий видеоуроков (баллы сохранены): %(n)d") % {"n": erased}] if erased else []
    if comments:
        done.append(_("Удалены комментарии к моментам видео: %(n)d") % {"n": comments})
    # The audit trail keeps earlier versions of the reviews: their texts go as well.
    versions = (
        Review.history.filter(submission__enrollment__person=person)
        .exclude(strengths="", recommendations="", return_reason="")
        .update(strengths="", recommendations="", return_reason="")
    )
    rows_changed.send(sender=Review)
    if versions:
        done.append(_("Журнал изменений: удалены тексты из прежних версий рецензий: %(n)d") % {"n": versions})
    return done


def _delete_after_commit(storage, names: list[str]) -> None:
    """Files go only when the erasure is committed: a rollback must not leave rows pointing at nothing."""

    def delete():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def erase_achievements(person: Person) -> list[str]:
    """Titles, results, the expert's comments and the proofs (links and files) go; kind, level, date and status
    stay, so confirmed achievements keep their rating points."""
    achievements = Achievement.objects.filter(enrollment__person=person)
    files = list(achievements.exclude(proof_file="").values_list("proof_file", flat=True))
    erased = achievements.update(title=str(REMOVED), result="", comment="", proof_url=ERASED_PROOF_URL, proof_file="")
    _delete_after_commit(Achievement._meta.get_field("proof_file").storage, files)
    if not erased:
        return []
    return [
        _(
            "Достижения: удалены названия, результаты и подтверждения (достижений: %(n)d, файлов: %(f)d); баллы сохранены"
        )
        % {"n": erased, "f": len(files)}
    ]


def register() -> None:
    """This app's part of a person's export and erasure (participants.personal_data)."""
    register_exporter("rating", gettext_lazy("Рейтинг"), export_rating, order=50)
    register_exporter("reviews", gettext_lazy("Отзывы экспертов"), export_reviews, order=51)
    register_exporter("review_comments", gettext_lazy("Комментарии к видеоурокам"), export_review_comments, order=52)
    register_exporter("achievements", gettext_lazy("Достижения"), export_achievements, order=53)
    register_eraser(erase_review_texts)
    register_eraser(erase_achievements)
