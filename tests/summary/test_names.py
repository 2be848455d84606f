"""When two unit names are one unit: the similarity rule, case by case, and at scale."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfdesk.summary.names import (
    NameIndex,
    UnitIdentity,
    names_match,
    normalise,
    region_cores,
    same_unit,
    similar_pairs,
)


def test_names_written_alike_are_one_unit() -> None:
    assert normalise("株洲市芦淞区民政局（本级）") == normalise("株洲市芦淞区 民政局")
    assert normalise("株洲市芦淞区民政局(盖章)") == "株洲市芦淞区民政局"
    assert normalise("株洲市芦淞区民政局") == normalise("株洲市芦淞区民政局")  # full-width letters
    assert "本级" in same_unit(UnitIdentity("芦淞区民政局本级"), UnitIdentity("芦淞区民政局"))


def test_a_name_without_its_region_prefix_is_the_same_unit() -> None:
    assert names_match("株洲市芦淞区民政局", "芦淞区民政局")
    assert names_match("株洲市芦淞区民政局", "民政局")
    assert names_match("株洲市市场监督管理局", "市场监督管理局")
    assert "省去地名前缀" in same_unit(
        UnitIdentity("芦淞区民政局"), UnitIdentity("株洲市芦淞区民政局")
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("株洲市芦淞区民政局", "株洲市荷塘区民政局"),  # two districts
        ("株洲市第一中学", "株洲市第二中学"),  # ordinals
        ("株洲市芦淞区民政局", "株洲市芦淞区民政所"),  # a bureau and an office
        ("株洲市东区人民医院", "株洲市西区人民医院"),  # directions
        ("株洲市芦淞区第一小学", "株洲市芦淞区第一中学"),  # 小学 / 中学
        ("株洲市芦淞区民政局", "株洲市民政局"),  # the district's and the city's bureau
    ],
)
def test_units_that_only_look_alike_are_not_taken_for_one(a: str, b: str) -> None:
    same_head = dict(head="张三", phone="0731-1", full_year_budget=D(1), executed=D(1))
    assert not names_match(a, b)
    # even with every detail shared, only rule 4 (identical head and funds) can join them
    assert same_unit(UnitIdentity(a), UnitIdentity(b)) == ""
    assert "完全相同" in same_unit(UnitIdentity(a, **same_head), UnitIdentity(b, **same_head))


def test_a_one_character_typo_needs_a_shared_detail() -> None:
    a, b = "株洲市芦淞区民政局", "株洲市芦凇区民政局"
    assert same_unit(UnitIdentity(a, head="张三"), UnitIdentity(b, head="李四")) == ""
    assert "单位负责人相同" in same_unit(UnitIdentity(a, head="张三"), UnitIdentity(b, head="张三"))
    assert "联系电话相同" in same_unit(UnitIdentity(a, phone="1"), UnitIdentity(b, phone="1"))
    funds = dict(full_year_budget=D("10.00"), executed=D("9.00"))
    assert "年度资金总额相同" in same_unit(UnitIdentity(a, **funds), UnitIdentity(b, **funds))
    # a character left out counts as one apart too
    assert same_unit(
        UnitIdentity("株洲市芦淞区民政局", phone="1"), UnitIdentity("株洲市芦区民政局", phone="1")
    )


def test_region_cores_never_cut_inside_a_unit_name() -> None:
    assert region_cores("市场监督管理局") == set()
    assert region_cores("株洲市市场监督管理局") == {"市场监督管理局"}
    assert region_cores("济南市市中区民政局") == {"市中区民政局", "民政局"}


def test_the_expected_list_is_matched_by_written_alike_and_prefix_only() -> None:
    index = NameIndex(["株洲市芦淞区民政局", "株洲市芦淞区财政局"])
    assert index.find("芦淞区财政局") == 1
    assert index.find("株洲市芦淞区民政局（本级）") == 0
    assert index.find("株洲市芦凇区民政局") is None  # a typo is not an expected unit


def test_among_1600_units_only_the_real_pair_is_found() -> None:
    names = [f"株洲市第{i}区第{j}号服务中心" for i in range(40) for j in range(40)]  # 1,600 units
    units = [UnitIdentity(n) for n in names] + [UnitIdentity("第3区第7号服务中心")]
    pairs = similar_pairs(units)
    assert [(units[i].name, units[j].name) for i, j, _ in pairs] == [
        ("株洲市第3区第7号服务中心", "第3区第7号服务中心")
    ]
