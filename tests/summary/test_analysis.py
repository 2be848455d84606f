"""The 汇总分析: written from the figures, edited by the clerk and kept with the database."""

from __future__ import annotations

from pathlib import Path

from perfdesk.services import Workspace
from perfdesk.summary.analysis import MAX_NAMES
from tests.summary.conftest import unit


def test_the_generated_analysis_says_what_the_table_says(ws: Workspace) -> None:
    ws.add_report(unit("甲单位", full="100.00", executed="90.00", score="10"))
    ws.add_report(unit("乙单位", full="300.00", executed="150.00", score="-30", head="李四"))
    bad = unit("丙单位", full="100.00", executed=None, score=None)
    bad.report_date = None
    ws.add_report(bad)
    ws.set_expected_units(["甲单位", "乙单位", "丙单位", "丁单位"])
    text = ws.summary(2024).analysis
    assert "汇总2024年度所属单位部门整体支出绩效自评报告3份，应报单位4个，未报1个（丁单位）" in text
    assert "全年预算数合计500.00万元" in text
    assert "全年执行数合计240.00万元（按填报了该项的2个单位）" in text
    assert "总体执行率60.00%（按同时填报全年预算数和全年执行数的2个单位计算）" in text
    assert "执行率低于90.00%的单位有1个：乙单位（50.00%）" in text
    assert "已完成评分的2个单位平均得分" in text and "差1个" in text
    assert "1个单位尚未完成评分，未计入平均分（丙单位）" in text
    assert "1个单位的自评报告有未处理的审核错误：丙单位（1项）" in text
    assert "自评得分低于80分的单位有1个：乙单位（55.00分，差）" in text
    assert (
        "扣分较多的方面依次为：数量指标（1个单位，共扣40.00分）、预算执行率（2个单位，共扣6.00分）"
        in text
    )


def test_long_lists_name_some_units_and_count_the_rest(ws: Workspace) -> None:
    for i in range(MAX_NAMES + 3):
        r = unit(f"单位{i:02d}")
        r.report_date = None  # an open 错误 in each
        ws.add_report(r)
    text = ws.summary(2024).analysis
    assert f"单位{MAX_NAMES - 1:02d}（1项）等{MAX_NAMES + 3}个单位" in text
    assert f"单位{MAX_NAMES:02d}" not in text


def test_the_edited_analysis_is_kept_per_year_and_can_be_generated_again(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    ws.add_report(unit("甲单位"))
    previous = ws.update_summary_settings(2024, analysis="经汇总，各单位自评工作规范。")
    assert previous == {"analysis": None}
    ws.close()
    ws = Workspace.open(db_path)
    try:
        s = ws.summary(2024)
        assert s.analysis == "经汇总，各单位自评工作规范。" and s.analysis_edited is not None
        assert ws.summary(2023).analysis_edited is None
        ws.update_summary_settings(2024, analysis=None)
        assert ws.summary(2024).analysis.startswith("一、基本情况")
    finally:
        ws.close()
