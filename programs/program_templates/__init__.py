"""Ready program templates, quoting their orders: loaded by `manage.py load_programs`.

Each template is a plain dict. `programs` loads municipality, organisations, subjects, program, season and
roadmap modules; the higher apps load their own sections («activities», «expert_roles», «rubric»,
«kpi_targets») through the parts they register in `programs.season_parts`.

The cascade of ИМЦ Московского района (сид 001) is dated relative to the day it is loaded, so its six templates
are built by a function of today's date: `templates_for(today)` is every template `load_programs` applies.
"""

from datetime import date

from .imc_cascade import cascade_templates
from .methodical_subscription import TEMPLATE as METHODICAL_SUBSCRIPTION
from .pedcluster27 import TEMPLATE as PEDCLUSTER27
from .progressive_teacher import TEMPLATE as PROGRESSIVE_TEACHER

TEMPLATES = [PROGRESSIVE_TEACHER, METHODICAL_SUBSCRIPTION, PEDCLUSTER27]


def templates_for(today: date) -> list[dict]:
    """The fixed templates, then the cascade's six dated in the academic year of `today`."""
    return [*TEMPLATES, *cascade_templates(today)]


__all__ = [
    "TEMPLATES",
    "PROGRESSIVE_TEACHER",
    "METHODICAL_SUBSCRIPTION",
    "PEDCLUSTER27",
    "cascade_templates",
    "templates_for",
]
