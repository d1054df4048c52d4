"""The append-only score ledger: current scores are derived from it, never stored. The ORM
refuses to update or delete a score event (a correction, undo or retraction is a new one)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, check_in

SCORE_EVENT_KINDS = ("score", "correction", "undo", "retraction")


class ScoreEvent(CreatedAtMixin, Base):
    __tablename__ = "score_event"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", SCORE_EVENT_KINDS), name="kind_known"),
        sa.CheckConstraint(
            "(kind IN ('score', 'correction') AND value IS NOT NULL)"
            " OR (kind IN ('undo', 'retraction') AND value IS NULL AND reverts_seq IS NOT NULL)",
            name="value_matches_kind",
        ),
        sa.Index("ix_score_event_round_team", "round_id", "team_id"),
    )

    # The primary key is the ledger's sequence number: it only grows.
    seq: Mapped[int] = mapped_column(primary_key=True)
    client_event_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("judging_round.id", ondelete="CASCADE"))
    jury_id: Mapped[int] = mapped_column(
        sa.ForeignKey("jury_profile.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criterion.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(12), default="score")
    value: Mapped[float | None]
    reverts_seq: Mapped[int | None] = mapped_column(sa.ForeignKey("score_event.seq"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class LedgerRewriteError(RuntimeError):
    """Code tried to change or delete a score event: the ledger only grows."""


def _refuse_rewrite(what: str) -> None:
    raise LedgerRewriteError(f"score events are append-only: {what} refused (record a "
                             "correction, an undo or a retraction instead)")


@sa.event.listens_for(Session, "before_flush")
def _refuse_changed_score_events(session, _flush_context, _instances) -> None:
    if any(isinstance(row, ScoreEvent) for row in session.deleted):
        _refuse_rewrite("DELETE")
    if any(isinstance(row, ScoreEvent) and session.is_modified(row, include_collections=False)
           for row in session.dirty):
        _refuse_rewrite("UPDATE")


@sa.event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_score_event_writes(state) -> None:
    table = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and getattr(table, "name", None) == "score_event":
        _refuse_rewrite("UPDATE" if state.is_update else "DELETE")


class IncubationNomination(CreatedAtMixin, Base):
    """A jury's nomination of a team for incubation, scored apart from the competition."""

    __tablename__ = "incubation_nomination"
    __table_args__ = (sa.UniqueConstraint("jury_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jury_id: Mapped[int] = mapped_column(sa.ForeignKey("jury_profile.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    commitment: Mapped[int | None]
    problem_validated: Mapped[int | None]
    feasibility: Mapped[int | None]
    impact: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)


class Award(CreatedAtMixin, Base):
    """A published result: a team's place, per challenge or overall."""

    __tablename__ = "award"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "challenge_id", "place"),
        sa.CheckConstraint("place >= 1", name="place_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    # NULL challenge: the overall ranking.
    challenge_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("challenge.id", ondelete="CASCADE")
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    place: Mapped[int]
    score: Mapped[float | None]
