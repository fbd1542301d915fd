"""Each KPI on a small hand-made season whose answers are worked out below, next to the data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Attendance, Certificate, MissedVideo
from participants.feedback import season_quarter
from participants.models import Enrollment, EnrollmentStatusChange, FeedbackResponse
from reports.kpi import KPI_DEFINITIONS, PROGRAM_KPIS, kpi_values
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db
S = Enrollment.Status


def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


@pytest.fixture
def world():
    now = timezone.now()
    season, other = SeasonFactory(), SeasonFactory()
    e = {
        name: EnrollmentFactory(season=season, status=status)
        for name, status in [
            ("applied", S.APPLIED),
            ("b1", S.ACTIVE),
            ("b2", S.ACTIVE),
            ("b3", S.ACTIVE),
            ("completed", S.COMPLETED),
            ("left_after_admission", S.WITHDRAWN),
            ("left_before_admission", S.WITHDRAWN),
            ("excluded", S.EXCLUDED),
            ("rejected", S.REJECTED),
        ]
    }
    EnrollmentStatusChange.objects.create(
        enrollment=e["left_after_admission"], from_status=S.APPLIED, to_status=S.ACTIVE
    )
    EnrollmentStatusChange.objects.create(
        enrollment=e["left_after_admission"], from_status=S.ACTIVE, to_status=S.WITHDRAWN
    )
    EnrollmentStatusChange.objects.create(
        enrollment=e["left_before_admission"], from_status=S.APPLIED, to_status=S.WITHDRAWN
    )
    other_active = EnrollmentFactory(season=other, status=S.ACTIVE)

    session = SessionFactory(activity__season=season, starts_at=now - timedelta(days=2))
    AttendanceFactory(session=session, enrollment=e["b1"], status=Attendance.Status.PRESENT)
    AttendanceFactory(session=session, enrollment=e["b2"], status=Attendance.Status.LATE)
    AttendanceFactory(session=session, enrollment=e["b3"], status=Attendance.Status.ABSENT)
    AttendanceFactory(session=session, enrollment=e["completed"], status=Attendance.Status.EXCUSED, reason="Болезнь")
    AttendanceFactory(session__activity__season=other, enrollment=other_active, status=Attendance.Status.ABSENT)

    due = VideoAssignmentFactory(
        activity__season=season,
        opens_at=now - timedelta(days=20),
        due_at=now - timedelta(days=5),
        cutoff_at=now + timedelta(days=2),
    )
    not_yet_due = VideoAssignmentFactory(activity__season=season)
    SubmissionFactory(assignment=due, enrollment=e["b1"])  # on time: counts
    SubmissionFactory(assignment=due, enrollment=e["b2"], is_late=True)  # late
    SubmissionFactory(assignment=due, enrollment=e["b3"], is_current=False)  # an old version only
    SubmissionFactory(assignment=due, enrollment=e["completed"])  # not an active participant
    SubmissionFactory(assignment=not_yet_due, enrollment=e["b1"])  # its due date has not come
    MissedVideo.objects.create(assignment=due, enrollment=e["b3"], cutoff_at=now - timedelta(days=1))
    other_due = VideoAssignmentFactory(
        activity__season=other, opens_at=now - timedelta(days=9), due_at=now - timedelta(days=3)
    )
    MissedVideo.objects.create(assignment=other_due, enrollment=other_active, cutoff_at=now - timedelta(days=1))

    Certificate.objects.create(number="К-1", code="c1", enrollment=e["completed"], kind=Certificate.Kind.SEASON)
    Certificate.objects.create(
        number="К-2",
        code="c2",
        enrollment=e["b1"],
        kind=Certificate.Kind.SEASON,
        revoked_at=now,
        revoke_reason="Ошибка",
    )

    year, quarter = season_quarter(season, now)
    last_year, last_quarter = _previous_quarter(year, quarter)
    FeedbackResponse.objects.create(enrollment=e["b1"], year=year, quarter=quarter)
    FeedbackResponse.objects.create(enrollment=e["b2"], year=year, quarter=quarter)
    FeedbackResponse.objects.create(enrollment=e["b3"], year=last_year, quarter=last_quarter)
    FeedbackResponse.objects.create(enrollment=e["completed"], year=year, quarter=quarter)  # not active any more
    return {"now": now, "season": season, "other": other}


def test_every_kpi_of_the_hand_made_season(world):
    values = kpi_values(seasons=[world["season"], world["other"]], now=world["now"])
    got = values[world["season"].pk]

    def value(code):
        return got[code]["value"], got[code]["numerator"], got[code]["denominator"]

    assert set(got) == {definition.code for definition in PROGRAM_KPIS}
    # By current status; «rejected» is no participant of any kind.
    assert value("participants_applied") == (1, 1, None)
    assert value("participants_active") == (3, 3, None)
    assert value("participants_completed") == (1, 1, None)
    assert value("participants_withdrawn") == (2, 2, None)
    assert value("participants_excluded") == (1, 1, None)
    # Approved: 3 active + 1 completed + 1 excluded + 1 withdrawn after admission = 6; kept 3 + 1 = 4.
    assert value("retention") == (66.7, 4, 6)
    # Marks: present, late, absent, excused = 4; present + late = 2.
    assert value("attendance_rate") == (50.0, 2, 4)
    # One assignment is due × 3 active = 3 expected; on time: b1 only.
    assert value("videos_on_time") == (33.3, 1, 3)
    assert value("missed_videos") == (1, 1, None)
    assert value("certificates_issued") == (1, 1, None)  # the revoked one does not count
    # Active participants answering this quarter: b1, b2 of 3.
    assert value("feedback_coverage") == (66.7, 2, 3)
    assert got["retention"]["unit"] == "%" and got["participants_active"]["unit"] == "чел."


def test_the_other_season_keeps_its_own_values_and_nothing_to_measure_is_no_value(world):
    other = kpi_values(seasons=[world["other"]], now=world["now"])[world["other"].pk]
    assert other["participants_active"]["value"] == 1
    assert other["attendance_rate"]["value"] == 0.0 and other["attendance_rate"]["denominator"] == 1
    assert other["missed_videos"]["value"] == 1
    assert other["videos_on_time"] == {"value": 0.0, "numerator": 0, "denominator": 1, "unit": "%"}
    assert other["feedback_coverage"]["value"] == 0.0
    assert other["certificates_issued"]["value"] == 0

    empty = SeasonFactory()
    nothing = kpi_values(seasons=[empty], now=world["now"])[empty.pk]
    assert nothing["retention"] == {"value": None, "numerator": 0, "denominator": 0, "unit": "%"}
    assert nothing["participants_active"]["value"] == 0


def test_definitions_have_unique_codes_and_russian_wording():
    codes = [definition.code for definition in KPI_DEFINITIONS]
    assert len(codes) == len(set(codes))
    for definition in KPI_DEFINITIONS:
        assert str(definition.name) and str(definition.formula) and str(definition.unit)
