"""The shortcuts tests/conftest.py takes for speed stay in the tests and never reach production settings."""

from django.conf import global_settings, settings
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

import config.settings as production
from tests.conftest import TEST_PASSWORD_HASHER


def test_production_hashes_passwords_with_pbkdf2():
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert TEST_PASSWORD_HASHER not in hashers


def test_the_tests_hash_with_the_fast_hasher_and_still_check_production_hashes():
    assert settings.PASSWORD_HASHERS[0] == TEST_PASSWORD_HASHER
    assert identify_hasher(make_password("Test-Password-123")).algorithm == "md5"
    pbkdf2 = get_hasher("pbkdf2_sha256")
    encoded = pbkdf2.encode("Test-Password-123", pbkdf2.salt(), iterations=1)
    assert pbkdf2.verify("Test-Password-123", encoded)
    assert identify_hasher(encoded).algorithm == "pbkdf2_sha256"


def test_every_file_the_suite_hands_out_first_exists():
    """A renamed or removed slow file would silently drop out of the order (tests/conftest.py SLOW_FILES_FIRST)."""
    from tests.conftest import SLOW_FILES_FIRST

    missing = [name for name in SLOW_FILES_FIRST if not (settings.BASE_DIR / name).is_file()]
    assert not missing, missing
    assert len(set(SLOW_FILES_FIRST)) == len(SLOW_FILES_FIRST)
