"""A whole 项目支出绩效自评报告 for the tests: every field filled, every figure agreeing.

高龄补贴 of a 区民政局, with figures chosen by hand so a test can state what each paragraph must
say: 年初预算 650.00, 全年预算 720.00 (当年财政拨款 700.00 + 上年结转资金 20.00), 全年执行数
699.14 (680.00 + 19.14), 执行率 97.10 %, 结余结转 20.86; eight scored indicators and the 预算执行率
line add up to 98.39 — 优. One indicator (按月发放及时率 92 % against ≥ 95 %) and one 定性 (生活质量,
14 of 15) lose points and say why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from perfdesk.domain.model import (
    Indicator,
    ListItem,
    Method,
    QualitativeGrade,
    Report,
)
from perfdesk.domain.templates import new_project_report

UNIT = "某区民政局"
PROJECT = "高龄补贴"


def _indicator(level1: str, level2: str, name: str, **values: object) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, **values)  # type: ignore[arg-type]


def project_report(*, year: int = 2024) -> Report:
    """The filled 高龄补贴 project report (module docstring)."""
    r = new_project_report(UNIT, year, PROJECT)
    r.report_date = dt.date(year + 1, 4, 18)
    r.preparer, r.phone, r.head = "王五", "0731-22168697", "赵六"
    r.supervisor = UNIT
    p = r.projects[0]
    p.category = "区级专项资金"
    p.supervisor = UNIT
    p.implementer = "某区民政局社会事务股"
    p.prior_final = D("672.30")
    p.initial_budget = D("650.00")
    p.full_year_budget = D("720.00")
    p.executed = D("699.14")
    p.carryover = D("20.86")
    p.purpose = "向辖区内80周岁以上老年人按月发放高龄补贴"
    p.goal_expected = "按时足额向辖区内80周岁以上老年人发放高龄补贴，保障高龄老人基本生活，提升老年人获得感和幸福感。"
    p.goal_actual = (
        "全年为9398名高龄老人发放补贴699.14万元，补贴按月发放到位，高龄老人生活质量得到改善。"
    )
    p.execution_weight = D(10)
    sources = {s.key: s for s in p.sources}
    current, carried = sources["current_appropriation"], sources["prior_carryover"]
    current.initial_budget, current.full_year_budget, current.executed = (
        D("650.00"),
        D("700.00"),
        D("680.00"),
    )
    carried.full_year_budget, carried.executed = D("20.00"), D("19.14")
    out, benefit, satisfied = "产出指标", "效益指标", "满意度指标"
    p.indicators = [
        _indicator(
            out,
            "数量指标",
            "高龄补贴发放人数",
            target_text="≥9000人",
            actual_text="9398人",
            method=Method.AT_LEAST,
            target_value=D(9000),
            actual_value=D(9398),
            unit="人",
            weight=D(15),
        ),
        _indicator(
            out,
            "质量指标",
            "补贴发放准确率",
            target_text="100%",
            actual_text="100%",
            method=Method.AT_LEAST,
            target_value=D(100),
            actual_value=D(100),
            unit="%",
            weight=D(10),
        ),
        _indicator(
            out,
            "时效指标",
            "补贴按月发放及时率",
            target_text="≥95%",
            actual_text="92%",
            method=Method.AT_LEAST,
            target_value=D(95),
            actual_value=D(92),
            unit="%",
            weight=D(10),
            deviation_reason="个别乡镇12月补贴因系统升级延至次月发放；已与银行约定提前报送发放名册",
        ),
        _indicator(
            out,
            "成本指标",
            "人均月补贴成本",
            target_text="≤100元",
            actual_text="62元",
            method=Method.AT_MOST,
            target_value=D(100),
            actual_value=D(62),
            unit="元",
            weight=D(15),
        ),
        _indicator(benefit, "经济效益指标", ""),
        _indicator(
            benefit,
            "社会效益指标",
            "高龄老人生活质量",
            target_text="有所改善",
            actual_text="基本改善",
            method=Method.QUALITATIVE,
            grade=QualitativeGrade.ACHIEVED,
            weight=D(15),
            score=D(14),
            deviation_reason="部分失能老人的照护需求尚未完全覆盖，下一步与居家养老服务衔接",
        ),
        _indicator(benefit, "生态效益指标", ""),
        _indicator(
            benefit,
            "可持续影响指标",
            "高龄补贴制度长效运行",
            target_text="长期",
            actual_text="长期",
            method=Method.QUALITATIVE,
            grade=QualitativeGrade.ACHIEVED,
            weight=D(15),
            score=D(15),
        ),
        _indicator(
            satisfied,
            "服务对象满意度指标",
            "受益老人满意度",
            target_text="≥90%",
            actual_text="96%",
            method=Method.AT_LEAST,
            target_value=D(90),
            actual_value=D(96),
            unit="%",
            weight=D(10),
        ),
    ]
    r.lists = {
        "problems": [
            ListItem("年底个别月份补贴发放滞后，影响按月发放及时率。"),
            ListItem("高龄老人信息动态更新不及时，存在核查工作量大的问题。"),
        ],
        "measures": [
            ListItem("提前与代发银行对接，确保补贴按月足额发放。"),
            ListItem("与公安、卫健部门共享户籍和死亡信息，实行动态管理。"),
        ],
    }
    texts = {
        "project.overview": "高龄补贴是我区保障高龄老人基本生活的一项普惠性政策，补贴标准为80—89周岁每人每月50元、"
        "90—99周岁每人每月100元、100周岁以上每人每月500元。",
        "project.funds.management": "项目资金实行专账核算、专款专用，由社会事务股审核名册后通过代发银行"
        "直接发放到老人账户。全年执行699.14万元，其中：80—89周岁老人补贴576.60万元、90—99周岁老人"
        "补贴118.94万元、百岁老人补贴3.60万元。",
        "project.implementation": "我局成立了高龄补贴工作专班，各乡镇（街道）民政办负责申报初审，"
        "社会事务股负责复核和资金发放，每季度开展一次生存认证和信息比对。",
        "project.performance": "全年共为9398名高龄老人发放补贴，高龄老人的基本生活得到保障。",
        "disclosure": "自评结果将作为下一年度预算安排的重要依据，并按规定在本单位门户网站公开。",
        "other": "无。",
    }
    for section in r.sections:
        section.text = texts.get(section.key, "")
    return r
