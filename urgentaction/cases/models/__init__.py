"""The cases app's models, by what they keep: outcomes, target responses, the reply
questionnaires and follow-up notices."""

from urgentaction.cases.models.notices import CaseNotice, CaseOptOut, FollowUpAnnouncement
from urgentaction.cases.models.outcomes import LetterFate, OutcomeEmail, OutcomeRecord
from urgentaction.cases.models.questionnaires import Answer, Questionnaire
from urgentaction.cases.models.responses import TargetResponse, Tenure

__all__ = [
    "Answer",
    "CaseNotice",
    "CaseOptOut",
    "FollowUpAnnouncement",
    "LetterFate",
    "OutcomeEmail",
    "OutcomeRecord",
    "Questionnaire",
    "TargetResponse",
    "Tenure",
]
