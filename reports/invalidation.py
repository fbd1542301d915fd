"""What makes the cached KPI computations stale (reports.kpi_cache): any committed write of a row a KPI reads.

Row by row writes are seen through post_save / post_delete; the set-based ones (queryset.update, bulk_create)
through programs.signals.rows_changed and activities.signals.attendance_changed, which their writers send. Either
way the version is bumped once the transaction commits.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from activities.models import (
    Activity,
    Attendance,
    Certificate,
    MissedVideo,
    Session,
    Submission,
    VideoAssignment,
)
from activities.signals import attendance_changed
from experts.models import LessonVisit, MentoringPair
from participants.models import (
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    ManagementTeamMember,
    ManagementTeamProgramme,
    Person,
    ProfessionalDevelopment,
    StaffHeadcount,
    StaffRosterEntry,
)
from programs.models import MunicipalEvent, Municipality, Organisation, OrganisationYearFacts, Program, Season
from programs.signals import rows_changed
from projects.models import AssessmentResult, SchoolPair
from ratings.models import Achievement, Review, ReviewScore, Rubric, RubricCriterion

from .kpi_cache import kpi_data_changed_on_commit
from .models import KpiBaseline, KpiTarget

# Every model reports.kpi reads, directly or through a join (a session's start dates attendance to a quarter,
# an assignment's due date decides what was expected, a program names a season's row). A test checks that each
# model reports.kpi imports is here.
KPI_MODELS = frozenset(
    {
        Activity,
        Achievement,
        AssessmentResult,
        Attendance,
        Certificate,
        Enrollment,
        EnrollmentStatusChange,
        FeedbackAnswer,
        FeedbackQuestion,
        FeedbackResponse,
        KpiBaseline,
        KpiTarget,
        LessonVisit,
        ManagementTeamMember,
        ManagementTeamProgramme,
        MentoringPair,
        MissedVideo,
        MunicipalEvent,
        Municipality,
        Organisation,
        OrganisationYearFacts,
        Person,
        ProfessionalDevelopment,
        Program,
        Review,
        ReviewScore,
        Rubric,
        RubricCriterion,
        SchoolPair,
        Season,
        Session,
        StaffHeadcount,
        StaffRosterEntry,
        Submission,
        VideoAssignment,
    }
)


@receiver(post_save, dispatch_uid="reports_kpi_row_saved")
@receiver(post_delete, dispatch_uid="reports_kpi_row_deleted")
def kpi_row_changed(sender, *, using=None, **kwargs) -> None:
    if sender in KPI_MODELS:
        kpi_data_changed_on_commit(using)


@receiver(m2m_changed, dispatch_uid="reports_kpi_m2m_changed")
def kpi_link_changed(sender, *, instance, action, using=None, **kwargs) -> None:
    if action.startswith("post_") and type(instance) in KPI_MODELS:
        kpi_data_changed_on_commit(using)


@receiver(rows_changed, dispatch_uid="reports_kpi_rows_changed")
def kpi_rows_changed(sender, **kwargs) -> None:
    if sender in KPI_MODELS:
        kpi_data_changed_on_commit()


@receiver(attendance_changed, dispatch_uid="reports_kpi_attendance_changed")
def kpi_attendance_changed(sender, **kwargs) -> None:
    kpi_data_changed_on_commit()
