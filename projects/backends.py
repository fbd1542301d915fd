"""The authentication backend: the portal's (participants.backends.PortalModelBackend — the person record joined)
plus the «Проекты» menu's facts annotated on the same row (projects.navigation.with_facts).

settings.AUTHENTICATION_BACKENDS names it before the participants' backend, so a sign-in goes through it; a
session signed in through the participants' backend still resolves there, its menu then costs one query.
"""

from participants.backends import PortalModelBackend
from participants.models import User

from .navigation import with_facts


class CascadeUserBackend(PortalModelBackend):
    def get_user(self, user_id):
        user = with_facts(User._default_manager.select_related("person")).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
