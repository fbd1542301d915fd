"""Signals activities sends so that higher apps (ratings) can react without activities importing them."""

from django.dispatch import Signal

# Sent after a teacher's video lesson (a first version or a replacement) has been committed.
# Arguments: submission (the new current version), previous (the version it replaced, or None).
submission_submitted = Signal()
