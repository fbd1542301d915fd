"""Forms of the expert's review pages: validation only; the views hand cleaned data to ratings.services."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Review, RubricCriterion
from .services import ScoreInput
from .timecodes import comment_lines, parse_comment_lines


def _level_label(criterion: RubricCriterion, points: int) -> str:
    levels = criterion.levels if isinstance(criterion.levels, list) else []
    text = levels[points] if points < len(levels) and isinstance(levels[points], str) else ""
    return f"{points} — {text}" if text else str(points)


class ReviewForm(forms.Form):
    """Per criterion a points radio group and a comment; strengths, recommendations, time-coded comments,
    and the reason when the lesson is returned. Required-ness is the service's rule (a draft may be partial)."""

    strengths = forms.CharField(label=_("Сильные стороны урока"), required=False, widget=forms.Textarea({"rows": 3}))
    recommendations = forms.CharField(label=_("Рекомендации"), required=False, widget=forms.Textarea({"rows": 3}))
    comments = forms.CharField(
        label=_("Комментарии к моментам видео"),
        required=False,
        widget=forms.Textarea({"rows": 4, "placeholder": "12:40 — …"}),
        help_text=_(
            "По одному на строке: «12:40 — текст» или «1:02:03 — текст». Строка без времени — общее замечание."
        ),
    )
    return_reason = forms.CharField(
        label=_("Что нужно доработать"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Обязательно, если вы возвращаете видеоурок на доработку. Педагог увидит этот текст."),
    )

    def __init__(self, data=None, *, criteria: Sequence[RubricCriterion], review: Review | None = None, **kwargs):
        if review is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(review)
        super().__init__(data, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=[(p, _level_label(criterion, p)) for p in range(criterion.max_points + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Выберите балл из предложенных.")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Комментарий (обязателен)") if criterion.comment_required else _("Комментарий"),
                required=False,
                widget=forms.Textarea({"rows": 2}),
            )

    @staticmethod
    def initial_for(review: Review) -> dict:
        initial = {
            "strengths": review.strengths,
            "recommendations": review.recommendations,
            "comments": comment_lines(review.comments.all()),
        }
        for score in review.scores.all():
            initial[f"points_{score.criterion_id}"] = score.points
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def clean_comments(self):
        return parse_comment_lines(self.cleaned_data.get("comments", ""))

    def rows(self):
        """(criterion, points field, comment field) for the template."""
        return [(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, ScoreInput]:
        data = self.cleaned_data
        return {
            c.pk: ScoreInput(points=data.get(f"points_{c.pk}"), comment=data.get(f"comment_{c.pk}") or "")
            for c in self.criteria
        }
