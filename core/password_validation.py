"""Password validators of our own (AUTH_PASSWORD_VALIDATORS); Django's others are used as they are."""

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator, exceeds_maximum_length_ratio
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

# What the password is compared with, named as the message needs it («похож на …»).
_COMPARED = (
    ("email", _("адрес электронной почты")),
    ("last_name", _("фамилию")),
    ("first_name", _("имя")),
    ("middle_name", _("отчество")),
)


def _compared_values(user) -> dict[str, str]:
    """The user's e-mail and its person's names (empty where there are none)."""
    try:
        person = user.person
    except (ObjectDoesNotExist, ValueError, AttributeError):
        person = None
    values = {"email": getattr(user, "email", "") or ""}
    for name in ("last_name", "first_name", "middle_name"):
        values[name] = getattr(person, name, "") or ""
    return values


class PersonAttributeSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity check against the e-mail and the person's last, first and middle names.

    The user model keeps no names of its own: they are on the person (`user.person`, read as an attribute, not
    imported; a form may set it on an unsaved user to compare what was typed on the same page)."""

    def __init__(self, max_similarity: float = 0.7):
        super().__init__(user_attributes=tuple(name for name, _label in _COMPARED), max_similarity=max_similarity)

    def validate(self, password, user=None):
        if user is None:
            return
        password = password.lower()
        values = _compared_values(user)
        for name, label in _COMPARED:
            value = values[name].lower()
            if not value:
                continue
            # Django's rule: the whole value and each of its parts («ivanova», «school», «ru» of an address).
            for part in [*re.split(r"\W+", value), value]:
                if not part or exceeds_maximum_length_ratio(password, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(
                        _("Пароль слишком похож на ваши личные данные: %(what)s."),
                        code="password_too_similar",
                        params={"what": label},
                    )

    def get_help_text(self):
        return _("Пароль не должен быть похож на ваши фамилию, имя, отчество или адрес электронной почты.")
