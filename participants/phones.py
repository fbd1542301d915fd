"""The one rule for a phone number, shared by the registration form and every import that carries phones: digits
with the usual «+», spaces, brackets and dashes, 10 to 20 characters, so «123» is refused wherever it comes from."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PHONE_EXAMPLE = "+7 900 123-45-67"

validate_phone = RegexValidator(
    r"^\+?[\d\s()\-]{10,20}$",
    _("Введите номер телефона цифрами, например +7 900 123-45-67."),
)


def phone_is_valid(value: str) -> bool:
    try:
        validate_phone(value)
    except ValidationError:
        return False
    return True
