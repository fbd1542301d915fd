"""Factories and samples shared by the achievement tests."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from experts.models import ExpertRole
from participants.models import User
from ratings.models import Achievement
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    enrollment = factory.SubFactory(EnrollmentFactory)
    title = factory.Sequence(lambda n: f"Конкурс «Учитель года» — этап {n}")
    kind = Achievement.Kind.CONTEST
    level = Achievement.Level.MUNICIPAL
    result = "Призёр"
    happened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    proof_url = "https://example.ru/results"


def pdf_upload(name="diploma.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def with_file(achievement, content=PDF_BYTES, name="proof.pdf"):
    achievement.proof_file.save(name, SimpleUploadedFile(name, content), save=True)
    return achievement


def coordinator_of(season, **extra):
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality, **extra)


def expert_of(season, role=ExpertRole.CURATOR, **extra):
    return ExpertAssignmentFactory(season=season, role=role, **extra)
