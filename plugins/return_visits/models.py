"""Return-visit models (spec 2.11): the rules (回访规则), the visits (回访记录) and the ratings (满意度评价).

Every table carries ``estate_id`` (indexed; nullable only on a company-wide rule) so the core's
estate scoping filters it directly. ``MODELS`` lists every mapped class of the plugin.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, utcnow


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """Stored as the values with a CHECK constraint (never a native PostgreSQL ENUM), as core does."""
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


def _staff(comment: str) -> Mapped[int | None]:
    return mapped_column(ForeignKey("core_staff_users.id", ondelete="RESTRICT"), comment=comment)


class VisitMethod(enum.StrEnum):
    phone = "phone"
    visit = "visit"

    __labels__ = {"phone": ("By phone", "电话回访"), "visit": ("In person", "上门回访")}


class VisitStatus(enum.StrEnum):
    scheduled = "scheduled"
    done = "done"
    unreachable = "unreachable"
    cancelled = "cancelled"

    __labels__ = {"scheduled": ("Scheduled", "待回访"), "done": ("Done", "已回访"),
                  "unreachable": ("Unreachable", "联系不上"), "cancelled": ("Cancelled", "已取消")}


class Satisfaction(enum.StrEnum):
    """The fixed 5-point scale of the manuals; ``SCORES`` gives each its points (5 best)."""

    very_satisfied = "very_satisfied"
    satisfied = "satisfied"
    neutral = "neutral"
    unsatisfied = "unsatisfied"
    very_unsatisfied = "very_unsatisfied"

    __labels__ = {"very_satisfied": ("Very satisfied", "非常满意"), "satisfied": ("Satisfied", "满意"),
                  "neutral": ("Neutral", "一般"), "unsatisfied": ("Unsatisfied", "不满意"),
                  "very_unsatisfied": ("Very unsatisfied", "非常不满意")}


SCORES = {Satisfaction.very_satisfied: 5, Satisfaction.satisfied: 4, Satisfaction.neutral: 3,
          Satisfaction.unsatisfied: 2, Satisfaction.very_unsatisfied: 1}
UNSATISFIED = frozenset({Satisfaction.unsatisfied, Satisfaction.very_unsatisfied})


class VisitOutcome(enum.StrEnum):
    none = "none"
    reopened = "reopened"
    escalated = "escalated"
    complaint_raised = "complaint_raised"

    __labels__ = {"none": ("No follow-up", "无需跟进"), "reopened": ("Record reopened", "已返工/重开"),
                  "escalated": ("Supervisor told", "已上报主管"),
                  "complaint_raised": ("Raised as a complaint", "已转投诉")}


class RatingChannel(enum.StrEnum):
    visit = "visit"
    link = "link"

    __labels__ = {"visit": ("Return visit", "回访"), "link": ("Owner's link", "业主评价链接")}


class VisitRule(Base):
    """回访规则: which share of a source's closed records get a visit, and within how many working days."""

    __tablename__ = "return_visits_rules"
    __table_args__ = (UniqueConstraint("estate_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                                  comment="the estate; empty for the company-wide rule")
    source: Mapped[str] = mapped_column(String(64), comment="e.g. repairs.order, complaints.complaint")
    share_percent: Mapped[int] = mapped_column(default=100, comment="0-100: the share of closed records visited")
    within_working_days: Mapped[int] = mapped_column(default=1, comment="the visit is due this many working days "
                                                                        "after the record closed")
    method: Mapped[VisitMethod] = mapped_column(_enum(VisitMethod, "return_visits_method"),
                                                default=VisitMethod.phone, comment="how the visit is made")
    active: Mapped[bool] = mapped_column(default=True, comment="inactive rules generate nothing")

    def __str__(self) -> str:
        return f"{self.source} {self.share_percent}%"


class ReturnVisit(Base):
    """回访记录: one visit to the owner of a closed record, with the satisfaction found."""

    __tablename__ = "return_visits_visits"
    __table_args__ = (UniqueConstraint("source", "record_id"), UniqueConstraint("estate_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate of the visited record")
    number: Mapped[str] = mapped_column(String(32), comment="HF-YYYY-NNNNNN")
    source: Mapped[str] = mapped_column(String(64), comment="the source the record came from")
    record_table: Mapped[str] = mapped_column(String(64), comment="table of the visited record")
    record_id: Mapped[int] = mapped_column(comment="id of the visited record in its table")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"),
                                                comment="the unit served")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"),
                                                 comment="the owner or tenant visited")
    phone: Mapped[str] = mapped_column(String(40), default="", comment="number to call")
    summary: Mapped[str] = mapped_column(String(400), default="", comment="what was done (from the source)")
    handled_by_id: Mapped[int | None] = _staff("who handled the visited record (appraised)")
    closed_at: Mapped[dt.datetime] = mapped_column(comment="when the visited record closed (UTC)")
    due_at: Mapped[dt.datetime] = mapped_column(comment="visit due by (working days on the business calendar)")
    status: Mapped[VisitStatus] = mapped_column(_enum(VisitStatus, "return_visits_status"),
                                                default=VisitStatus.scheduled, index=True, comment="visit status")
    method: Mapped[VisitMethod] = mapped_column(_enum(VisitMethod, "return_visits_method"),
                                                default=VisitMethod.phone, comment="how the visit was made")
    attempts: Mapped[int] = mapped_column(default=0, comment="calls that reached nobody")
    visitor_id: Mapped[int | None] = _staff("the staff member who made the visit")
    visited_at: Mapped[dt.datetime | None] = mapped_column(comment="when the visit was made")
    satisfaction: Mapped[Satisfaction | None] = mapped_column(_enum(Satisfaction, "return_visits_satisfaction"),
                                                              comment="the owner's satisfaction")
    comments: Mapped[str] = mapped_column(String(1000), default="", comment="the owner's words")
    outcome: Mapped[VisitOutcome] = mapped_column(_enum(VisitOutcome, "return_visits_outcome"),
                                                  default=VisitOutcome.none, comment="follow-up of an unsatisfied visit")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when the visit was generated")

    def __str__(self) -> str:
        return self.number


class SatisfactionRating(Base):
    """满意度评价: one rating of a closed record, from a return visit or from the owner's link."""

    __tablename__ = "return_visits_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="the estate of the rated record")
    source: Mapped[str] = mapped_column(String(64), comment="the source of the rated record")
    record_id: Mapped[int] = mapped_column(comment="id of the rated record")
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("return_visits_visits.id", ondelete="RESTRICT"),
                                                 comment="the visit that recorded it")
    handled_by_id: Mapped[int | None] = _staff("who handled the rated record")
    satisfaction: Mapped[Satisfaction] = mapped_column(_enum(Satisfaction, "return_visits_satisfaction"),
                                                       comment="the rating on the 5-point scale")
    score: Mapped[int] = mapped_column(comment="points 1-5 (5: very satisfied)")
    comment: Mapped[str] = mapped_column(String(1000), default="", comment="the owner's comment")
    channel: Mapped[RatingChannel] = mapped_column(_enum(RatingChannel, "return_visits_channel"),
                                                   comment="visit or owner's link")
    token_id: Mapped[str | None] = mapped_column(String(64), unique=True,
                                                 comment="the link's nonce: a link rates once")
    rated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was rated")

    def __str__(self) -> str:
        return f"{self.source} #{self.record_id}: {self.score}"


MODELS = (VisitRule, ReturnVisit, SatisfactionRating)
