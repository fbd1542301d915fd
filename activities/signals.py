"""Signals activities sends so that higher apps (ratings) can react without activities importing them."""

from django.dispatch import Signal

# Sent after a teacher's video lesson (a first version or a replacement) has been committed.
# Arguments: submission (the new current version), previous (the version it replaced, or None).
submission_submitted = Signal()

# Sent inside the transaction that wrote attendance marks in bulk (marking, "all present", an import, a
# check-in), which post_save never sees. Arguments: session. Receivers should defer work to on_commit.
attendance_changed = Signal()
