"""The knowledge base of standard answers (服务口径, 答客问; 001 L227, 002 Help Art.9.2 "never
pretend to know"): create and edit answers, find them by keyword, and the company-wide answers
seeded from the manuals."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import (
    PermissionDenied,
    Text,
    ValidationError,
    attributed,
    authorize,
    load,
    scoped_select,
    visible_estate_ids,
)
from core.models import Estate, StaffUser
from plugins.help_requests.models import StandardAnswer
from plugins.help_requests.schemas import StandardAnswerSchema

EDIT = "help_requests.answers"


def _check_company_wide(session: Session, actor, estate_id) -> None:
    """Company-wide answers are the company's: only staff who see every estate edit them."""
    if estate_id is None and actor is not None and visible_estate_ids(session, actor) is not None:
        raise PermissionDenied(Text("only company staff edit company-wide answers; choose your estate",
                                    "全公司通用口径仅由公司人员维护；请选择本小区"))


@attributed
def create_answer(session: Session, actor: StaffUser | None, data: dict) -> StandardAnswer:
    """Add a standard answer (``data`` as ``StandardAnswerSchema`` loads it)."""
    data = load(StandardAnswerSchema, data)
    estate_id = data.get("estate_id")
    if estate_id is not None and session.get(Estate, estate_id) is None:
        raise ValidationError(Text("no estate with id {id}", "没有编号为 {id} 的小区").format(id=estate_id),
                              field="estate_id")
    _check_company_wide(session, actor, estate_id)
    authorize(session, actor, EDIT, estate_id)
    answer = StandardAnswer(**{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()},
                            updated_by_id=actor.id if actor is not None else None)
    session.add(answer)
    session.flush()
    return answer


@attributed
def update_answer(session: Session, actor: StaffUser | None, answer: StandardAnswer, data: dict) -> StandardAnswer:
    """Change a standard answer (``data``: only the fields sent)."""
    data = load(StandardAnswerSchema, data, partial=True)
    _check_company_wide(session, actor, answer.estate_id)
    if "estate_id" in data and data["estate_id"] != answer.estate_id:
        _check_company_wide(session, actor, data["estate_id"])
        authorize(session, actor, EDIT, data["estate_id"])
    authorize(session, actor, EDIT, answer.estate_id if answer.estate_id is not None else answer)
    for key, value in data.items():
        setattr(answer, key, value.strip() if isinstance(value, str) else value)
    answer.updated_by_id = actor.id if actor is not None else None
    session.flush()
    return answer


def find_answers(session: Session, actor, query: str, *, limit: int = 8) -> list[StandardAnswer]:
    """Active answers the actor may read whose keywords, question or answer contain every word of
    ``query`` (words separated by spaces); the estate's own answers before company-wide ones."""
    words = [w.replace("%", "").replace("_", "") for w in query.split()]
    words = [w for w in words if w]
    if not words:
        return []
    stmt = scoped_select(session, actor, StandardAnswer).where(StandardAnswer.active.is_(True))
    for word in words:
        like = f"%{word.lower()}%"
        stmt = stmt.where(or_(StandardAnswer.keywords.ilike(like), StandardAnswer.question.ilike(like),
                              StandardAnswer.answer.ilike(like)))
    stmt = stmt.order_by(StandardAnswer.estate_id.is_(None), StandardAnswer.topic, StandardAnswer.id).limit(limit)
    return list(session.scalars(stmt))


# Company-wide answers from the manuals (seed data, never overwriting what staff changed).
SEED: tuple[tuple[str, str, str, str, str], ...] = (
    ("fees", "物业费怎么交？什么时候交？",
     "物业服务费按月计收，可在管理处前台以现金、刷卡、微信或支付宝缴纳，也可通过业主端在线缴纳；"
     "请于每月 15 日前缴清当月费用，逾期将按合同收取滞纳金。",
     "Service fees are charged monthly; pay at the front desk or online by the 15th.", "物业费 管理费 缴费 交费 收费"),
    ("renovation", "装修施工时间是怎么规定的？",
     "装修施工时间为工作日 8:00-12:00、14:00-18:00；周末及法定节假日不得进行敲打、电钻等产生噪音的施工。"
     "装修前须到管理处办理装修申请并缴纳装修押金。",
     "Works on weekdays 8:00-12:00 and 14:00-18:00; no noisy works on weekends and holidays.",
     "装修 施工时间 噪音 装修申请"),
    ("keys", "忘带钥匙了，管理处能帮忙开门吗？",
     "如您办理了钥匙托管，请携带身份证明到前台，经核实身份后由工作人员陪同开门并登记；"
     "未托管钥匙的，我们可以为您联系有资质的开锁公司，费用由业主自理。",
     "With a key in custody we open after checking your identity; otherwise we call a licensed locksmith.",
     "钥匙 开门 锁门 托管 开锁"),
    ("parking", "小区停车怎么收费？怎么办理月卡？",
     "临时停车按小区公示标准收费；办理月卡请携带行驶证、身份证到管理处前台登记，车位有限，按登记先后安排。",
     "Visitors pay the posted rate; monthly passes at the front desk with the vehicle licence.",
     "停车 车位 月卡 停车费"),
    ("repairs", "家里东西坏了怎么报修？",
     "请拨打管理处报修电话或到前台登记，说明房号、联系电话和故障情况，我们会在 3 分钟内派工，"
     "维修人员接单后 10 分钟内到场；价目表以外的项目先报价，经您同意后施工。",
     "Call or visit the desk; a work order within 3 minutes, the technician on site within 10.",
     "报修 维修 坏了 漏水"),
    ("move_in", "办理入伙需要带什么资料？",
     "请携带购房合同、身份证原件及复印件、入伙通知书，到管理处办理入伙手续、验房并领取钥匙。",
     "Bring the purchase contract, ID card and move-in notice.", "入伙 收楼 交房 资料"),
)


def seed_answers(session: Session) -> int:
    """Add the company-wide answers not there yet (matched by question); returns how many were added."""
    existing = set(session.scalars(select(StandardAnswer.question).where(StandardAnswer.estate_id.is_(None))))
    added = 0
    for topic, question, answer, answer_en, keywords in SEED:
        if question not in existing:
            session.add(StandardAnswer(estate_id=None, topic=topic, question=question, answer=answer,
                                       answer_en=answer_en, keywords=keywords))
            added += 1
    session.flush()
    return added
