"""Signals that let higher apps copy or load their parts of a season without programs importing them.

Receivers run inside the sender's transaction, so a failure in any app rolls the whole season back.
"""

from django.dispatch import Signal

# Sent after a season and its roadmap were copied. Arguments: source, target, years (int), module_map
# ({source module id: target module}). Receivers copy activities, expert roles, rubrics and the like.
season_cloned = Signal()

# Sent after a program template created or found its season. Arguments: season, template (dict),
# module_map ({module order: RoadmapModule}). Receivers load their section of the template idempotently.
season_template_applied = Signal()

# Sent inside the transaction after a set-based write (queryset.update, bulk_create, bulk_update) that
# post_save / post_delete never report; sender is the model written. Lets higher apps drop what they derived
# from those rows (reports' KPI cache) without the writer knowing them. Receivers defer work to on_commit.
rows_changed = Signal()
