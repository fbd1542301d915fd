"""{% admin_add_label cl.opts %} and {% admin_result_count cl %}: the admin's «Добавить рецензию» and «5 рецензий»
with the model's name declined (core.admin_grammar); Django's own text where the model's app gave no forms."""

from django import template
from django.utils.text import format_lazy
from django.utils.translation import gettext

from core import admin_grammar

register = template.Library()


@register.simple_tag
def admin_add_label(opts) -> str:
    forms = admin_grammar.forms_for(opts)
    if forms is None:
        return gettext("Add %(name)s") % {"name": opts.verbose_name}
    return admin_grammar.add_label(forms)


@register.simple_tag
def admin_result_count(cl) -> str:
    forms = admin_grammar.forms_for(cl.opts)
    if forms is None:
        name = cl.opts.verbose_name if cl.result_count == 1 else cl.opts.verbose_name_plural
        return str(format_lazy("{} {}", cl.result_count, name))
    return admin_grammar.result_count(forms, cl.result_count)
