"""机构与人员: the report's header fields, 编制 by kind, 实有人数, offices, units and duties."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import ComputedLabel, DateField, LineField
from perfdesk_ui.tables import Column, InsertSpec, Row, RowTableEditor
from perfdesk_ui.tabs.base import EditorTab, group, hint, scrolling_page
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from perfdesk.domain import calc
from perfdesk.domain import model as m
from perfdesk.domain.numbers import format_percent

HEADER_FIELDS = (
    ("unit_name", "单位名称"),
    ("unit_level", "预算部门级次"),
    ("supervisor", "主管部门"),
    ("head", "单位负责人"),
    ("preparer", "填表人"),
    ("phone", "联系电话"),
)


class OrganisationTab(EditorTab):
    title = "机构与人员"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        page = scrolling_page(self)

        box, lay = group("报告封面", self)
        grid = QGridLayout()
        self.header: dict[str, LineField] = {}
        for i, (name, label) in enumerate(HEADER_FIELDS):
            edit = self.wire(LineField(doc, name, label, "text", self))
            self.header[name] = edit
            grid.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
        self.year_label = ComputedLabel()
        self.report_date = self.wire(DateField(doc, "report_date", "报告日期", self))
        row = len(HEADER_FIELDS) // 2
        grid.addWidget(QLabel("年度"), row, 0)
        grid.addWidget(self.year_label, row, 1)
        grid.addWidget(QLabel("报告日期"), row, 2)
        grid.addWidget(self.report_date, row, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        page.addWidget(box)

        box, lay = group("编制与人员", self)
        top = QHBoxLayout()
        self.posts = self.wire(
            RowTableEditor(
                doc,
                [
                    Column("kind", "编制类别", "text", 160),
                    Column("count", "编制数", "count", 90),
                ],
                self,
                row_noun="编制",
            )
        )
        self.posts.setMinimumHeight(170)
        top.addWidget(self.posts, 2)
        side = QGridLayout()
        self.actual_staff = self.wire(LineField(doc, "actual_staff", "实有在职人数", "count", self))
        self.establishment = ComputedLabel()
        self.control_rate = ComputedLabel()
        self.offices_note = self.wire(LineField(doc, "offices_note", "内设科室说明", "text", self))
        side.addWidget(QLabel("编制数合计"), 0, 0)
        side.addWidget(self.establishment, 0, 1)
        side.addWidget(QLabel("实有在职人数"), 1, 0)
        side.addWidget(self.actual_staff, 1, 1)
        side.addWidget(QLabel("控制率"), 2, 0)
        side.addWidget(self.control_rate, 2, 1)
        side.addWidget(QLabel("内设科室说明"), 3, 0)
        side.addWidget(self.offices_note, 3, 1)
        side.addWidget(hint("内设科室说明如“含1个副科级单位”，印在科室名单之后。"), 4, 0, 1, 2)
        side.setRowStretch(5, 1)
        top.addLayout(side, 3)
        lay.addLayout(top)
        page.addWidget(box)

        box, lay = group("内设科室、下属单位与主要职责（每行一项）", self)
        lists = QHBoxLayout()
        self.lists: dict[str, RowTableEditor] = {}
        for key, width in (("offices", 1), ("subordinate_units", 1), ("duties", 2)):
            editor = self.wire(
                RowTableEditor(
                    doc,
                    [Column("text", m.LIST_KEYS[key], "text", 300, stretch=True)],
                    self,
                    row_noun="行",
                    wrap_rows=key == "duties",
                )
            )
            editor.view.horizontalHeader().setStretchLastSection(True)
            editor.setMinimumHeight(260)
            self.lists[key] = editor
            lists.addWidget(editor, width)
        lay.addLayout(lists)
        page.addWidget(box)
        page.addStretch(1)

    def refresh(self, report: m.Report | None) -> None:
        if report is None:
            return
        rid = report.id
        for edit in self.header.values():
            edit.show_row("report", rid, report)
        self.report_date.show_row("report", rid, report)
        self.actual_staff.show_row("report", rid, report)
        self.offices_note.show_row("report", rid, report)
        self.year_label.setText(f"{report.year}年度")
        self.posts.set_rows(
            [Row("staff_post", p.id, p) for p in report.posts],
            InsertSpec("staff_post", {"report_id": rid}),
        )
        total = calc.establishment_total(report)
        self.establishment.setText("" if total is None else f"{total} 人")
        self.control_rate.setText(format_percent(calc.staff_control_rate(report)))
        for key, editor in self.lists.items():
            editor.set_rows(
                [Row("list_item", item.id, item) for item in report.lists.get(key, [])],
                InsertSpec("list_item", {"report_id": rid, "list_key": key}),
            )

    def show_place(self, place: Any, detail: str = "") -> bool:
        from perfdesk_ui.locate import select_cell

        if place.entity == "lists" and place.key in self.lists:
            return select_cell(self.lists[place.key].view, place.row, "text")
        if place.entity == "posts":
            return select_cell(self.posts.view, place.row, place.field)
        return super().show_place(place, detail)
