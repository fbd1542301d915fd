"""The one signal programs sends: for cache invalidation only (business steps are explicit calls; a season's
parts are in programs.season_parts)."""

from django.dispatch import Signal

# Sent inside the transaction after a set-based write (queryset.update, bulk_create, bulk_update) that
# post_save / post_delete never report; sender is the model written. Lets higher apps drop what they derived
# from those rows (reports' KPI cache) without the writer knowing them. Receivers defer work to on_commit.
rows_changed = Signal()
