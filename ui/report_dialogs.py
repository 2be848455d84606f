"""Managing the reports of a database in the window: new, correct unit/year, delete, next year.

The dialogs ask only what the clerk must decide and pre-fill nothing that typing could append to
by accident: a pre-filled field has its text selected, so the first key replaces it. Every
refusal is said in the dialog itself (red line under the fields), in terms of the window's own
menus — never of command-line options.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from perfdesk_ui.commands import SetFields
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain.numbers import InputError, parse_count

UNIT_LEVELS = ("省级", "市级", "县级", "区级", "乡镇")
"""What 预算部门级次 usually is (printed before 预算部门（单位）名称 in 附件1); free text too."""

WHERE_IT_IS = (
    "可以在工具栏的“报告”列表中切换到它查看；若它是多余的，可以先删除它（报告 → 删除报告…）再重试。"
)
"""What the clerk can do about a report that is already there, said in the window's terms."""

ERROR_STYLE = "color: #b00000;"


def default_year() -> int:
    """The year a new report is most likely for: last year (reports are written after it ends)."""
    return time.localtime().tm_year - 1


def parse_year(text: str) -> int:
    """A year as typed (full-width digits too); refused in Chinese outside 2000–2100."""
    from perfdesk.services import YEAR_RANGE

    shown = text.strip()
    if not shown:
        raise InputError("请填写年度，如 2025")
    try:
        year = parse_count(text, what="年度")
    except InputError:
        year = None
    if year is None or year not in YEAR_RANGE:
        raise InputError(
            f"年度“{shown}”不合理：应为 {YEAR_RANGE.start}–{YEAR_RANGE.stop - 1} 之间的四位数年份"
        )
    return year


def report_label(report: Any) -> str:
    """How the report switcher names a report: ``2024年度 某单位`` (+ project, + （示例））."""
    from perfdesk.domain import model as m

    what = f"{report.year}年度 {report.unit_name}"
    if report.kind == m.ReportKind.PROJECT:
        what += f" · {report.project_name or '（未命名项目）'}项目"
    return what + ("（示例）" if report.is_sample else "")


def duplicate_message(exc: Exception) -> str:
    """The service's "已有…（编号 N）" followed by what to do about it in the window."""
    return f"{exc}。\n{WHERE_IT_IS}"


class _IdentityDialog(QDialog):
    """Unit name and year, checked when the clerk presses the main button.

    ``check(unit, year)`` returns a Chinese reason the pair cannot be used (a report with this
    unit and year exists) or ``None``; the dialog stays open with the reason shown.
    """

    accept_text = "确定"

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        unit_name: str,
        year: int | None,
        check: Callable[[str, int], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.check = check
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.unit_name = QLineEdit(unit_name)
        self.unit_name.setPlaceholderText("单位全称，如：某某市某某区民政局")
        self.unit_name.setAccessibleName("单位名称")
        self.year = QLineEdit("" if year is None else str(year))
        self.year.setPlaceholderText("四位数年份，如 2025")
        self.year.setMaximumWidth(120)
        self.year.setAccessibleName("年度")
        self.form.addRow("单位名称", self.unit_name)
        self.form.addRow("年度", self.year)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.accept_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Whatever is pre-filled is selected, so typing replaces it instead of appending.
        self.unit_name.selectAll()
        self.unit_name.setFocus()
        self.unit_name.textEdited.connect(lambda _t: self.error.setText(""))
        self.year.textEdited.connect(lambda _t: self.error.setText(""))
        self.values: tuple[str, int] | None = None

    def _refuse(self, message: str, field: QLineEdit) -> None:
        self.error.setText(message)
        self.adjustSize()  # room for the whole reason (it may run to three lines)
        field.setFocus()
        field.selectAll()

    def _accept(self) -> None:
        unit = self.unit_name.text().strip()
        if not unit:
            self._refuse("请填写单位名称", self.unit_name)
            return
        try:
            year = parse_year(self.year.text())
        except InputError as exc:
            self._refuse(str(exc), self.year)
            return
        reason = self.check(unit, year) if self.check is not None else None
        if reason:
            self._refuse(reason, self.unit_name)
            return
        self.values = (unit, year)
        self.accept()


KIND_INTROS = {
    "department": "为一个单位的一个年度新建一份空白的部门（单位）整体支出绩效自评报告。"
    "提纲、指标体系和分值按湖南省模板排好，之后都可以修改。",
    "project": "为一个项目新建一份空白的项目支出绩效自评报告：正文和一张项目支出绩效自评表"
    "（指标体系和分值按财政部模板排好，之后都可以修改）。已录入的部门报告中的项目，"
    "可在该报告的“项目”页选中后直接创建。",
}


class NewReportDialog(_IdentityDialog):
    """新建报告: the kind, unit name (empty), year (last year, selected when reached), then
    预算部门级次 (a department report) or 项目名称 (a project report)."""

    accept_text = "创建"

    def __init__(
        self,
        parent: QWidget | None,
        *,
        unit_name: str = "",
        year: int | None = None,
        level: str = "",
        check: Callable[[str, int], str | None] | None = None,
        file_note: str = "",
    ) -> None:
        self.file_note = file_note
        super().__init__(
            parent, "新建报告", "", unit_name, default_year() if year is None else year, check
        )
        self.kind = QComboBox()
        self.kind.addItem("部门（单位）整体支出绩效自评报告", "department")
        self.kind.addItem("项目支出绩效自评报告", "project")
        self.kind.setAccessibleName("报告类别")
        self.form.insertRow(0, "报告类别", self.kind)
        self.project = QLineEdit()
        self.project.setPlaceholderText("如：高龄补贴")
        self.project.setAccessibleName("项目名称")
        self.project.textEdited.connect(lambda _t: self.error.setText(""))
        self.form.addRow("项目名称", self.project)
        self.level = QComboBox()
        self.level.setEditable(True)
        self.level.addItems(list(UNIT_LEVELS))
        self.level.setCurrentText(level)
        self.level.setAccessibleName("预算部门级次")
        self.level.setToolTip("印在附件1“预算部门（单位）名称”之前，如“市级”“县级”；可直接输入")
        self.form.addRow("预算部门级次", self.level)
        if self.level.lineEdit() is not None:
            self.level.lineEdit().selectAll()
        # The year field is reached with Tab; its pre-filled year is then selected by Qt.
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.unit_name.setFocus()

    def _kind_changed(self, *_: Any) -> None:
        project = self.report_kind == "project"
        self.form.setRowVisible(self.level, not project)
        self.form.setRowVisible(self.project, project)
        self.intro.setText(
            KIND_INTROS[self.report_kind] + (f"\n{self.file_note}" if self.file_note else "")
        )
        self.error.setText("")

    @property
    def unit_level(self) -> str:
        return self.level.currentText().strip()

    @property
    def report_kind(self) -> str:
        """``department`` or ``project`` (the values of ``perfdesk.domain.model.ReportKind``)."""
        return str(self.kind.currentData())

    @property
    def project_name(self) -> str:
        return self.project.text().strip() if self.report_kind == "project" else ""

    def probe(self) -> Any:
        """The report as chosen so far (kind and project), to look for one already there."""
        from perfdesk.domain import model as m

        kind = m.ReportKind(self.report_kind)
        projects = [m.Project(self.project_name)] if kind == m.ReportKind.PROJECT else []
        return m.Report("", 0, kind=kind, projects=projects)

    def _accept(self) -> None:
        if self.report_kind == "project" and not self.project_name:
            self._refuse("请填写项目名称", self.project)
            return
        super()._accept()


class RenameReportDialog(_IdentityDialog):
    """改正单位名称/年度 of the open report (its figures and texts stay as they are)."""

    accept_text = "改正"

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        unit_name: str,
        year: int,
        check: Callable[[str, int], str | None] | None = None,
    ) -> None:
        super().__init__(
            parent,
            "改正单位名称/年度",
            f"改正报告“{label}”的单位名称或年度。报告中的数字和文字不变；改正后可以撤销（Ctrl+Z）。",
            unit_name,
            year,
            check,
        )


class RenameReport(SetFields):
    """改正单位名称/年度 as one undo step (never merged with an edit of the 单位名称 field)."""

    def __init__(self, doc: Any, report_id: int, unit_name: str, year: int) -> None:
        super().__init__(
            doc, "report", report_id, {"unit_name": unit_name, "year": year}, "改正单位名称/年度"
        )

    def id(self) -> int:
        return -1  # not mergeable


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str,
    yes: str,
    no: str = "取消",
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> bool:
    """A question with two plainly named buttons; the safe one (``no``) is the default."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setInformativeText(informative)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def confirm_delete(parent: QWidget | None, label: str, only_one: bool) -> bool:
    """删除报告: say what happens and how to get the report back; 取消 is the default."""
    after = "删除后数据库中没有报告，程序回到开始页。" if only_one else ""
    return ask(
        parent,
        "删除报告",
        f"要删除报告“{label}”吗？",
        "删除前会先把整个数据库做一份经过校验的备份（“删除报告前备份”）。"
        f"{after}\n\n删除后要找回这份报告：\n"
        "· 在本次打开期间：报告 → 撤销删除报告；\n"
        "· 任何时候：文件 → 恢复备份…，选“删除报告前备份”（恢复会让整个数据库回到删除之前）。",
        "删除",
        icon=QMessageBox.Icon.Warning,
    )


def confirm_next_year(parent: QWidget | None, label: str, year: int) -> bool:
    return ask(
        parent,
        "从上年报告创建",
        f"以“{label}”为底稿创建{year}年度的报告吗？",
        "结构、名单、项目、指标体系和文字沿用；本年决算（执行）数移入“上年决算数”列，"
        f"{year}年度的数字、得分和实际完成情况留空待填。原报告不变。",
        "创建",
    )


def existing_report_choice(
    parent: QWidget | None, title: str, message: str, informative: str, actions: list[str]
) -> str | None:
    """A report with this unit and year exists: let the clerk pick one of ``actions`` or 取消."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setInformativeText(informative)
    buttons: dict[QPushButton, str] = {}
    for text in actions:
        buttons[box.addButton(text, QMessageBox.ButtonRole.AcceptRole)] = text
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return buttons.get(box.clickedButton())  # type: ignore[arg-type]
