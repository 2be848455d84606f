"""The three attachments: 附件1 基础数据表, 附件2 整体支出绩效自评表, 附件3 项目支出绩效自评表.

:data:`ATTACHMENTS` is the one place their numbers, labels and titles come from: the 附件 list at
the end of the text and the headers of the attachment pages both read it, so they cannot
disagree (the reference labels its attachments 2 and 3 in one place and 1–3 in the other).

Every computed cell — the 三公 total and 公务用车 subtotal, project subtotals, 控制率, 执行率, 总分
and the grade — comes from :mod:`perfdesk.domain.calc` and :mod:`perfdesk.domain.scoring`; this
module only lays figures out.

**Blank is not zero**, the same way in every table: a figure not given is an empty cell, a figure
given as 0 prints ``0.00`` (amounts) or ``0`` (counts, scores); a rate that cannot be computed
from given figures (a zero denominator) prints ``—``. A form not yet fully scored prints no total
and no grade but 未完成评分 (:func:`perfdesk.domain.scoring.report_scoring`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from perfdesk.domain import calc, scoring
from perfdesk.domain.model import (
    BUDGET_LINE_KEYS,
    EXPENSE_KEYS,
    INCOME_KEYS,
    PROJECT_SOURCE_KEYS,
    ControlLine,
    Indicator,
    IndicatorGroup,
    Project,
    Report,
)
from perfdesk.domain.numbers import format_amount, format_percent, format_plain
from perfdesk.report import prose
from perfdesk.report.styles import (
    ATTACHMENT_LABEL,
    ATTACHMENT_TITLE,
    CELL_PADDING,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    LEADING,
    NOTE,
)
from perfdesk.report.tables import (
    BLANK_ROW,
    LABEL,
    NUM,
    TEXT,
    Cell,
    Form,
    head,
    label,
    num,
    shared_widths,
)
from perfdesk.report.text import TextBlock, Typesetter

# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """One attachment: its place in the list gives its number."""

    key: str
    title_pattern: str  # {year}

    @property
    def number(self) -> int:
        return ATTACHMENTS.index(self) + 1

    @property
    def label(self) -> str:
        return f"附件{self.number}"

    def title(self, year: int) -> str:
        return self.title_pattern.format(year=year)


ATTACHMENTS: tuple[Attachment, ...] = (
    Attachment("basic_data", "{year}年度部门整体支出绩效评价基础数据表"),
    Attachment("overall", "{year}年度部门整体支出绩效自评表"),
    Attachment("projects", "{year}年度项目支出绩效自评表"),
)


def attachment(key: str) -> Attachment:
    for a in ATTACHMENTS:
        if a.key == key:
            return a
    raise KeyError(key)


def attachment_list(year: int, *, project_forms: bool = True) -> list[str]:
    """``1. 2024年度部门整体支出绩效评价基础数据表`` …, in order, as the 附件 list prints them.

    Without project forms the list says so on 附件3's line (and no 附件3 page is printed).
    """
    out = []
    for a in ATTACHMENTS:
        line = f"{a.number}. {a.title(year)}"
        if a.key == "projects" and not project_forms:
            line += NO_PROJECT_FORMS
        out.append(line)
    return out


NO_PROJECT_FORMS = "（本年度无）"
"""After 附件3's title in the 附件 list when no project has a form."""
NOTE_CELL = replace(NOTE, align="left", size=10.5, leading=14.0)


# --- formatting cells ----------------------------------------------------------------------------


def _amt(value: Decimal | None) -> str:
    return format_amount(value)


def _rate(value: Decimal | None, numerator: Decimal | None = None, denominator=None) -> str:  # noqa: ANN001
    """A rate; ``—`` when both figures are given but it cannot be computed (zero base)."""
    if value is None and numerator is not None and denominator is not None:
        return "—"
    return format_percent(value, blank="")


def _plain(value: Decimal | None) -> str:
    return format_plain(value)


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def _header(ts: Typesetter, a: Attachment, year: int) -> list[Flowable]:
    """``附件N`` top left in 黑体, the title centred on line 3, on a new page."""
    return [
        PageBreak(),
        TextBlock(ts, a.label, ATTACHMENT_LABEL, outline=(f"{a.label} {a.title(year)}", 0)),
        Spacer(0, LEADING),
        TextBlock(ts, a.title(year), ATTACHMENT_TITLE, keep_with_next=True),
    ]


# --- 附件1 ---------------------------------------------------------------------------------------


def basic_data(ts: Typesetter, report: Report) -> list[Flowable]:
    """附件1 部门整体支出绩效评价基础数据表, set a step tighter (as a 附件3 form) when that keeps
    it on one page: a report with few projects whose form overflows by a little would otherwise
    carry its last row, the 说明 and the 填表人 line alone on a second page."""
    room = FRAME_HEIGHT - ATTACHMENT_TITLE.space_after
    # measured without the page break before it
    return _fitted(lambda fit: _basic_data(ts, report, fit), room, NEAR_FIT, skip=1)


def _basic_data(ts: Typesetter, report: Report, fit: Fit) -> list[Flowable]:
    y = report.year
    out = _header(ts, attachment("basic_data"), y)

    staff = Form([50, 35, 36, 35], kinds=[TEXT, NUM, NUM, NUM])
    staff.add(
        head("财政供养|人员情况|（人）"),
        head("编制数"),
        head(f"{y}年|实际|在职|人数"),
        head("控制率"),
    )
    establishment = calc.establishment_total(report)
    staff.add(
        None,
        num(_count(establishment)),
        num(_count(report.actual_staff)),
        num(_rate(calc.staff_control_rate(report), report.actual_staff, establishment)),
    )
    staff.spans.append((0, 0, 0, 1))

    money = Form([62, 31, 31, 32], header_rows=1, kinds=[TEXT, NUM, NUM, NUM])
    money.add(
        head("经费控制情况|（万元）"),
        head(f"{y - 1}年|决算数"),
        head(f"{y}年|预算数"),
        head(f"{y}年|决算数"),
    )

    def line(text: str, values: ControlLine, indent: int = 0, no_prior: bool = False) -> None:
        prior = "——" if no_prior else _amt(values.prior_final)
        money.add(
            label(text, indent), num(prior), num(_amt(values.budget)), num(_amt(values.final))
        )

    line("三公经费", calc.three_public_line(report))
    line("1、公务用车购置和维护经费", calc.vehicle_line(report), 1)
    line("其中：公车购置", report.control_line("three_public.vehicle_purchase"), 2)
    line("公车运行维护", report.control_line("three_public.vehicle_operation"), 5)
    line("2、出国经费", report.control_line("three_public.overseas"), 1)
    line("3、公务接待", report.control_line("three_public.reception"), 1)
    line("项目支出：", calc.project_total_line(report))
    for number, category in enumerate(calc.project_categories(report), 1):
        projects = calc.projects_of(report, category)
        note = "（一个专项一行）" if category.endswith("专项资金") else ""
        line(f"{number}、{category}{note}", calc.projects_line(projects), 1)
        for p in projects:
            line(p.name, calc.projects_line([p]), 2)
    for p in calc.projects_of(report, ""):  # projects given no group
        line(p.name, calc.projects_line([p]), 1)
    line("公用经费", report.control_line("public"))
    line("其中：办公经费", report.control_line("public.office"), 1)
    line("水费、电费、差旅费", report.control_line("public.utilities_travel"), 4)
    line("会议费、培训费", report.control_line("public.meetings_training"), 4)
    line("政府采购金额", report.control_line("procurement"), no_prior=True)
    line("部门基本支出预算调整", report.control_line("basic_adjustment"), no_prior=True)
    for form in (staff, money):
        form.size, form.padding = fit.size, fit.padding
    widths = shared_widths(ts, [staff, money])  # the two blocks read as one form: columns align
    out.append(staff.build(ts, widths))
    out.append(money.build(ts, widths))

    build = Form([34, 20, 20, 19, 21, 21, 21], header_rows=1, kinds=[TEXT] + [NUM] * 6)
    build.add(
        head(f"楼堂馆所|控制情况|（{y - 1}年|完工项目）"),
        head("批复|规模|（㎡）"),
        head("实际|规模|（㎡）"),
        head("规模|控制率"),
        head("预算|投资|（万元）"),
        head("实际|投资|（万元）"),
        head("投资|概算|控制率"),
    )
    for b in report.buildings:
        build.add(
            label(b.name),
            num(_plain(b.approved_area)),
            num(_plain(b.actual_area)),
            num(_rate(calc.building_area_rate(b), b.actual_area, b.approved_area)),
            num(_amt(b.budget_investment)),
            num(_amt(b.actual_investment)),
            num(_rate(calc.building_investment_rate(b), b.actual_investment, b.budget_investment)),
        )
    if not report.buildings:
        build.add(label(BLANK_ROW))  # an empty row of a line's height, as on the paper form
    build.size, build.padding = fit.size, fit.padding
    out.append(build.build(ts))

    frugal = Form([34, 122], kinds=[LABEL, TEXT])
    frugal.add(head("厉行节约|保障措施"), label(report.frugality_measures.strip() or BLANK_ROW))
    if len(report.frugality_measures) > 200:
        frugal.top_rows.append(0)
    frugal.size, frugal.padding = fit.size, fit.padding
    ending: list[Flowable] = [frugal.build(ts), Spacer(0, 6)]
    ending.append(
        TextBlock(
            ts,
            "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。",
            NOTE,
        )
    )
    ending.append(sign_line(ts, report))
    # The note and the signature line never stand on a page without the form they close.
    out.append(KeepTogether(ending))
    return out


def sign_line(ts: Typesetter, report: Report) -> Flowable:
    """填表人 / 填报日期 / 联系电话 / 单位负责人签字 in one unruled line under a form."""
    date = prose.report_date(report, blank="")
    signed = Form([6.5, 12.5, 9.5, 10.5], ruled=False, kinds=[LABEL] * 4)
    signed.add(
        Cell(f"填表人：{report.preparer}", NOTE_CELL),
        Cell(f"填报日期：{date}", NOTE_CELL),
        Cell(f"联系电话：{report.phone}", NOTE_CELL),
        Cell(f"单位负责人签字：{report.head}", NOTE_CELL),
    )
    return signed.build(ts)


# --- budget and indicator blocks shared by 附件2 and 附件3 ------------------------------------------

_BUDGET_WIDTHS = [16, 38, 20, 20, 20, 11, 17, 14]
_BUDGET_KINDS = [LABEL, TEXT, NUM, NUM, NUM, NUM, NUM, NUM]


INDICATOR_KINDS = [NUM, LABEL, LABEL, TEXT, TEXT, TEXT, NUM, NUM, TEXT]
KEEP_WITH_TOTAL = 2
"""Indicator rows kept on the page of the 总分 row (so it never stands alone under a header)."""


def _indicator_form(
    groups: list[IndicatorGroup],
    indicators: list[Indicator],
    total_weight: Decimal | None,
    state: scoring.ScoringState,
) -> Form:
    form = Form(
        [8, 19, 19, 28, 22, 22, 10, 10, 30],
        header_rows=1,
        kinds=INDICATOR_KINDS,
        keep_last=1 + min(KEEP_WITH_TOTAL, len(indicators)),
    )
    form.add(
        head("绩\n效\n指\n标"),
        head("一级|指标"),
        head("二级|指标"),
        head("三级|指标"),
        head("年度|指标值"),
        head("实际|完成值"),
        head("分值"),
        head("得分"),
        head("偏差原因|分析及|改进措施"),
    )
    weights = {g.name: g.weight for g in groups}
    first_row = len(form.rows)
    runs: list[tuple[int, int, int]] = []  # (col, first, last)
    prev1: str | None = None
    prev2: tuple[str, str] | None = None
    start1 = start2 = first_row
    for ind in indicators:
        new1 = ind.level1 != prev1
        new2 = new1 or (ind.level1, ind.level2) != prev2
        row = len(form.rows)
        if new1 and prev1 is not None:
            runs.append((1, start1, row - 1))
        if new2 and prev2 is not None:
            runs.append((2, start2, row - 1))
        if new1:
            start1 = row
        if new2:
            start2 = row
        level1 = ""
        if new1:
            w = weights.get(ind.level1)
            level1 = ind.level1 + (f"|（{format_plain(w)}分）" if w is not None else "")
        score = scoring.indicator_score(ind).value
        form.add(
            None,
            label(level1),
            label(ind.level2 if new2 else ""),
            label(ind.name),
            num(ind.target_text),
            num(ind.actual_text),
            num(_plain(ind.weight)),
            num(_plain(score)),
            label(ind.deviation_reason),
        )
        prev1, prev2 = ind.level1, (ind.level1, ind.level2)
    last = len(form.rows) - 1
    if indicators:
        runs.append((1, start1, last))
        runs.append((2, start2, last))
    form.merges += [r for r in runs if r[2] > r[1]]
    form.labels += runs  # a row split over two pages repeats its labels even alone in its run
    form.merges.append((0, 0, last))
    grade = state.grade
    total_row = form.add(
        head("总分"),
        None,
        None,
        None,
        None,
        None,
        num(_plain(total_weight)),
        num(_plain(state.total) if grade is not None else ""),
        num(f"自评等级：|{grade}" if grade is not None else scoring.UNSCORED),
    )
    form.spans.append((0, total_row, 5, total_row))
    return form


def _goal_form(expected: str, actual: str) -> Form:
    form = Form([18, 69, 69], header_rows=1, kinds=[LABEL, TEXT, TEXT])
    form.add(head("年度|总体|目标"), head("预期目标"), head("实际完成情况"))
    form.top_rows.append(
        form.add(None, label(expected.strip() or BLANK_ROW), label(actual.strip() or BLANK_ROW))
    )
    form.merges.append((0, 0, 1))
    return form


# --- 附件2 ---------------------------------------------------------------------------------------


def overall(ts: Typesetter, report: Report) -> list[Flowable]:
    """附件2 部门整体支出绩效自评表."""
    out = _header(ts, attachment("overall"), report.year)

    top = Form([50, 106], kinds=[LABEL, TEXT])
    top.add(head(f"{report.unit_level}预算部门|（单位）名称"), label(report.unit_name))
    out.append(top.build(ts))

    budget = Form(_BUDGET_WIDTHS, kinds=_BUDGET_KINDS)
    budget.add(
        head("年度|预算|申请|（万元）"),
        None,
        head("年初|预算数"),
        head("全年|预算数"),
        head("全年|执行数"),
        head("分值"),
        head("执行率"),
        head("得分"),
    )
    total = report.budget_line("total")
    budget.add(
        None,
        label("年度资金总额"),
        num(_amt(total.initial_budget)),
        num(_amt(total.full_year_budget)),
        num(_amt(total.executed)),
        num(_plain(report.execution_weight)),
        num(_rate(calc.report_execution_rate(report), total.executed, total.full_year_budget)),
        num(_plain(scoring.report_execution_score(report).value)),
    )
    for caption, keys in (("按收入性质分：", INCOME_KEYS), ("按支出性质分：", EXPENSE_KEYS)):
        r = budget.add(None, label(caption))
        budget.spans.append((1, r, 7, r))
        for key in keys:
            line = report.budget_line(key)
            budget.add(
                None,
                label(BUDGET_LINE_KEYS[key], 1),
                num(_amt(line.initial_budget)),
                num(_amt(line.full_year_budget)),
                num(_amt(line.executed)),
            )
    budget.spans.append((0, 0, 0, len(budget.rows) - 1))
    out.append(budget.build(ts))

    out.append(_goal_form(report.goal_expected, report.goal_actual).build(ts))
    out.append(
        _indicator_form(
            report.groups,
            report.indicators,
            scoring.report_total_weight(report),
            scoring.report_scoring(report),
        ).build(ts)
    )
    return out


# --- 附件3 ---------------------------------------------------------------------------------------


def has_indicators(project: Project) -> bool:
    """A project gets its own 附件3 form when at least one indicator has a name."""
    return any(i.name.strip() for i in project.indicators)


@dataclass(frozen=True)
class Fit:
    """How tightly a form is set: the normal 5号 type and padding, or a step tighter."""

    size: float | None = None
    padding: float = CELL_PADDING


FITS = (Fit(), Fit(padding=1.5), Fit(size=9.0, padding=1.5))
"""Tried in order for a project form that overflows its page by a little: row padding first,
then one type step (5号 → 小5)."""
NEAR_FIT = 0.25
"""A form at most this share of a page too long is fitted; a longer one runs on to a next page."""


def project_form(
    ts: Typesetter, report: Report, project: Project, fit: Fit = FITS[0]
) -> list[Flowable]:
    """One 项目支出绩效自评表."""

    def form(*args, **kwargs) -> Form:  # noqa: ANN002, ANN003
        return Form(*args, size=fit.size, padding=fit.padding, **kwargs)

    out: list[Flowable] = []
    top = form([30, 48, 30, 48], kinds=[LABEL, TEXT, LABEL, TEXT])
    r = top.add(head("项目名称"), label(project.name))
    top.spans.append((1, r, 3, r))
    top.add(
        head("主管部门"),
        label(project.supervisor or report.supervisor),
        head("实施单位"),
        label(project.implementer),
    )
    out.append(top.build(ts))

    budget = form(_BUDGET_WIDTHS, kinds=_BUDGET_KINDS)
    budget.add(
        head("项目|资金|（万元）"),
        None,
        head("年初|预算数"),
        head("全年|预算数"),
        head("全年|执行数"),
        head("分值"),
        head("执行率"),
        head("得分"),
    )
    budget.add(
        None,
        label("年度资金总额"),
        num(_amt(project.initial_budget)),
        num(_amt(project.full_year_budget)),
        num(_amt(project.executed)),
        num(_plain(project.execution_weight)),
        num(
            _rate(calc.project_execution_rate(project), project.executed, project.full_year_budget)
        ),
        num(_plain(scoring.project_execution_score(project).value)),
    )
    sources = {s.key: s for s in project.sources}
    for i, (key, caption) in enumerate(PROJECT_SOURCE_KEYS.items()):
        s = sources.get(key)
        budget.add(
            None,
            label(("其中：" if i == 0 else "") + caption, 0 if i == 0 else 3),
            num(_amt(s.initial_budget if s else None)),
            num(_amt(s.full_year_budget if s else None)),
            num(_amt(s.executed if s else None)),
        )
    budget.spans.append((0, 0, 0, len(budget.rows) - 1))
    out.append(budget.build(ts))
    goal = _goal_form(project.goal_expected, project.goal_actual)
    goal.size, goal.padding = fit.size, fit.padding
    out.append(goal.build(ts))
    indicators = _indicator_form(
        project.groups,
        project.indicators,
        scoring.project_total_weight(project),
        scoring.project_scoring(project),
    )
    indicators.size, indicators.padding = fit.size, fit.padding
    out.append(indicators.build(ts))
    return out


def _height(blocks: list[Flowable]) -> float:
    # A KeepTogether wraps only on a page's canvas: its parts are measured instead.
    return sum(
        _height(b._content) if isinstance(b, KeepTogether) else b.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1]
        for b in blocks
    )


def fitted_project_form(
    ts: Typesetter, report: Report, project: Project, room: float, near_fit: float = NEAR_FIT
) -> list[Flowable]:
    """The project's form, set a step tighter when that keeps it on its page (``room`` high) and
    it is at most ``near_fit`` of the room too long."""
    return _fitted(lambda fit: project_form(ts, report, project, fit), room, near_fit)


def _fitted(
    make: Callable[[Fit], list[Flowable]], room: float, near_fit: float, skip: int = 0
) -> list[Flowable]:
    """``make(fit)`` at the first of :data:`FITS` whose height (of all but the first ``skip``
    flowables) is within ``room``; tried only when the loosest is at most ``near_fit`` of the
    room too long (a longer form runs on to a next page as it is)."""
    out = make(FITS[0])
    height = _height(out[skip:])
    if height <= room or height > room * (1 + near_fit):
        return out
    for fit in FITS[1:]:
        tighter = make(fit)
        if _height(tighter[skip:]) <= room:
            return tighter
    return out


class Later(Flowable):
    """Flowables made only when the document reaches them (:meth:`make`): 附件3's forms, so
    that a report of a thousand projects does not hold all its forms, built and measured, at
    once — the memory, and the time with it, grew faster than the forms. The document replaces
    it with what it makes before laying anything out (``_Document.filterFlowables``)."""

    def __init__(self, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.make = make

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        raise TypeError("Later is replaced by what it makes before it is laid out")


def project_forms(report: Report) -> list[Project]:
    """The projects that get a 附件3 form, in order."""
    return [p for p in report.projects if has_indicators(p)]


def projects(ts: Typesetter, report: Report) -> list[Flowable]:
    """附件3: one form per project with indicators, each on its own page; nothing when there is
    none (the 附件 list says so instead of a page carrying only a sentence)."""
    a = attachment("projects")
    with_forms = project_forms(report)
    if not with_forms:
        return []
    out = _header(ts, a, report.year)
    first_room = FRAME_HEIGHT - _height(out[1:]) - ATTACHMENT_TITLE.space_after
    for i, project in enumerate(with_forms):
        room = first_room
        if i:
            title = TextBlock(ts, a.title(report.year), ATTACHMENT_TITLE, keep_with_next=True)
            out += [PageBreak(), title]
            room = FRAME_HEIGHT - _height([title]) - ATTACHMENT_TITLE.space_after
        out.append(Later(lambda p=project, r=room: fitted_project_form(ts, report, p, r)))
    return out


BUILDERS: dict[str, Callable[[Typesetter, Report], list[Flowable]]] = {
    "basic_data": basic_data,
    "overall": overall,
    "projects": projects,
}
"""Attachment key → the function laying it out (every key of :data:`ATTACHMENTS` has one)."""
