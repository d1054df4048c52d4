"""The domain model (DESIGN §3), one module per aggregate."""

from crunchtime.models.announcement import Announcement
from crunchtime.models.attestation import Attestation
from crunchtime.models.audit import AuditEvent
from crunchtime.models.base import Base
from crunchtime.models.edition import Edition, Programme, Skill
from crunchtime.models.identity import UniversityIdentity
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
from crunchtime.models.mentoring import HelpRequest, MentorProfile, OfficeHour
from crunchtime.models.milestone import Milestone, MilestoneFeedback, MilestoneProgress
from crunchtime.models.organisation import Challenge, ChallengeAttachment, Organisation
from crunchtime.models.outbox import OutboxMessage
from crunchtime.models.preference import Preference
from crunchtime.models.presence import Absence, CheckIn, CheckInPoint, PresenceSession
from crunchtime.models.privacy import DeletionRequest
from crunchtime.models.scheduling import JuryUnavailability, PitchSlot, Room, RoundSchedule
from crunchtime.models.second_factor import RecoveryCode, RememberedDevice, SecondFactor
from crunchtime.models.student import StudentProfile
from crunchtime.models.submission import Submission, SubmissionFile, SubmissionVersion
from crunchtime.models.team import Membership, Team
from crunchtime.models.user import User

__all__ = [
    "Absence",
    "Announcement",
    "Attestation",
    "AuditEvent",
    "Award",
    "Base",
    "Challenge",
    "ChallengeAttachment",
    "CheckIn",
    "CheckInPoint",
    "ConflictOfInterest",
    "Criterion",
    "DeletionRequest",
    "Edition",
    "HelpRequest",
    "IncubationFlag",
    "IncubationNomination",
    "Interest",
    "JudgingRound",
    "JuryAssignment",
    "JuryProfile",
    "JuryUnavailability",
    "MatchingRun",
    "Membership",
    "MentorProfile",
    "Milestone",
    "MilestoneFeedback",
    "MilestoneProgress",
    "OfficeHour",
    "Organisation",
    "OutboxMessage",
    "PitchSlot",
    "Placement",
    "Preference",
    "PresenceSession",
    "Programme",
    "RecoveryCode",
    "RememberedDevice",
    "Room",
    "RoundEntry",
    "RoundSchedule",
    "ScoreEvent",
    "SecondFactor",
    "Skill",
    "StudentProfile",
    "Submission",
    "SubmissionFile",
    "SubmissionVersion",
    "Team",
    "UniversityIdentity",
    "User",
]
