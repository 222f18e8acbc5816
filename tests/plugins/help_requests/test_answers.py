"""The knowledge base of standard answers (``plugins/help_requests/answers.py``): seeding, the
clerk's search (SearchHit), estate scoping and who edits company-wide answers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import PermissionDenied, ValidationError
from plugins.help_requests import services
from plugins.help_requests.answers import SEED
from plugins.help_requests.models import StandardAnswer
from plugins.help_requests.panels import search


def test_the_manuals_answers_are_seeded_once(seeded):
    count = seeded.scalar(select(func.count(StandardAnswer.id)).where(StandardAnswer.estate_id.is_(None)))
    assert count >= len(SEED)
    assert services.seed_answers(seeded) == 0  # seeding again adds nothing
    assert seeded.scalar(select(func.count(StandardAnswer.id)).where(StandardAnswer.estate_id.is_(None))) == count


def test_the_clerk_finds_the_standard_answer_by_keyword(session, clerk):
    hits = search(session, clerk, "装修")
    assert [h.title for h in hits] == ["装修施工时间是怎么规定的？"]
    hit = hits[0]
    assert hit.view == "help_requests_answers" and "8:00-12:00" in hit.subtitle and hit.kind.zh == "服务口径 · 装修"
    assert [h.title for h in search(session, clerk, "停车 月卡")] == ["小区停车怎么收费？怎么办理月卡？"]
    assert search(session, clerk, "火星") == []


def test_an_estates_own_answer_comes_first_and_only_its_staff_see_it(session, supervisor, clerk, other_clerk, estate):
    own = services.create_answer(session, supervisor, {"estate_id": estate.id, "topic": "parking",
                                                       "question": "本小区访客停车怎么收费？",
                                                       "answer": "前 30 分钟免费。", "keywords": "停车 访客"})
    assert own.updated_by_id == supervisor.id
    assert [a.id for a in services.find_answers(session, clerk, "停车")][0] == own.id
    assert own.id not in [a.id for a in services.find_answers(session, other_clerk, "停车")]
    assert services.find_answers(session, other_clerk, "停车")  # the company-wide answer still


def test_inactive_answers_are_not_found(session, supervisor, clerk, estate):
    own = services.create_answer(session, supervisor, {"estate_id": estate.id, "question": "游泳池几点开放？",
                                                       "answer": "6:00-21:00", "keywords": "游泳池"})
    services.update_answer(session, supervisor, own, {"active": False})
    assert services.find_answers(session, clerk, "游泳池") == []


def test_estate_staff_cannot_write_company_wide_or_other_estates_answers(session, supervisor, other_estate, estate):
    company = session.scalar(select(StandardAnswer).where(StandardAnswer.estate_id.is_(None)).limit(1))
    before = company.answer
    with pytest.raises(PermissionDenied):
        services.update_answer(session, supervisor, company, {"answer": "改掉"})
    assert company.answer == before
    with pytest.raises(PermissionDenied):
        services.create_answer(session, supervisor, {"question": "全公司问题", "answer": "答复"})
    with pytest.raises(PermissionDenied):
        services.create_answer(session, supervisor, {"estate_id": other_estate.id, "question": "q", "answer": "a"})


@pytest.mark.parametrize(("data", "field"), [
    ({"question": "  ", "answer": "a"}, "question"),
    ({"question": "q"}, "answer"),
    ({"question": "q", "answer": "a", "topic": "weather"}, "topic"),
])
def test_bad_answers_name_the_field_and_write_nothing(session, supervisor, estate, data, field):
    before = session.scalar(select(func.count(StandardAnswer.id)))
    with pytest.raises(ValidationError) as err:
        services.create_answer(session, supervisor, {"estate_id": estate.id, **data})
    assert field in err.value.errors
    assert session.scalar(select(func.count(StandardAnswer.id))) == before


def test_help_requests_are_found_by_number_only_in_the_staffs_estates(session, clerk, other_clerk, request_data):
    request = services.register_request(session, clerk, request_data())
    assert [(h.title, h.rank) for h in search(session, clerk, request.number)] == [(request.number, 0)]
    assert search(session, other_clerk, request.number) == []


def test_a_company_wide_answer_cannot_be_changed_by_estate_staff_on_any_screen(session, supervisor, staff):
    """The admin form sets attributes directly (no service): the model refuses the flush for them."""
    from core import acting_as

    company = session.scalar(select(StandardAnswer).where(StandardAnswer.estate_id.is_(None)).limit(1))
    with acting_as(session, supervisor), pytest.raises(PermissionDenied):
        with session.begin_nested():
            company.answer = "改掉"
            session.flush()
    session.refresh(company)
    assert company.answer != "改掉"
    boss = staff("general_manager")
    with acting_as(session, boss):
        company.keywords += " 新词"
        session.flush()
    assert company.keywords.endswith("新词")
