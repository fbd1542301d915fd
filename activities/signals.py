"""Signals activities sends so that higher apps can drop what they derived (the KPI cache, the cabinet's
versions, the rating) without activities importing them."""

from django.dispatch import Signal

# Sent inside the transaction that wrote attendance marks in bulk (marking, "all present", an import, a
# check-in), which post_save never sees. Arguments: session. Receivers should defer work to on_commit.
attendance_changed = Signal()
