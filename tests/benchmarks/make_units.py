"""Test data for the 自评汇总: many units' reports of one year, of realistic variety.

    python tests/benchmarks/make_units.py 300 OUT_FOLDER [--year 2024] [--seed 1]

writes one exchange file per unit (and a few 项目支出绩效自评报告) into OUT_FOLDER, the way a 主管部门
receives them. Tests and benchmarks call :func:`make_units` and :func:`write_exchange_files`.

What varies, unit by unit (seeded, so the same arguments give the same files):

- size: 年度资金 from about 30 to 60,000 万元 (log-uniform), 0–8 projects, 1–4 indicators per 二级;
- blanks: some units leave 年初预算数, the income split, 三公经费 or 全年执行数 blank (not zero);
- scoring: most are fully scored (优/良/中/差 all occur), some not yet (未完成评分);
- errors the audit finds: income parts that do not add up, a deducted score without 偏差原因,
  a missing report date, a score above its weight, execution above budget;
- some units' project forms (附件3) are filled, some units also send 项目支出绩效自评报告.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from perfdesk.domain import model as m  # noqa: E402
from perfdesk.domain.scoring import suggested_indicator_score  # noqa: E402
from perfdesk.domain.templates import new_project, new_project_report, new_report  # noqa: E402

REGIONS = ("株洲市芦淞区", "株洲市荷塘区", "株洲市石峰区", "株洲市天元区", "株洲市渌口区")
UNIT_TYPES = (
    "民政局",
    "教育局",
    "财政局",
    "卫生健康局",
    "人力资源和社会保障局",
    "自然资源分局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化旅游广电体育局",
    "应急管理局",
    "审计局",
    "统计局",
    "医疗保障局",
    "退役军人事务局",
    "市场监督管理局",
    "城市管理和综合执法局",
    "司法局",
    "发展和改革局",
    "科学技术和工业信息化局",
    "机关事务服务中心",
    "档案馆",
    "政务服务中心",
    "疾病预防控制中心",
    "人民医院",
    "中医医院",
    "妇幼保健院",
    "融媒体中心",
    "林业局",
    "信访局",
    "总工会",
    "妇女联合会",
    "共青团委员会",
    "残疾人联合会",
    "供销合作联合社",
    "住房保障服务中心",
    "不动产登记中心",
    "公共资源交易中心",
)
SCHOOLS = ("第{n}中学", "第{n}小学", "第{n}幼儿园")
NUMERALS = "一二三四五六七八九十"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰红玉萍建国文斌"
PROJECT_NAMES = (
    "城乡最低生活保障资金",
    "特困人员供养资金",
    "临时救助资金",
    "养老服务补贴",
    "义务教育公用经费",
    "学生资助资金",
    "基本公共卫生服务",
    "重大疾病防控经费",
    "道路养护经费",
    "农村公路建设",
    "高标准农田建设",
    "水利设施维修养护",
    "信息化建设运行维护",
    "办公楼维修改造",
    "档案数字化",
    "执法装备购置",
    "安全生产专项整治",
    "文化惠民演出",
    "全民健身设施",
    "政务服务一体化平台运维",
)


def unit_names(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct unit names: bureaus of five districts, then numbered schools."""
    names = [region + kind for kind in UNIT_TYPES for region in REGIONS]
    school = 1
    while len(names) < n:
        for pattern in SCHOOLS:
            for region in REGIONS:
                names.append(region + pattern.format(n=_numeral(school)))
        school += 1
    rng.shuffle(names)
    return names[:n]


def _numeral(k: int) -> str:
    if k <= 10:
        return NUMERALS[k - 1]
    if k < 20:
        return "十" + NUMERALS[k - 11]
    tens, ones = divmod(k, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


def _amount(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` cut into ``parts`` amounts that add up to it exactly."""
    weights = [rng.random() + 0.2 for _ in range(parts)]
    whole = sum(weights)
    out = [_amount(float(total) * w / whole) for w in weights[:-1]]
    out.append(total - sum(out, Decimal(0)))
    return out


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _fill_indicators(
    groups: list[m.IndicatorGroup],
    skeleton: list[m.Indicator],
    rng: random.Random,
    *,
    quality: float,
    scored: bool,
    faults: set[str],
) -> list[m.Indicator]:
    """Named indicator rows under every 二级 of the template, weights adding up to each 一级."""
    by_group: dict[str, list[str]] = {}
    for row in skeleton:
        by_group.setdefault(row.level1, []).append(row.level2)
    out: list[m.Indicator] = []
    for group in groups:
        level2s = by_group.get(group.name, [])
        slots = [(l2, i) for l2 in level2s for i in range(rng.randint(1, 3))]
        weight = group.weight or Decimal(0)
        weights = [Decimal(int(weight) // len(slots))] * len(slots)
        weights[-1] += weight - sum(weights, Decimal(0))
        for (level2, i), w in zip(slots, weights, strict=True):
            ind = m.Indicator(level1=group.name, level2=level2, name=f"{level2[:-2]}指标{i + 1}")
            ind.weight = w
            if rng.random() < 0.5:
                ind.method = m.Method.AT_LEAST
                ind.target_value = Decimal(100)
                ind.unit = "%"
                ind.target_text = "≥100%"
                actual = Decimal(100) if rng.random() < quality else Decimal(rng.randint(60, 99))
                ind.actual_value = actual
                ind.actual_text = f"{actual}%"
            else:
                ind.method = m.Method.QUALITATIVE
                ind.target_text = "达到预期"
                r = rng.random()
                ind.grade = (
                    m.QualitativeGrade.ACHIEVED
                    if r < quality
                    else m.QualitativeGrade.PARTLY
                    if r < quality + (1 - quality) * 0.7
                    else m.QualitativeGrade.NOT_ACHIEVED
                )
                ind.actual_text = ind.grade.value
            if not scored:
                ind.method, ind.grade, ind.actual_value = None, None, None
            out.append(ind)
    named = [i for i in out if i.weight]
    if scored:
        for ind in named:
            suggested = suggested_indicator_score(ind)
            if suggested is not None and suggested < (ind.weight or 0):
                ind.deviation_reason = "部分指标未完全达成，下一步加强跟踪管理。"
        if "no_reason" in faults:
            deducted = [
                i
                for i in named
                if (s := suggested_indicator_score(i)) is not None and s < (i.weight or 0)
            ]
            if deducted:
                deducted[0].deviation_reason = ""
        if "poor" in faults:  # scores entered well below what the rules suggest
            for ind in named:
                if ind.method == m.Method.QUALITATIVE:
                    ind.grade = m.QualitativeGrade.NOT_ACHIEVED
                ind.score = ((ind.weight or Decimal(0)) * Decimal("0.45")).quantize(Decimal("0.1"))
                ind.deviation_reason = "年度目标大部分未完成，原因是项目推进滞后。"
        if "score_above" in faults and named:
            named[0].score = (named[0].weight or Decimal(0)) + 5
    return out


def make_unit(name: str, year: int, rng: random.Random) -> m.Report:
    """One unit's 部门整体支出绩效自评报告 of ``year``."""
    r = new_report(name, year)
    r.supervisor = "株洲市财政局"
    r.unit_level = "区级"
    faults = {f for f, p in _FAULTS.items() if rng.random() < p}
    r.preparer = _person(rng)
    r.head = _person(rng)
    r.phone = f"0731-2{rng.randint(1000000, 9999999)}"
    r.report_date = None if "no_date" in faults else dt.date(year + 1, rng.randint(3, 10), 15)
    r.posts[0].count = rng.randint(3, 60)
    r.posts[1].count = rng.randint(0, 40)
    r.actual_staff = max(1, (r.posts[0].count + r.posts[1].count) - rng.randint(-2, 5))

    scale = 10 ** rng.uniform(1.5, 4.8)
    full = _amount(scale)
    initial = _amount(scale * rng.uniform(0.85, 1.05))
    rate = 1.0 if rng.random() < 0.35 else rng.uniform(0.70, 1.0)
    if "over_budget" in faults:
        rate = rng.uniform(1.01, 1.05)
    executed = _amount(float(full) * rate)
    total = r.budget_line("total")
    total.initial_budget = None if rng.random() < 0.1 else initial
    total.full_year_budget = full
    total.executed = None if rng.random() < 0.04 else executed
    if rng.random() > 0.15:  # income split given
        for key, value in zip(
            m.INCOME_KEYS, _split(executed, 4, rng) if total.executed else [], strict=False
        ):
            r.budget_line(key).executed = value
        if "income_sum" in faults and total.executed:
            r.budget_line("income.other").executed += Decimal("12.34")
    basic_share = rng.uniform(0.3, 0.8)
    basic_full = _amount(float(full) * basic_share)
    r.budget_line("expense.basic").full_year_budget = basic_full
    r.budget_line("expense.project").full_year_budget = full - basic_full
    if total.executed is not None:
        basic_exec = _amount(float(executed) * basic_share)
        r.budget_line("expense.basic").executed = basic_exec
        r.budget_line("expense.project").executed = executed - basic_exec
        personnel = _amount(float(basic_exec) * rng.uniform(0.6, 0.85))
        r.personnel_expense = personnel
        r.control_line("public").final = basic_exec - personnel

    if rng.random() > 0.15:  # 三公经费 given
        for key in m.THREE_PUBLIC_KEYS:
            line = r.control_line(key)
            if key == "three_public.overseas" and rng.random() < 0.8:
                line.prior_final, line.budget, line.final = (Decimal(0),) * 3
                continue
            budget = _amount(rng.uniform(0.5, 30) * (scale / 2000) ** 0.3)
            line.budget = budget
            line.final = _amount(float(budget) * rng.uniform(0.6, 1.08))
            line.prior_final = _amount(float(budget) * rng.uniform(0.7, 1.2))

    project_full = full - basic_full
    project_exec = r.budget_line("expense.project").executed
    names = rng.sample(PROJECT_NAMES, rng.randint(0, 8))
    fulls = _split(project_full, len(names), rng) if names else []
    execs: list[Decimal] = []
    if names and project_exec is not None:  # each project executed at about the unit's rate
        execs = [_amount(float(f) * float(project_exec / project_full)) for f in fulls[:-1]]
        execs.append(project_exec - sum(execs, Decimal(0)))
    for k, pname in enumerate(names):
        p = new_project(pname)
        p.category = rng.choice(m.STANDARD_PROJECT_CATEGORIES + ("区级专项资金",))
        p.full_year_budget = p.initial_budget = fulls[k]
        p.executed = execs[k] if execs else None
        p.purpose = f"{pname}的发放与管理"
        if rng.random() < 0.5:  # a filled 附件3 form
            p.goal_expected = "按期完成项目年度目标。"
            p.indicators = _fill_indicators(
                p.groups,
                p.indicators,
                rng,
                quality=rng.uniform(0.5, 0.95),
                scored=True,
                faults=set(),
            )
        else:
            p.indicators = []
            p.groups = []
            p.execution_weight = None
        r.projects.append(p)

    scored = "unscored" not in faults
    r.indicators = _fill_indicators(
        r.groups,
        r.indicators,
        rng,
        quality=rng.choice((0.95, 0.85, 0.7, 0.4, 0.15)),
        scored=scored,
        faults=faults,
    )
    r.goal_expected = "全面完成年度工作任务。"
    r.goal_actual = "年度工作任务基本完成。"
    section = r.section("performance.overall")
    if section is not None and total.executed is not None:
        written = executed if "text_rate" not in faults else executed - Decimal("5")
        pct = (written / full * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        section.text = f"本年度资金全年执行数{executed}万元，执行率{pct}%。"
    return r


_FAULTS = {
    "income_sum": 0.06,
    "no_reason": 0.08,
    "no_date": 0.04,
    "score_above": 0.02,
    "over_budget": 0.04,
    "unscored": 0.05,
    "poor": 0.03,
    "text_rate": 0.03,
}
"""Kinds of fault and the share of units that have each (several may meet in one unit)."""


def make_units(n: int, year: int = 2024, seed: int = 1) -> list[m.Report]:
    """``n`` units' department reports of ``year``, then some 项目支出绩效自评报告 (≈ one per ten
    units), every figure decided by ``seed``."""
    rng = random.Random(seed)
    names = unit_names(n, rng)
    reports = [make_unit(name, year, rng) for name in names]
    for name in names[: max(1, n // 10)]:
        pr = new_project_report(name, year, rng.choice(PROJECT_NAMES))
        p = pr.projects[0]
        p.full_year_budget = _amount(rng.uniform(50, 500))
        p.executed = _amount(float(p.full_year_budget) * rng.uniform(0.8, 1.0))
        pr.preparer, pr.report_date = _person(rng), dt.date(year + 1, 5, 20)
        reports.append(pr)
    return reports


def file_name(report: m.Report, index: int) -> str:
    what = report.unit_name + (f"-{report.project_name}" if report.project_name else "")
    return f"{index:03d}-{report.year}-{what}.json"


def write_exchange_files(reports: list[m.Report], folder: Path) -> list[Path]:
    """One exchange file per report in ``folder`` (made if needed); returns the paths."""
    from perfdesk.exchange.jsonfile import dump_bytes

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, report in enumerate(reports, 1):
        path = folder / file_name(report, i)
        path.write_bytes(dump_bytes(report))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = write_exchange_files(make_units(args.count, args.year, args.seed), args.folder)
    print(f"written: {len(paths)} files in {args.folder}")


if __name__ == "__main__":
    main()
