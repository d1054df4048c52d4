"""The domain model (DESIGN §3), one module per aggregate."""

from crunchtime.models.announcement import Announcement
from crunchtime.models.audit import AuditEvent
from crunchtime.models.base import Base
from crunchtime.models.edition import Edition, Programme, Skill
from crunchtime.models.incubation import IncubationFlag, Interest
from crunchtime.models.judging import (
    ConflictOfInterest,
    Criterion,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    RoundEntry,
)
from crunchtime.models.ledger import Award, IncubationNomination, ScoreEvent
from crunchtime.models.matching import MatchingRun, Placement
from crunchtime.models.milestone import Milestone, MilestoneFeedback, MilestoneProgress
from crunchtime.models.organisation import Challenge, ChallengeAttachment, Organisation
from crunchtime.models.outbox import OutboxMessage
from crunchtime.models.preference import Preference
from crunchtime.models.privacy import DeletionRequest
from crunchtime.models.student import StudentProfile
from crunchtime.models.submission import Submission, SubmissionFile, SubmissionVersion
from crunchtime.models.team import Membership, Team
from crunchtime.models.user import User

__all__ = [
    "Announcement",
    "AuditEvent",
    "Award",
    "Base",
    "Challenge",
    "ChallengeAttachment",
    "ConflictOfInterest",
    "Criterion",
    "DeletionRequest",
    "Edition",
    "IncubationFlag",
    "IncubationNomination",
    "Interest",
    "JudgingRound",
    "JuryAssignment",
    "JuryProfile",
    "MatchingRun",
    "Membership",
    "Milestone",
    "MilestoneFeedback",
    "MilestoneProgress",
    "Organisation",
    "OutboxMessage",
    "Placement",
    "Preference",
    "Programme",
    "RoundEntry",
    "ScoreEvent",
    "Skill",
    "StudentProfile",
    "Submission",
    "SubmissionFile",
    "SubmissionVersion",
    "Team",
    "User",
]
