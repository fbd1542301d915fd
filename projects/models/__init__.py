"""The district methodical centre's cascade of projects (seed 001; docs/decisions/0009-project-cascade.md).

One module per part of the cascade; each is imported here so that Django finds its models.
"""

from .communities import *  # noqa: F403
from .competence_lab import (  # noqa: F401
    CompetenceTheme,
    LabSurvey,
    LabSurveyAnswer,
    LabSurveyLine,
    LearnerRequest,
    MentorOffer,
)
from .office import Project, ProjectDirection, ProjectEvent, ProjectStage, WorkingGroupMember  # noqa: F401
from .reserve import *  # noqa: F401,F403
from .school_pairs import AssessmentResult, PairPlanItem, SchoolPair  # noqa: F401
from .trajectory import MentoringFormsReport  # noqa: F401
