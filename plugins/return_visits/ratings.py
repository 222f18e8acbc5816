"""The owner's satisfaction link (满意度评价链接): a signed, single-use token naming a closed record,
valid for ``link_valid_days`` (30) days, that rates it on the 5-point scale.

The token is signed with the instance's secret key (itsdangerous); its issue time is inside the
signed payload and checked against the ``now`` passed in, so expiry never depends on the wall clock.
A used token's nonce is stored on the rating (unique), so a link rates once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, settings_of, wuye_of
from plugins.return_visits.models import SCORES, RatingChannel, SatisfactionRating
from plugins.return_visits.visiting import parse_satisfaction

SALT = "return_visits.rating"


class LinkInvalid(ValidationError):
    """The link is not one of ours, or expired: the page says so (4xx)."""


def _serializer(session: Session, secret: str | None) -> URLSafeSerializer:
    if secret is None:
        wuye = wuye_of(session)
        secret = getattr(getattr(wuye, "config", None), "secret_key", None)
    if not secret:
        raise ValidationError("no secret key to sign rating links: set WUYE_SECRET_KEY")
    return URLSafeSerializer(secret, salt=SALT)


def make_token(session: Session, *, source: str, record_id: int, estate_id: int, now: dt.datetime,
               handled_by_id: int | None = None, secret: str | None = None) -> str:
    """A rating link's token for a closed record (the owner portal or an SMS puts it in a URL)."""
    payload = {"s": source, "r": record_id, "e": estate_id, "h": handled_by_id,
               "t": now.astimezone(dt.UTC).isoformat(), "n": secrets.token_urlsafe(12)}
    return _serializer(session, secret).dumps(payload)


def read_token(session: Session, token: str, now: dt.datetime, *, secret: str | None = None) -> dict:
    """The payload of a valid, unexpired, unused token; else ``LinkInvalid`` or ``Conflict`` (used)."""
    try:
        payload = _serializer(session, secret).loads(token)
    except BadSignature:
        raise LinkInvalid(Text("this rating link is not valid; ask the management office for a new one",
                                "评价链接无效，请联系管理处重新获取")) from None
    days = settings_of(session, "return_visits").get("link_valid_days", 30)
    issued = dt.datetime.fromisoformat(payload["t"])
    if now - issued > dt.timedelta(days=days):
        raise LinkInvalid(Text(f"this rating link expired ({days} days after it was sent)",
                                f"评价链接已过期（有效期 {days} 天）"))
    if session.scalar(select(SatisfactionRating.id).where(SatisfactionRating.token_id == payload["n"])):
        raise Conflict(Text("this link was already used to rate; thank you", "该链接已评价过，感谢您的反馈"))
    return payload


def rate_by_token(session: Session, token: str, satisfaction, comment: str = "", *, now: dt.datetime,
                  secret: str | None = None) -> SatisfactionRating:
    """The owner rates through the link: a ``SatisfactionRating`` (channel ``link``); the token is used up."""
    payload = read_token(session, token, now, secret=secret)
    point = parse_satisfaction(satisfaction)
    if len(comment or "") > 1000:
        raise ValidationError({"comment": ["keep the comment under 1000 characters"]})
    rating = SatisfactionRating(estate_id=payload["e"], source=payload["s"], record_id=payload["r"],
                                handled_by_id=payload["h"], satisfaction=point, score=SCORES[point],
                                comment=comment or "", channel=RatingChannel.link, token_id=payload["n"],
                                rated_at=now)
    session.add(rating)
    session.flush()
    return rating
