"""Ready program templates, quoting their orders: loaded by `manage.py load_programs`.

Each template is a plain dict. `programs` loads municipality, organisations, subjects, program, season and
roadmap modules; the higher apps load their own sections («activities», «expert_roles», «rubric»,
«kpi_targets») through the parts they register in `programs.season_parts`.
"""

from .methodical_subscription import TEMPLATE as METHODICAL_SUBSCRIPTION
from .pedcluster27 import TEMPLATE as PEDCLUSTER27
from .progressive_teacher import TEMPLATE as PROGRESSIVE_TEACHER

TEMPLATES = [PROGRESSIVE_TEACHER, METHODICAL_SUBSCRIPTION, PEDCLUSTER27]

__all__ = ["TEMPLATES", "PROGRESSIVE_TEACHER", "METHODICAL_SUBSCRIPTION", "PEDCLUSTER27"]
