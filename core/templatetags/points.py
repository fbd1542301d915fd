"""{{ review.total_score|points }}: a score without trailing zeros, with the language's decimal mark (core.points)."""

from django import template

from core.points import points_text

register = template.Library()


@register.filter
def points(value) -> str:
    return points_text(value)
