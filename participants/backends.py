"""The authentication backend: Django's ModelBackend, loading the signed-in user's person record with the user.

Most pages ask for `request.user.person` (participants.selectors.person_for_user): the cabinet, the expert's
pages, the menu. With the person joined to the query that loads the user for every request, that costs no query
of its own (an account without a person record gets the «no person» answer from the same row).
"""

from django.contrib.auth.backends import ModelBackend

from .models import User


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
