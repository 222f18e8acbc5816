"""Help requests (求助/紧急呼叫/咨询) and the standard answers (服务口径) the desk reads from.

Table names start with ``help_requests_``; ``estate_id`` is what core's estate scoping filters on.
``HelpRequest.status`` belongs to the workflow ``help_requests.request`` (``workflows.py``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event, inspect, or_
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from core import Base, PermissionDenied, utcnow, visible_estate_ids
from core import Text as Bilingual
from core.models import Estate, Unit

_STAFF = "core_staff_users.id"

# category -> kind: help (求助), emergency (紧急呼叫), inquiry (咨询)
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "locked_out": ("help", "Locked out", "被锁门外"),
    "elderly": ("help", "Elderly resident needs help", "老人求助"),
    "lost_child": ("help", "Lost child", "儿童走失"),
    "other_help": ("help", "Other help", "其他求助"),
    "fire": ("emergency", "Fire", "火警"),
    "flooding": ("emergency", "Flooding", "水浸"),
    "lift_entrapment": ("emergency", "Lift entrapment", "电梯困人"),
    "gas": ("emergency", "Gas leak", "燃气泄漏"),
    "medical": ("emergency", "Medical emergency", "急救"),
    "other_emergency": ("emergency", "Other emergency", "其他紧急情况"),
    "written_inquiry": ("inquiry", "Written inquiry", "书面咨询"),
    "oral_inquiry": ("inquiry", "Oral inquiry", "口头咨询"),
}
KINDS: dict[str, tuple[str, str]] = {"help": ("Help", "求助"), "emergency": ("Emergency", "紧急呼叫"),
                                     "inquiry": ("Inquiry", "咨询")}
TOPICS: dict[str, tuple[str, str]] = {
    "fees": ("Fees", "收费"), "renovation": ("Renovation", "装修"), "keys": ("Keys", "钥匙"),
    "parking": ("Parking", "停车"), "repairs": ("Repairs", "报修"), "move_in": ("Move-in", "入伙"),
    "services": ("Services", "便民服务"), "other": ("Other", "其他"),
}
CHANNELS: dict[str, tuple[str, str]] = {
    "phone": ("Phone", "来电"), "walk_in": ("Walk-in", "来访"), "portal": ("Owner portal", "业主端"),
    "wechat": ("WeChat", "微信"), "letter": ("Letter", "来函"), "patrol": ("Found on patrol", "巡查发现"),
}
OPEN_STATES = ("received", "responding")


class StandardAnswer(Base):
    """服务口径: the company's standard answer to a question residents often ask (答客问).

    ``estate_id`` null: company-wide, read by every estate; else the estate's own answer. The
    desk finds answers through the top-bar search (keywords, question, answer)."""

    __tablename__ = "help_requests_answers"

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                                  comment="null: company-wide answer")
    topic: Mapped[str] = mapped_column(String(32), default="other", index=True, comment="主题: fees, keys, ...")
    question: Mapped[str] = mapped_column(String(200), comment="the question as residents ask it")
    answer: Mapped[str] = mapped_column(Text, comment="标准答复 in Chinese")
    answer_en: Mapped[str] = mapped_column(Text, default="", comment="the answer in English, if any")
    keywords: Mapped[str] = mapped_column(String(400), default="", comment="search words, separated by spaces")
    active: Mapped[bool] = mapped_column(default=True, comment="inactive answers are not found")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow, comment="last change (UTC)")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="RESTRICT"),
                                                      comment="who last changed it")

    estate: Mapped[Estate | None] = relationship()

    @classmethod
    def __estate_clause__(cls, estate_ids):
        """Company-wide answers (no estate) are read by every estate's staff, besides their own."""
        return or_(cls.estate_id.is_(None), cls.estate_id.in_(list(estate_ids)))

    def __str__(self) -> str:
        return self.question


@event.listens_for(StandardAnswer, "before_update")
def _company_answers_stay_the_companys(mapper, connection, target: StandardAnswer) -> None:
    """A company-wide answer (no estate) is changed only by staff who see every estate, whatever screen
    saves it (the admin form sets attributes without a service); ``session.info["actor"]`` is who acts."""
    session = object_session(target)
    actor = session.info.get("actor") if session is not None else None
    if actor is None:
        return
    before = inspect(target).attrs.estate_id.history.deleted
    was_company = (before[0] if before else target.estate_id) is None
    if (was_company or target.estate_id is None) and visible_estate_ids(session, actor) is not None:
        raise PermissionDenied(Bilingual("only company staff change company-wide answers; add your estate's own",
                                         "全公司通用口径仅由公司人员修改；请为本小区另建口径"))


class HelpRequest(Base):
    """求助: one help request, emergency call or inquiry, owned by the first receiver (首问负责制)
    from its registration to the return visit. Number HR-<year>-<n> per estate."""

    __tablename__ = "help_requests_requests"
    __table_args__ = (UniqueConstraint("estate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, comment="record id")
    estate_id: Mapped[int] = mapped_column(ForeignKey("core_estates.id", ondelete="RESTRICT"), index=True,
                                           comment="estate the request concerns")
    number: Mapped[str] = mapped_column(String(32), comment="HR-<year>-<n>, per estate and year")
    status: Mapped[str] = mapped_column(String(32), default="received", index=True,
                                        comment="workflow help_requests.request; changed only by transitions")
    kind: Mapped[str] = mapped_column(String(16), index=True, comment="help, emergency or inquiry (from category)")
    category: Mapped[str] = mapped_column(String(32), comment="locked_out, fire, medical, written_inquiry, ...")
    channel: Mapped[str] = mapped_column(String(16), default="phone", comment="how it reached us")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_units.id", ondelete="RESTRICT"), index=True,
                                                comment="the caller's unit, if any")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("core_parties.id", ondelete="RESTRICT"), index=True,
                                                 comment="the caller when known")
    caller_name: Mapped[str] = mapped_column(String(200), default="", comment="求助人 as given")
    caller_phone: Mapped[str] = mapped_column(String(40), default="", comment="always asked first; masked in lists")
    location: Mapped[str] = mapped_column(String(200), default="", comment="where help is needed (always asked)")
    description: Mapped[str] = mapped_column(Text, default="", comment="what happened and what the caller wants")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="when it was received (UTC)")
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="RESTRICT"),
                                                       comment="first receiver (首问负责): owns it to the end")
    intake_id: Mapped[int | None] = mapped_column(comment="the reception record (来电来访登记) it came from")
    reply_due_at: Mapped[dt.datetime | None] = mapped_column(comment="reply limit: reply_minutes, or 2 days "
                                                                     "for a written inquiry (UTC)")
    alerted_at: Mapped[dt.datetime | None] = mapped_column(comment="when the emergency alert was queued (UTC)")
    reply: Mapped[str] = mapped_column(Text, default="", comment="答复: the reply (in writing for 书面咨询)")
    replied_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was replied to (UTC)")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey(_STAFF, ondelete="RESTRICT"),
                                                      comment="who replied")
    result: Mapped[str] = mapped_column(Text, default="", comment="处理结果")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was resolved (UTC)")
    return_visit: Mapped[str] = mapped_column(Text, default="", comment="回访 by the first receiver")
    closed_at: Mapped[dt.datetime | None] = mapped_column(comment="when it was closed (UTC)")

    estate: Mapped[Estate] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def __str__(self) -> str:
        return f"{self.number} {CATEGORIES.get(self.category, ('', self.category, self.category))[2]}"


MODELS = (StandardAnswer, HelpRequest)
