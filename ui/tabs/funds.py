"""收支情况: 年度资金 by nature, 附件1 经费控制 (三公 totals computed), the fund sections, 楼堂馆所."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import ChoiceField, ComputedLabel, LineField, TextField
from perfdesk_ui.tables import Column, InsertSpec, RecordTableModel, Row, RowTableEditor, SheetView
from perfdesk_ui.tabs.base import EditorTab, group, hint, scrolling_page
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from perfdesk.domain import calc
from perfdesk.domain import model as m
from perfdesk.domain.numbers import format_amount, format_percent

INDENT = "　　"

BUDGET_COLUMNS = [
    Column("initial_budget", "年初预算数", "amount", 100),
    Column("full_year_budget", "全年预算数", "amount", 100),
    Column("executed", "全年执行数", "amount", 100),
    Column(
        "",
        "执行率",
        "percent",
        80,
        compute=lambda b: format_percent(
            calc.execution_rate(b.full_year_budget, b.executed), blank=""
        ),
    ),
]

CONTROL_COLUMNS = [
    Column("prior_final", "上年决算数", "amount", 100),
    Column("budget", "本年预算数", "amount", 100),
    Column("final", "本年决算数", "amount", 100),
]

FUND_TITLES = {
    m.SpecialFundKind.GOV_FUND: "三、政府性基金预算",
    m.SpecialFundKind.STATE_CAPITAL: "四、国有资本经营预算",
    m.SpecialFundKind.SOCIAL_INSURANCE: "五、社会保险基金预算",
}


def _budget_rows(doc: Any, report: m.Report) -> list[Row]:
    def line(key: str, label: str) -> Row:
        return Row("budget_line", doc.fixed_id("budget_line", key), report.budget_line(key), label)

    def subtotal(key: str, label: str, fn: Any) -> Row:
        obj = m.BudgetLine(
            key, *(fn(report, c) for c in ("initial_budget", "full_year_budget", "executed"))
        )
        return Row(None, None, obj, label)

    rows = [line("total", m.BUDGET_LINE_KEYS["total"])]
    rows += [line(k, INDENT + m.BUDGET_LINE_KEYS[k]) for k in m.INCOME_KEYS]
    rows.append(subtotal("income_total", INDENT + "按收入性质分 合计", calc.income_total))
    rows.append(line("expense.basic", INDENT + m.BUDGET_LINE_KEYS["expense.basic"]))
    rows.append(line("expense.project", INDENT + PROJECT_TOTAL_LABEL))
    rows.append(Row(None, None, _projects_budget_line(report), INDENT * 2 + PROJECTS_SUM_LABEL))
    rows.append(subtotal("expense_total", INDENT + "按支出性质分 合计", calc.expense_total))
    return rows


PROJECT_TOTAL_LABEL = "项目支出（总数）"
"""项目支出 is a total the clerk types (a report may give it without itemised projects)."""
PROJECTS_SUM_LABEL = "对照：各项目之和"
"""The itemised projects added up, shown beside the total (computed, grey)."""


def _projects_budget_line(report: m.Report) -> m.BudgetLine:
    """The projects of the 项目 tab added up as a budget line (blank when none gives a figure)."""
    return m.BudgetLine(
        "projects",
        calc.total(p.initial_budget for p in report.projects),
        calc.total(p.full_year_budget for p in report.projects),
        calc.total(p.executed for p in report.projects),
    )


def _control_rows(doc: Any, report: m.Report) -> list[Row]:
    def line(key: str, label: str) -> Row:
        return Row(
            "control_line", doc.fixed_id("control_line", key), report.control_line(key), label
        )

    labels = m.CONTROL_LINE_KEYS
    return [
        Row(None, None, calc.three_public_line(report), "三公经费 合计"),
        Row(None, None, calc.vehicle_line(report), INDENT + "1、公务用车购置和维护经费"),
        line("three_public.vehicle_purchase", INDENT * 2 + labels["three_public.vehicle_purchase"]),
        line(
            "three_public.vehicle_operation", INDENT * 2 + labels["three_public.vehicle_operation"]
        ),
        line("three_public.overseas", INDENT + "2、" + labels["three_public.overseas"]),
        line("three_public.reception", INDENT + "3、" + labels["three_public.reception"]),
        line("project", PROJECT_TOTAL_LABEL),
        Row(None, None, calc.projects_line(report.projects), INDENT + PROJECTS_SUM_LABEL),
        line("public", labels["public"]),
        line("public.office", INDENT + "其中：" + labels["public.office"]),
        line("public.utilities_travel", INDENT * 2 + "　　" + labels["public.utilities_travel"]),
        line("public.meetings_training", INDENT * 2 + "　　" + labels["public.meetings_training"]),
        line("procurement", labels["procurement"]),
        line("basic_adjustment", labels["basic_adjustment"]),
    ]


class FundsTab(EditorTab):
    title = "收支情况"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        page = scrolling_page(self)

        grids = QHBoxLayout()
        box, lay = group("年度资金（附件2 年度预算申请，万元）", self)
        self.budget_model = RecordTableModel(doc, BUDGET_COLUMNS, self)
        self.budget_view = self.wire(SheetView(self.budget_model, self))
        lay.addWidget(self.budget_view)
        lay.addWidget(
            hint(
                "灰色单元格为自动计算。执行率 = 全年执行数 ÷ 全年预算数。"
                "空白表示未填（不按 0 计算），要填 0 请输入 0。"
                "“项目支出（总数）”填报告给出的总数；下面灰色的“对照：各项目之和”由“项目”页各项目相加。"
            )
        )
        grids.addWidget(box, 1)
        box, lay = group("经费控制情况（附件1，万元）", self)
        self.control_model = RecordTableModel(doc, CONTROL_COLUMNS, self)
        self.control_view = self.wire(SheetView(self.control_model, self))
        lay.addWidget(self.control_view)
        lay.addWidget(
            hint(
                "“项目支出（总数）”：报告只给总数（或只列出部分项目）时填写；"
                "不填则附件1按各项目相加。两者都有时审核会比较。"
            )
        )
        grids.addWidget(box, 1)
        page.addLayout(grids)

        box, lay = group("一般公共预算支出", self)
        grid = QGridLayout()
        self.amounts: dict[str, LineField] = {}
        for i, (name, label) in enumerate(
            (
                ("personnel_expense", "人员经费"),
                ("general_public_expenditure", "一般公共预算财政拨款支出"),
                ("project_carryover", "项目结余结转"),
            )
        ):
            edit = self.wire(LineField(doc, name, label, "amount", self))
            self.amounts[name] = edit
            grid.addWidget(QLabel(label + "（万元）"), i, 0)
            grid.addWidget(edit, i, 1)
        self.basic_parts = ComputedLabel()
        self.projects_total = ComputedLabel()
        grid.addWidget(QLabel("人员经费 + 公用经费"), 0, 2)
        grid.addWidget(self.basic_parts, 0, 3)
        grid.addWidget(QLabel("各项目执行数合计"), 1, 2)
        grid.addWidget(self.projects_total, 1, 3)
        grid.setColumnStretch(4, 1)
        lay.addLayout(grid)
        self.change_reason = self.wire(
            TextField(doc, "three_public_change_reason", "三公经费增减变化原因", self, lines=2)
        )
        lay.addWidget(QLabel("三公经费增减变化原因"))
        lay.addWidget(self.change_reason)
        page.addWidget(box)

        funds = QHBoxLayout()
        self.fund_fields: dict[m.SpecialFundKind, list[Any]] = {}
        self.fund_state: dict[m.SpecialFundKind, QLabel] = {}
        for kind, title in FUND_TITLES.items():
            box, lay = group(title, self)
            check = self.wire(
                ChoiceField(
                    doc,
                    "status",
                    "本年度此项预算",
                    [
                        (m.FundStatus.UNSTATED, "未说明（报告未提及）"),
                        (m.FundStatus.HAS, "有（填写金额和用途）"),
                        (m.FundStatus.NONE, "无（打印“本部门无…安排”）"),
                    ],
                    self,
                )
            )
            lay.addWidget(check)
            state = hint("")
            lay.addWidget(state)
            self.fund_state[kind] = state
            g = QGridLayout()
            fields: list[Any] = [check]
            for i, (name, label) in enumerate(
                (
                    ("initial_budget", "年初预算"),
                    ("income", "决算收入"),
                    ("expenditure", "决算支出"),
                )
            ):
                edit = self.wire(LineField(doc, name, label, "amount", self))
                g.addWidget(QLabel(label + "（万元）"), i, 0)
                g.addWidget(edit, i, 1)
                fields.append(edit)
            lay.addLayout(g)
            usage = self.wire(TextField(doc, "usage", "主要用于", self, lines=2))
            lay.addWidget(usage)
            fields.append(usage)
            self.fund_fields[kind] = fields
            funds.addWidget(box, 1)
        page.addLayout(funds)

        box, lay = group("楼堂馆所（上年度完成的项目）", self)
        self.buildings = self.wire(
            RowTableEditor(
                doc,
                [
                    Column("name", "项目名称", "text", 260),
                    Column("approved_area", "批复规模（㎡）", "decimal", 120),
                    Column("actual_area", "实际规模（㎡）", "decimal", 120),
                    Column("budget_investment", "预算投资（万元）", "amount", 130),
                    Column("actual_investment", "实际投资（万元）", "amount", 130),
                ],
                self,
                row_noun="项目",
            )
        )
        self.buildings.setMinimumHeight(140)
        lay.addWidget(self.buildings)
        page.addWidget(box)

        box, lay = group("厉行节约保障措施", self)
        self.frugality = self.wire(
            TextField(doc, "frugality_measures", "厉行节约保障措施", self, lines=4)
        )
        lay.addWidget(self.frugality)
        page.addWidget(box)
        page.addStretch(1)

    def refresh(self, report: m.Report | None) -> None:
        if report is None:
            return
        rid = report.id
        self.budget_model.set_rows(_budget_rows(self.doc, report))
        self.control_model.set_rows(_control_rows(self.doc, report))
        self.budget_view.fit_height()
        self.control_view.fit_height()
        for edit in self.amounts.values():
            edit.show_row("report", rid, report)
        self.change_reason.show_row("report", rid, report)
        self.frugality.show_row("report", rid, report)
        self.basic_parts.setText(format_amount(calc.basic_expense_parts(report)))
        self.projects_total.setText(format_amount(calc.project_executed_total(report)))
        for kind, fields in self.fund_fields.items():
            fund = report.special_fund(kind)
            fid = self.doc.fixed_id("special_fund", kind.value)
            for f in fields:
                f.show_row("special_fund", fid, fund)
            self._show_fund_state(kind, fund, fid is not None)
        self.buildings.set_rows(
            [Row("building", b.id, b) for b in report.buildings],
            InsertSpec("building", {"report_id": rid}),
        )

    def _show_fund_state(
        self, kind: m.SpecialFundKind, fund: m.SpecialFund, editable: bool
    ) -> None:
        """Amounts and usage are for 有 only: greyed otherwise, and the line under the choice says
        what prints (figures already typed are kept, not printed)."""
        has = fund.status == m.FundStatus.HAS
        for f in self.fund_fields[kind][1:]:
            f.setEnabled(editable and has)
        typed = any(v is not None for v in (fund.initial_budget, fund.income, fund.expenditure))
        kept = "已填的金额保留在报告中，但不打印。" if typed or fund.usage.strip() else ""
        if has:
            text = "打印：年初预算、决算收入、决算支出和用途。"
        elif fund.status == m.FundStatus.NONE:
            text = f"打印“本部门无{FUND_TITLES[kind][2:]}安排”。金额不用填。{kept}"
        else:
            text = f"报告未说明：这一节不打印标准段落。金额不用填。{kept}"
        self.fund_state[kind].setText(text)

    def show_place(self, place: Any, detail: str = "") -> bool:
        from perfdesk_ui.locate import focus_field, row_with_key, select_cell

        if place.entity == "budget_lines":
            return select_cell(
                self.budget_view, row_with_key(self.budget_view, place.key), place.field
            )
        if place.entity == "control_lines":
            return select_cell(
                self.control_view, row_with_key(self.control_view, place.key), place.field
            )
        if place.entity == "buildings":
            return select_cell(self.buildings.view, place.row, place.field)
        if place.entity == "special_funds":
            for kind, fields in self.fund_fields.items():
                if kind.value == place.key:
                    box = fields[0].parentWidget()
                    return focus_field(box, place.field, detail)
        return super().show_place(place, detail)
