"""The unit-label parser and the party matcher of the top-bar search (core.services.search)."""

from __future__ import annotations

import pytest

from core.services.search import UnitQuery, check_query, parse_unit, phone_digits

FULL = UnitQuery(building="3", entrance="1", room="1201")


@pytest.mark.parametrize("typed", [
    "3-1-1201", "3栋1-1201", "3栋1单元1201", "3号楼1单元1201室", "3幢1单元1201", "３－１－１２０１", "３栋１单元１２０１",
    " 3 1 1201 ", "3—1—1201", "3/1/1201", "3-1-1201号",
])
def test_full_labels_in_the_forms_people_type(typed):
    assert parse_unit(typed) == FULL


@pytest.mark.parametrize("typed", ["3栋1201", "3-1201", "3号楼1201", "３栋１２０１"])
def test_building_and_room_without_entrance(typed):
    assert parse_unit(typed) == UnitQuery(building="3", room="1201")


def test_room_alone_and_letters_in_codes():
    assert parse_unit("1201") == UnitQuery(room="1201")
    assert parse_unit("A座1201") == UnitQuery(building="A", room="1201")
    assert parse_unit("B-2-0302") == UnitQuery(building="B", entrance="2", room="0302")


@pytest.mark.parametrize("typed", ["", "   ", "张三", "翠湖花园", "1-2-3-4", "3-1-12%01", "abc"])
def test_what_is_not_a_unit_label(typed):
    assert parse_unit(typed) is None


def test_phone_digits_need_four_and_do_not_take_unit_labels():
    assert phone_digits("5678") == "5678"
    assert phone_digits("139 1234 5678") == "13912345678"
    assert phone_digits("１３９１２３４５６７８") == "13912345678"
    assert phone_digits("567") is None
    assert phone_digits("3-1-1201") is None  # a label, not a phone
    assert phone_digits("张三") is None


def test_empty_and_too_long_queries_are_refused_naming_the_field():
    from core.errors import ValidationError

    with pytest.raises(ValidationError) as empty:
        check_query("  ")
    assert empty.value.field == "q" and "3-1-1201" in empty.value.message
    with pytest.raises(ValidationError, match="too long"):
        check_query("1" * 101)
    with pytest.raises(ValidationError, match="control characters"):
        check_query("3-1\x00-1201")
    assert check_query(" ３－１－１２０１ ") == "3-1-1201"
