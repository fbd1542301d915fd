"""{{ session|session_title }} (or {{ session|session_title:activity }}): activities.titles.session_title."""

from django import template

from activities.titles import session_title as _session_title

register = template.Library()


@register.filter(is_safe=False)
def session_title(session, activity=None):
    return _session_title(session, activity or None)
