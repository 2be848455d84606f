"""The attachment tables as plain data: what the .xlsx and the .docx both lay out.

附件1 基础数据表, 附件2 整体支出绩效自评表 and one 附件3 项目支出绩效自评表 per project with indicators,
each as a :class:`Sheet` of ruled :class:`Block` tables on one column grid. Every computed cell
(三公 total and 公务用车 subtotal, project groups, 控制率, 执行率, 总分, the grade) comes from
:mod:`perfdesk.domain.calc` and :mod:`perfdesk.domain.scoring`; nothing here knows ReportLab,
openpyxl or python-docx.

A cell the clerk enters (an amount, a weight, a score, an indicator's text) carries a
:class:`Bind`: the row and field it shows, and the value stored there. The workbook import reads
the same layout back and compares cell by cell, so export and import cannot disagree about where
a figure stands. Blank figures are ``None`` and stay blank cells, never 0.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
    ReportKind,
)
from perfdesk.domain.numbers import format_plain

# --- the attachments' numbers and titles ---------------------------------------------------------
# The printout keeps the same registry in perfdesk.report.attachments (ReportLab side); a test
# checks that both give the same labels and titles.

ATTACHMENT_TITLES: tuple[tuple[str, str, str], ...] = (
    ("basic_data", "基础数据表", "{year}年度部门整体支出绩效评价基础数据表"),
    ("overall", "整体支出绩效自评表", "{year}年度部门整体支出绩效自评表"),
    ("projects", "项目支出绩效自评表", "{year}年度项目支出绩效自评表"),
)
"""key → short name (for a sheet tab) and title pattern, in attachment order (附件1, 2, 3)."""


def attachment_number(key: str) -> int:
    return [k for k, _, _ in ATTACHMENT_TITLES].index(key) + 1


def attachment_title(key: str, year: int) -> str:
    return ATTACHMENT_TITLES[attachment_number(key) - 1][2].format(year=year)


def attachment_list(year: int) -> list[str]:
    """``1. 2024年度部门整体支出绩效评价基础数据表`` …, as the 附件 list under the text prints them."""
    return [
        f"{i}. {pattern.format(year=year)}"
        for i, (_, _, pattern) in enumerate(ATTACHMENT_TITLES, 1)
    ]


FOOTNOTE = "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"
NO_PROJECT_FORMS = "（本年度无填报的项目支出绩效自评表。）"


# --- cells ----------------------------------------------------------------------------------------


class Kind(enum.StrEnum):
    """What a cell holds, which decides how it is written (number format, alignment, font)."""

    HEAD = "head"  # a column or row heading of the form
    LABEL = "label"  # a row's caption (left, may be indented)
    TEXT = "text"  # free text of the clerk (left, wrapped)
    CENTER = "center"  # short text, centred (年度指标值, ——)
    AMOUNT = "amount"  # 万元, shown with two places
    NUMBER = "number"  # a weight, score, area: as entered (10, 9.5)
    COUNT = "count"  # a head count
    RATE = "rate"  # a fraction shown as a percentage (执行率, 控制率)


NUMERIC_KINDS = frozenset({Kind.AMOUNT, Kind.NUMBER, Kind.COUNT, Kind.RATE})


@dataclass(frozen=True)
class Bind:
    """The field an entered cell shows: which row (by id, or by key for the fixed rows), and what
    is stored there now (``stored``), which may differ from what the cell shows (a score left to
    the suggestion shows the suggestion; a 主管部门 left blank shows the report's)."""

    entity: str  # report | project | indicator | indicator_group | building | budget_line | ...
    field: str
    stored: Any
    what: str  # how the change list names the cell: 公务接待 · 2024年决算数
    row_id: int | None = None  # for rows with ids (report, project, indicator, building)
    key: str | None = None  # for the fixed rows (budget_line, control_line, project_source)
    project_id: int | None = None  # project_source: whose

    @property
    def address(self) -> tuple[Any, ...]:
        """One field of one row, whichever sheet shows it (附件1 and 附件3 both show a project's
        budget): the import refuses two different values for one address."""
        return (self.entity, self.row_id, self.key, self.project_id, self.field)


@dataclass
class Cell:
    """One cell of a form: its value as shown, its kind, and (if entered) where it comes from."""

    value: Decimal | int | str | None
    kind: Kind
    bind: Bind | None = None
    indent: int = 0  # characters, for row captions
    computed: bool = False  # shown from calc/scoring: written as a value, never read back

    @property
    def text(self) -> str:
        """The cell as the printout writes it (used by the .docx and by label checks)."""
        from perfdesk.domain.numbers import format_amount, format_percent

        v = self.value
        if v is None:
            return ""
        if self.kind == Kind.AMOUNT:
            return format_amount(v)  # type: ignore[arg-type]
        if self.kind == Kind.RATE:
            return format_percent(v, blank="")  # type: ignore[arg-type]
        if self.kind == Kind.NUMBER:
            return format_plain(v)  # type: ignore[arg-type]
        return str(v)


def head(text: str) -> Cell:
    return Cell(text, Kind.HEAD)


def label(text: str, indent: int = 0) -> Cell:
    return Cell(text, Kind.LABEL, indent=indent)


def computed(value: Decimal | int | str | None, kind: Kind) -> Cell:
    return Cell(value, kind, computed=True)


@dataclass
class Block:
    """One ruled table on the sheet's column grid.

    ``rows`` hold a :class:`Cell` or ``None`` (a cell covered by a merge) per grid column;
    ``merges`` are ``(row0, col0, row1, col1)``, inclusive, with the content in the top-left cell.
    """

    columns: int
    rows: list[list[Cell | None]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: int = 0
    ruled: bool = True
    workbook_only: bool = False  # a table for entering figures in Excel, not part of the form

    def add(self, *items: Cell | None | tuple[Cell | None, int]) -> int:
        """Append a row; an item ``(cell, n)`` spans ``n`` grid columns. Returns the row index."""
        r = len(self.rows)
        row: list[Cell | None] = []
        for item in items:
            cell, span = item if isinstance(item, tuple) else (item, 1)
            if span > 1:
                self.merges.append((r, len(row), r, len(row) + span - 1))
            row.append(cell)
            row += [None] * (span - 1)
        row += [None] * (self.columns - len(row))
        if len(row) != self.columns:
            raise ValueError(f"row of {len(row)} cells on a grid of {self.columns}")
        self.rows.append(row)
        return r

    def merge_down(self, col: int, first: int, last: int, width: int = 1) -> None:
        """Merge rows ``first..last`` of ``col`` (and ``width`` columns) into one cell."""
        if last > first:
            # a horizontal span of the first row is absorbed by the larger merge
            self.merges = [m for m in self.merges if not (m[0] == m[2] == first and m[1] == col)]
            self.merges.append((first, col, last, col + width - 1))


@dataclass
class Sheet:
    """One attachment (or one 附件3 form): title, the unit/year line, its tables and notes."""

    key: str  # basic_data | overall | projects
    name: str  # worksheet name, e.g. 附件1 基础数据表 / 附件3-2 城乡最低生活保障
    label: str  # 附件1
    title: str
    subtitle: str  # 单位名称 and the money unit
    widths: list[float]  # column widths in character cells (a CJK character is 2)
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines under the tables
    project: Project | None = None

    @property
    def columns(self) -> int:
        return len(self.widths)


SHEET_NAME_LIMIT = 31  # Excel's limit on a worksheet name
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _sheet_name(text: str) -> str:
    return text.translate(_BAD_SHEET_CHARS)[:SHEET_NAME_LIMIT].rstrip("'")


# --- binds ----------------------------------------------------------------------------------------


def _amount(value: Decimal | None, bind: Bind | None) -> Cell:
    return Cell(value, Kind.AMOUNT, bind)


def _bound(kind: Kind, value: Any, bind: Bind) -> Cell:
    return Cell(value, kind, bind)


def _control_column(col: str, year: int) -> str:
    return {
        "prior_final": f"{year - 1}年决算数",
        "budget": f"{year}年预算数",
        "final": f"{year}年决算数",
    }[col]


# --- 附件1 ----------------------------------------------------------------------------------------

_BASIC_WIDTHS = [40.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0]
"""附件1's grid: the caption column and six value columns (the 楼堂馆所 table uses all six; the
money table puts each of its three columns on two of them)."""


def basic_data(report: Report) -> Sheet:
    """附件1 部门整体支出绩效评价基础数据表."""
    y = report.year
    sheet = _sheet("basic_data", report, _BASIC_WIDTHS)

    staff = Block(7, header_rows=1)
    staff.add(
        head("财政供养人员情况（人）"),
        (head("编制数"), 2),
        (head(f"{y}年实际在职人数"), 2),
        (head("控制率"), 2),
    )
    staff.add(
        None,
        (computed(calc.establishment_total(report), Kind.COUNT), 2),
        (
            _bound(
                Kind.COUNT,
                report.actual_staff,
                Bind("report", "actual_staff", report.actual_staff, "实际在职人数", report.id),
            ),
            2,
        ),
        (computed(calc.staff_control_rate(report), Kind.RATE), 2),
    )
    staff.merge_down(0, 0, 1)
    sheet.blocks.append(staff)

    money = Block(7, header_rows=1)
    money.add(
        head("经费控制情况（万元）"),
        (head(f"{y - 1}年决算数"), 2),
        (head(f"{y}年预算数"), 2),
        (head(f"{y}年决算数"), 2),
    )

    def line(
        text: str,
        values: ControlLine,
        indent: int = 0,
        *,
        bind: str | None = None,
        no_prior: bool = False,
        given: ControlLine | None = None,
    ) -> None:
        cells: list[Any] = [label(text, indent)]
        for col in ("prior_final", "budget", "final"):
            value = getattr(values, col)
            if col == "prior_final" and no_prior:
                cells.append((Cell("——", Kind.CENTER), 2))
            elif bind is not None:
                stored = getattr(given if given is not None else values, col)
                b = Bind(
                    "control_line", col, stored, f"{text} · {_control_column(col, y)}", key=bind
                )
                cells.append((_amount(value, b), 2))
            else:
                cells.append((computed(value, Kind.AMOUNT), 2))
        money.add(*cells)

    def project_line(p: Project, indent: int) -> None:
        cells: list[Any] = [label(p.name, indent)]
        for col, caption in (
            ("prior_final", f"{y - 1}年决算数"),
            ("full_year_budget", f"{y}年预算数"),
            ("executed", f"{y}年决算数"),
        ):
            value = getattr(p, col)
            b = Bind("project", col, value, f"{p.name} · {caption}", row_id=p.id)
            cells.append((_amount(value, b), 2))
        money.add(*cells)

    def direct(key: str, text: str, indent: int = 0, **kw: Any) -> None:
        line(text, report.control_line(key), indent, bind=key, **kw)

    line("三公经费", calc.three_public_line(report))
    line("1、公务用车购置和维护经费", calc.vehicle_line(report), 1)
    direct("three_public.vehicle_purchase", "其中：公车购置", 2)
    direct("three_public.vehicle_operation", "公车运行维护", 5)
    direct("three_public.overseas", "2、出国经费", 1)
    direct("three_public.reception", "3、公务接待", 1)
    # 项目支出 shows the total the report gives, else the projects' sum; typing over it gives one.
    line(
        "项目支出：",
        calc.project_total_line(report),
        bind="project",
        given=report.control_line("project"),
    )
    for number, category in enumerate(calc.project_categories(report), 1):
        projects = calc.projects_of(report, category)
        note = "（一个专项一行）" if category.endswith("专项资金") else ""
        line(f"{number}、{category}{note}", calc.projects_line(projects), 1)
        for p in projects:
            project_line(p, 2)
    for p in calc.projects_of(report, ""):  # projects given no group
        project_line(p, 1)
    direct("public", "公用经费")
    direct("public.office", "其中：办公经费", 1)
    direct("public.utilities_travel", "水费、电费、差旅费", 4)
    direct("public.meetings_training", "会议费、培训费", 4)
    direct("procurement", "政府采购金额", no_prior=True)
    direct("basic_adjustment", "部门基本支出预算调整", no_prior=True)
    sheet.blocks.append(money)

    build = Block(7, header_rows=1)
    build.add(
        head(f"楼堂馆所控制情况（{y - 1}年完工项目）"),
        head("批复规模（㎡）"),
        head("实际规模（㎡）"),
        head("规模控制率"),
        head("预算投资（万元）"),
        head("实际投资（万元）"),
        head("投资概算控制率"),
    )
    for b in report.buildings:
        name = b.name or "楼堂馆所"

        def bb(fieldname: str, caption: str, value: Any, b: Any = b, name: str = name) -> Bind:
            return Bind("building", fieldname, value, f"{name} · {caption}", row_id=b.id)

        build.add(
            _bound(Kind.TEXT, b.name, bb("name", "项目名称", b.name)),
            _bound(Kind.NUMBER, b.approved_area, bb("approved_area", "批复规模", b.approved_area)),
            _bound(Kind.NUMBER, b.actual_area, bb("actual_area", "实际规模", b.actual_area)),
            computed(calc.building_area_rate(b), Kind.RATE),
            _amount(b.budget_investment, bb("budget_investment", "预算投资", b.budget_investment)),
            _amount(b.actual_investment, bb("actual_investment", "实际投资", b.actual_investment)),
            computed(calc.building_investment_rate(b), Kind.RATE),
        )
    if not report.buildings:
        build.add(*[Cell(None, Kind.CENTER)] * 7)
    sheet.blocks.append(build)

    frugal = Block(7)
    frugal.add(
        head("厉行节约保障措施"),
        (
            _bound(
                Kind.TEXT,
                report.frugality_measures,
                Bind(
                    "report",
                    "frugality_measures",
                    report.frugality_measures,
                    "厉行节约保障措施",
                    report.id,
                ),
            ),
            6,
        ),
    )
    sheet.blocks.append(frugal)
    if report.posts:
        sheet.blocks.append(_posts_block(report))

    sheet.notes = [FOOTNOTE, sign_line(report)]
    return sheet


def _posts_block(report: Report) -> Block:
    """编制数 by kind of 编制 (行政编制, 事业编制…), for the workbook only: the form shows their
    sum as 编制数, a computed cell that cannot be filled in Excel; these cells can."""
    block = Block(7, header_rows=1, workbook_only=True)
    block.add(
        head("编制数明细（填写各类编制数，附件1 的编制数为其合计）"), (head("编制数（人）"), 6)
    )
    for post in report.posts:
        what = f"{post.kind or '编制'} · 编制数"
        block.add(
            label(post.kind),
            (
                _bound(
                    Kind.COUNT, post.count, Bind("staff_post", "count", post.count, what, post.id)
                ),
                6,
            ),
        )
    return block


def sign_line(report: Report) -> str:
    """填表人 / 填报日期 / 联系电话 / 单位负责人签字 under a form (附件1; a project report's form)."""
    d = report.report_date
    date = f"{d.year}年{d.month}月{d.day}日" if d else ""
    return (
        f"填表人：{report.preparer}　　填报日期：{date}　　"
        f"联系电话：{report.phone}　　单位负责人签字：{report.head}"
    )


# --- 附件2 and 附件3 ----------------------------------------------------------------------------------

_FORM_WIDTHS = [5.0, 12.0, 12.0, 26.0, 13.0, 13.0, 7.0, 8.0, 26.0]
"""The grid of the 自评表s: 绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因."""

INDICATOR_HEADS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def _group_label(name: str, weight: Decimal | None) -> str:
    return name + (f"（{format_plain(weight)}分）" if weight is not None else "")


def indicator_block(
    groups: list[IndicatorGroup],
    indicators: list[Indicator],
    total_weight: Decimal | None,
    state: scoring.ScoringState,
    scope: str,
) -> Block:
    """The 绩效指标 table with its 总分 row (附件2 and every 附件3). As in the printout, a form
    not fully scored shows no 总分 (the scores there are do not make one) and 未完成评分."""
    block = Block(9, header_rows=1)
    block.add(head("绩效指标"), *[head(h) for h in INDICATOR_HEADS])
    weights = {g.name: g.weight for g in groups}
    first = len(block.rows)
    prev1: str | None = None
    prev2: tuple[str, str] | None = None
    start1 = start2 = first
    for n, ind in enumerate(indicators, 1):
        new1 = ind.level1 != prev1
        new2 = new1 or (ind.level1, ind.level2) != prev2
        row = len(block.rows)
        if new1 and prev1 is not None:
            block.merge_down(1, start1, row - 1)
        if new2 and prev2 is not None:
            block.merge_down(2, start2, row - 1)
        if new1:
            start1 = row
        if new2:
            start2 = row
        name = ind.name or f"第{n}行"
        what = f"{scope} · {name}"

        def b(
            fieldname: str, caption: str, stored: Any, ind: Indicator = ind, what: str = what
        ) -> Bind:
            return Bind("indicator", fieldname, stored, f"{what} · {caption}", row_id=ind.id)

        score = scoring.indicator_score(ind).value
        block.add(
            None,
            label(_group_label(ind.level1, weights.get(ind.level1)) if new1 else ""),
            label(ind.level2 if new2 else ""),
            _bound(Kind.TEXT, ind.name, b("name", "三级指标", ind.name)),
            _bound(Kind.CENTER, ind.target_text, b("target_text", "年度指标值", ind.target_text)),
            _bound(Kind.CENTER, ind.actual_text, b("actual_text", "实际完成值", ind.actual_text)),
            _bound(Kind.NUMBER, ind.weight, b("weight", "分值", ind.weight)),
            _bound(Kind.NUMBER, score, b("score", "得分", ind.score)),
            _bound(
                Kind.TEXT,
                ind.deviation_reason,
                b("deviation_reason", "偏差原因分析及改进措施", ind.deviation_reason),
            ),
        )
        prev1, prev2 = ind.level1, (ind.level1, ind.level2)
    last = len(block.rows) - 1
    if indicators:
        block.merge_down(1, start1, last)
        block.merge_down(2, start2, last)
    block.merge_down(0, 0, last)
    block.add(
        (head("总分"), 6),
        computed(total_weight, Kind.NUMBER),
        computed(state.total if state.grade is not None else None, Kind.NUMBER),
        computed(
            f"自评等级：{state.grade}" if state.grade is not None else scoring.UNSCORED,
            Kind.CENTER,
        ),
    )
    return block


def _goal_block(expected: str, actual: str, entity: str, row_id: int | None, scope: str) -> Block:
    block = Block(9, header_rows=1)
    block.add((head("年度总体目标"), 2), (head("预期目标"), 3), (head("实际完成情况"), 4))
    block.add(
        None,
        None,
        (
            _bound(
                Kind.TEXT,
                expected,
                Bind(entity, "goal_expected", expected, f"{scope} · 预期目标", row_id),
            ),
            3,
        ),
        (
            _bound(
                Kind.TEXT,
                actual,
                Bind(entity, "goal_actual", actual, f"{scope} · 实际完成情况", row_id),
            ),
            4,
        ),
    )
    block.merge_down(0, 0, 1, width=2)
    return block


def _budget_head(block: Block, caption: str) -> None:
    block.add(
        (head(caption), 3),
        head("年初预算数"),
        head("全年预算数"),
        head("全年执行数"),
        head("分值"),
        head("执行率"),
        head("得分"),
    )


_LINE_COLUMNS = (
    ("initial_budget", "年初预算数"),
    ("full_year_budget", "全年预算数"),
    ("executed", "全年执行数"),
)


def overall(report: Report) -> Sheet:
    """附件2 部门整体支出绩效自评表."""
    sheet = _sheet("overall", report, _FORM_WIDTHS)
    scope = "附件2"

    top = Block(9)
    top.add((head(f"{report.unit_level}预算部门（单位）名称"), 3), (label(report.unit_name), 6))
    sheet.blocks.append(top)

    budget = Block(9, header_rows=1)
    _budget_head(budget, "年度预算申请（万元）")
    total = report.budget_line("total")
    execution = scoring.report_execution_score(report)
    budget.add(
        None,
        (label("年度资金总额"), 2),
        *[
            _amount(
                getattr(total, col),
                Bind("budget_line", col, getattr(total, col), f"年度资金总额 · {cap}", key="total"),
            )
            for col, cap in _LINE_COLUMNS
        ],
        _bound(
            Kind.NUMBER,
            report.execution_weight,
            Bind(
                "report",
                "execution_weight",
                report.execution_weight,
                "预算执行率 · 分值",
                report.id,
            ),
        ),
        computed(calc.report_execution_rate(report), Kind.RATE),
        _bound(
            Kind.NUMBER,
            execution.value,
            Bind(
                "report", "execution_score", report.execution_score, "预算执行率 · 得分", report.id
            ),
        ),
    )
    for caption, keys in (("按收入性质分：", INCOME_KEYS), ("按支出性质分：", EXPENSE_KEYS)):
        budget.add(None, (label(caption), 8))
        for key in keys:
            line = report.budget_line(key)
            name = BUDGET_LINE_KEYS[key]
            budget.add(
                None,
                (label(name, 1), 2),
                *[
                    _amount(
                        getattr(line, col),
                        Bind("budget_line", col, getattr(line, col), f"{name} · {cap}", key=key),
                    )
                    for col, cap in _LINE_COLUMNS
                ],
                Cell(None, Kind.NUMBER),
                Cell(None, Kind.RATE),
                Cell(None, Kind.NUMBER),
            )
    budget.merge_down(0, 0, len(budget.rows) - 1)
    sheet.blocks.append(budget)

    sheet.blocks.append(
        _goal_block(report.goal_expected, report.goal_actual, "report", report.id, scope)
    )
    state = scoring.report_scoring(report)
    sheet.blocks.append(
        indicator_block(
            report.groups,
            report.indicators,
            scoring.report_total_weight(report),
            state,
            scope,
        )
    )
    return sheet


def has_indicators(project: Project) -> bool:
    """A project gets its own 附件3 form when at least one indicator has a name (as printed)."""
    return any(i.name.strip() for i in project.indicators)


def project_form(report: Report, project: Project, number: int) -> Sheet:
    """One 附件3 项目支出绩效自评表 (``number``: its place among the forms, 附件3-1, 3-2…)."""
    sheet = _sheet("projects", report, _FORM_WIDTHS, project=project, number=number)
    scope = project.name
    pid = project.id

    def pb(fieldname: str, caption: str, stored: Any) -> Bind:
        return Bind("project", fieldname, stored, f"{scope} · {caption}", row_id=pid)

    top = Block(9)
    top.add((head("项目名称"), 3), (label(project.name), 6))
    top.add(
        (head("主管部门"), 3),
        (
            _bound(
                Kind.TEXT,
                project.supervisor or report.supervisor,
                pb("supervisor", "主管部门", project.supervisor),
            ),
            2,
        ),
        (head("实施单位"), 2),
        (
            _bound(
                Kind.TEXT, project.implementer, pb("implementer", "实施单位", project.implementer)
            ),
            2,
        ),
    )
    sheet.blocks.append(top)

    budget = Block(9, header_rows=1)
    _budget_head(budget, "项目资金（万元）")
    execution = scoring.project_execution_score(project)
    budget.add(
        None,
        (label("年度资金总额"), 2),
        *[
            _amount(getattr(project, col), pb(col, f"年度资金总额 · {cap}", getattr(project, col)))
            for col, cap in _LINE_COLUMNS
        ],
        _bound(
            Kind.NUMBER,
            project.execution_weight,
            pb("execution_weight", "预算执行率 · 分值", project.execution_weight),
        ),
        computed(calc.project_execution_rate(project), Kind.RATE),
        _bound(
            Kind.NUMBER,
            execution.value,
            pb("execution_score", "预算执行率 · 得分", project.execution_score),
        ),
    )
    sources = {s.key: s for s in project.sources}
    for i, (key, caption) in enumerate(PROJECT_SOURCE_KEYS.items()):
        s = sources.get(key)
        text = ("其中：" if i == 0 else "") + caption
        budget.add(
            None,
            (label(text, 0 if i == 0 else 3), 2),
            *[
                _amount(
                    getattr(s, col) if s else None,
                    Bind(
                        "project_source",
                        col,
                        getattr(s, col) if s else None,
                        f"{scope} · {caption} · {cap}",
                        key=key,
                        project_id=pid,
                    ),
                )
                for col, cap in _LINE_COLUMNS
            ],
            Cell(None, Kind.NUMBER),
            Cell(None, Kind.RATE),
            Cell(None, Kind.NUMBER),
        )
    budget.merge_down(0, 0, len(budget.rows) - 1)
    sheet.blocks.append(budget)
    sheet.blocks.append(
        _goal_block(project.goal_expected, project.goal_actual, "project", pid, scope)
    )
    state = scoring.project_scoring(project)
    sheet.blocks.append(
        indicator_block(
            project.groups,
            project.indicators,
            scoring.project_total_weight(project),
            state,
            scope,
        )
    )
    return sheet


def _sheet(
    key: str,
    report: Report,
    widths: list[float],
    *,
    project: Project | None = None,
    number: int = 0,
) -> Sheet:
    n = attachment_number(key)
    short = ATTACHMENT_TITLES[n - 1][1]
    if project is not None:
        name = _sheet_name(f"附件{n}-{number} {project.name}")
    else:
        name = f"附件{n} {short}"
    return Sheet(
        key=key,
        name=name,
        label=f"附件{n}",
        title=attachment_title(key, report.year),
        subtitle=f"单位名称：{report.unit_name}　　金额单位：万元",
        widths=list(widths),
        project=project,
    )


PROJECT_REPORT_SHEET = "附件 项目支出绩效自评表"
"""The one sheet of a project report's workbook (its one attachment, labelled 附件 unnumbered)."""


def forms(report: Report) -> list[Sheet]:
    """Every attachment in order: 附件1, 附件2, then one 附件3 per project with indicators.

    A 项目支出绩效自评报告 has one: its project's form, labelled ``附件`` (GB/T 9704: a single
    attachment is not numbered), printed even before any indicator is named."""
    if report.kind == ReportKind.PROJECT:
        if not report.projects:
            return []
        sheet = project_form(report, report.projects[0], 1)
        sheet.name, sheet.label = PROJECT_REPORT_SHEET, "附件"
        sheet.notes = [sign_line(report)]  # as the printout signs its one form
        return [sheet]
    sheets = [basic_data(report), overall(report)]
    with_forms = [p for p in report.projects if has_indicators(p)]
    names = {s.name for s in sheets}
    for i, p in enumerate(with_forms, 1):
        sheet = project_form(report, p, i)
        while sheet.name in names:  # two projects whose names agree in the first characters
            sheet.name = _sheet_name(sheet.name[: SHEET_NAME_LIMIT - 2] + f"{i}")
        names.add(sheet.name)
        sheets.append(sheet)
    return sheets
