"""报告正文's outline as the clerk edits it: add, rename, remove, move, indent sections.

Reports of other units use other outlines, so the outline is data: every section is a row
(``section``) with its heading, level and kind (text or a numbered list). Each change here is one
undo step through the usual commands (insert, delete, move, set fields). Numbers (一、 （一） 1.)
are the program's, worked out exactly as the printout works them out; the clerk edits headings
only. A section the program writes a standard paragraph for (机构设置, 基本支出…) is known by its
``key``, which stays with it when it is renamed or moved, and comes back with it when it is added
again from the default outline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from perfdesk_ui.commands import DeleteRows, InsertRows, MoveRow, SetFields
from perfdesk_ui.report_dialogs import ask
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain import model as m
from perfdesk.domain.outline import section_level, section_numbers

MAX_LEVEL = 3
LEVEL_LABELS = {
    1: "一级标题（一、二、…）",
    2: "二级标题（（一）（二）…）",
    3: "三级标题（1. 2. …）",
}


def numbered_headings(sections: list[m.Section]) -> list[str]:
    """The outline as listed: indented by level, numbered as printed (一、… 　　（一）…)."""
    return [
        "　　" * (section_level(s) - 1) + number + s.heading
        for s, number in zip(sections, section_numbers(sections), strict=True)
    ]


def template_outline(report: m.Report) -> list[m.Section]:
    """The outline of the report's template (the Hunan department template by default)."""
    from perfdesk.domain.templates import DEFAULT_TEMPLATE, PROJECT_TEMPLATE, load_template

    fallback = PROJECT_TEMPLATE if report.kind == m.ReportKind.PROJECT else DEFAULT_TEMPLATE
    try:
        return load_template(report.template or fallback).outline()
    except KeyError:
        return load_template(fallback).outline()


def section_values(section: m.Section) -> dict[str, Any]:
    """A section as the values of a new ``section`` row."""
    return {
        "key": section.key,
        "heading": section.heading,
        "level": section.level,
        "kind": section.kind,
        "list_key": section.list_key,
        "text": section.text,
    }


def free_key(report: m.Report, wanted: str = "") -> str:
    """``wanted`` if no section has it yet, else ``custom.N`` (keys are unique in a report)."""
    used = {s.key for s in report.sections}
    if wanted and wanted not in used:
        return wanted
    n = 1
    while f"custom.{n}" in used:
        n += 1
    return f"custom.{n}"


@dataclass(frozen=True)
class SectionChoice:
    """What a new section holds: the clerk's text, a list, or a section of the default outline."""

    label: str
    kind: m.SectionKind = m.SectionKind.TEXT
    list_key: str = ""
    template: m.Section | None = None


def section_choices(report: m.Report) -> list[SectionChoice]:
    """正文, each list no section prints yet, and each default section the outline lacks."""
    used_lists = {s.list_key for s in report.sections if s.kind == m.SectionKind.LIST}
    keys = {s.key for s in report.sections}
    choices = [SectionChoice("正文（自己撰写的文字）")]
    for key, name in m.LIST_KEYS.items():
        if key not in used_lists:
            choices.append(
                SectionChoice(f"列表：{name}（每行一条，自动编号）", m.SectionKind.LIST, key)
            )
    for s in template_outline(report):
        if s.key not in keys:
            choices.append(
                SectionChoice(f"默认提纲中的章节：{s.heading}", s.kind, s.list_key, template=s)
            )
    return choices


class AddSectionDialog(QDialog):
    """添加章节: heading (empty), level, and what the section holds; inserted after ``after``."""

    def __init__(
        self, parent: QWidget | None, report: m.Report, level: int, after: str | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("添加章节")
        self.setMinimumWidth(480)
        self.report = report
        self.choices = section_choices(report)
        layout = QVBoxLayout(self)
        where = f"新章节插在“{after}”之后。" if after else "新章节放在正文的开头。"
        intro = QLabel(where + "编号由程序按层级自动排，不用输入。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.content = QComboBox()
        for c in self.choices:
            self.content.addItem(c.label)
        self.content.setAccessibleName("内容")
        self.heading = QLineEdit()
        self.heading.setPlaceholderText("如：部门整体支出绩效评价结论")
        self.heading.setAccessibleName("标题")
        self.level = QComboBox()
        for lv in range(1, MAX_LEVEL + 1):
            self.level.addItem(LEVEL_LABELS[lv], lv)
        self.level.setCurrentIndex(min(max(level, 1), MAX_LEVEL) - 1)
        self.level.setAccessibleName("层级")
        form.addRow("标题", self.heading)
        form.addRow("层级", self.level)
        form.addRow("内容", self.content)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00000;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("添加")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.content.currentIndexChanged.connect(self._content_chosen)
        self.heading.setFocus()
        self.values: dict[str, Any] | None = None

    def _content_chosen(self, index: int) -> None:
        choice = self.choices[index]
        if choice.template is not None:
            self.heading.setText(choice.template.heading)
            self.level.setCurrentIndex(min(max(choice.template.level, 1), MAX_LEVEL) - 1)
        elif choice.kind == m.SectionKind.LIST and not self.heading.text().strip():
            self.heading.setText(m.LIST_KEYS[choice.list_key])
        self.heading.selectAll()  # typing replaces a heading filled in from the choice
        self.heading.setFocus()

    def _accept(self) -> None:
        heading = self.heading.text().strip()
        if not heading:
            self.error.setText("请填写标题")
            self.heading.setFocus()
            return
        choice = self.choices[self.content.currentIndex()]
        if choice.template is not None:
            key = free_key(self.report, choice.template.key)
        elif choice.kind == m.SectionKind.LIST:
            defaults = [
                s.key for s in template_outline(self.report) if s.list_key == choice.list_key
            ]
            key = free_key(self.report, defaults[0] if defaults else f"list.{choice.list_key}")
        else:
            key = free_key(self.report)
        self.values = {
            "key": key,
            "heading": heading,
            "level": int(self.level.currentData()),
            "kind": choice.kind,
            "list_key": choice.list_key,
            "text": "",
        }
        self.accept()


class OutlineStep(SetFields):
    """A change of one section's level: its own undo step, never merged with the next."""

    def id(self) -> int:
        return -1


class OutlineList(QListWidget):
    """The numbered outline; Delete removes, F2 renames, Ctrl+↑/↓ move, Ctrl+←/→ change level."""

    key_action = Signal(str)

    def keyPressEvent(self, event: Any) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        action = {
            Qt.Key.Key_Delete: "delete",
            Qt.Key.Key_F2: "rename",
        }.get(key)
        if ctrl:
            action = {
                Qt.Key.Key_Up: "up",
                Qt.Key.Key_Down: "down",
                Qt.Key.Key_Left: "outdent",
                Qt.Key.Key_Right: "indent",
            }.get(key, action)
        if action is not None:
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)


class OutlineEditor(QWidget):
    """The outline list with its buttons; tells the tab which section to show or rename."""

    message = Signal(str)
    chosen = Signal(int)  # a section to select (just added)
    rename_requested = Signal()

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.report: m.Report | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        title = QLabel("提纲（编号自动）")
        layout.addWidget(title)
        bars = [QHBoxLayout(), QHBoxLayout()]  # two rows: the pane is narrow beside the text
        self.buttons: dict[str, QToolButton] = {}
        for i, (key, text, tip) in enumerate(
            (
                ("add", "添加章节…", "在选中章节之后添加一个章节"),
                ("rename", "改标题", "修改选中章节的标题（F2）"),
                ("delete", "删除", "删除选中的章节（Delete；可撤销）"),
                ("up", "上移", "把选中章节上移一位（Ctrl+↑）"),
                ("down", "下移", "把选中章节下移一位（Ctrl+↓）"),
                ("outdent", "← 升级", "改为上一级标题，如（一）→ 一、（Ctrl+←）"),
                ("indent", "降级 →", "改为下一级标题，如 一、→（一）（Ctrl+→）"),
            )
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _c=False, k=key: self.act(k))
            self.buttons[key] = button
            bars[0 if i < 3 else 1].addWidget(button)
        for bar in bars:
            bar.setSpacing(3)
            bar.addStretch(1)
            layout.addLayout(bar)
        self.list = OutlineList(self)
        self.list.key_action.connect(self.act)
        self.list.itemDoubleClicked.connect(lambda _item: self.act("rename"))
        layout.addWidget(self.list, 1)
        self.empty = QWidget(self)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.setContentsMargins(4, 4, 4, 4)
        self.empty_label = QLabel(
            "本报告的正文还没有任何章节：打印时只有封面、标题、落款和附件表。\n\n"
            "点“添加章节…”逐个添加，或用下面的按钮一次放入默认提纲的全部章节。"
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #7a4b00;")
        empty_layout.addWidget(self.empty_label)
        self.use_default = QPushButton("使用默认提纲")
        self.use_default.clicked.connect(self.insert_default_outline)
        empty_layout.addWidget(self.use_default)
        empty_layout.addStretch(1)
        layout.addWidget(self.empty)
        self.empty.hide()

    # --- showing ---------------------------------------------------------------------------------

    def show_report(self, report: m.Report | None, current_id: int | None) -> None:
        """List ``report``'s outline and keep ``current_id`` selected (signals blocked)."""
        self.report = report
        sections = report.sections if report is not None else []
        labels = numbered_headings(sections)
        if self.list.count() != len(labels) or any(
            self.list.item(i).text() != t for i, t in enumerate(labels)
        ):
            self.list.blockSignals(True)
            self.list.clear()
            for text in labels:
                QListWidgetItem(text, self.list)
            self.list.blockSignals(False)
        rows = [i for i, s in enumerate(sections) if s.id == current_id]
        if rows and self.list.currentRow() != rows[0]:
            self.list.blockSignals(True)
            self.list.setCurrentRow(rows[0])
            self.list.blockSignals(False)
        empty = report is not None and not sections
        self.empty.setVisible(empty)
        self.list.setVisible(not empty)
        self.update_buttons()

    def update_buttons(self) -> None:
        section, row = self.current()
        has_report = self.report is not None
        count = len(self.report.sections) if self.report is not None else 0
        self.buttons["add"].setEnabled(has_report)
        for key in ("rename", "delete"):
            self.buttons[key].setEnabled(section is not None)
        self.buttons["up"].setEnabled(section is not None and row > 0)
        self.buttons["down"].setEnabled(section is not None and row < count - 1)
        self.buttons["outdent"].setEnabled(section is not None and section.level > 1)
        self.buttons["indent"].setEnabled(section is not None and section.level < MAX_LEVEL)
        if self.report is not None:
            template = (
                "项目支出绩效自评报告" if self.report.kind == m.ReportKind.PROJECT else "湖南省"
            )
            self.use_default.setText(f"使用默认提纲（{template}模板）")

    def current(self) -> tuple[m.Section | None, int]:
        row = self.list.currentRow()
        if self.report is None or not 0 <= row < len(self.report.sections):
            return None, -1
        return self.report.sections[row], row

    # --- editing ---------------------------------------------------------------------------------

    def act(self, action: str) -> None:
        """Do one of the buttons' actions on the selected section."""
        if self.report is None:
            return
        if action == "add":
            self.add_section()
            return
        section, row = self.current()
        if section is None:
            self.message.emit("请先在提纲中选中一个章节")
            return
        if action == "rename":
            self.rename_requested.emit()
        elif action == "delete":
            self.delete_section(section)
        elif action in ("up", "down"):
            target = row + (-1 if action == "up" else 1)
            if 0 <= target < len(self.report.sections):
                self.doc.run(
                    MoveRow(self.doc, "section", section.id, target, f"移动章节“{section.heading}”")
                )
                self.chosen.emit(section.id)
        elif action in ("outdent", "indent"):
            level = section.level + (-1 if action == "outdent" else 1)
            if 1 <= level <= MAX_LEVEL:
                self.doc.run(
                    OutlineStep(
                        self.doc,
                        "section",
                        section.id,
                        {"level": level},
                        f"章节“{section.heading}”改为{LEVEL_LABELS[level][:4]}",
                    )
                )
                self.chosen.emit(section.id)
        self.update_buttons()

    def add_section(self) -> int | None:
        """添加章节…: ask heading, level and content; insert after the selected section."""
        assert self.report is not None
        section, row = self.current()
        after = numbered_headings(self.report.sections)[row].strip() if section else None
        dialog = AddSectionDialog(self, self.report, section.level if section else 1, after)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.values is None:
            return None
        return self.insert_section(row + 1, dialog.values)

    def insert_section(self, position: int, values: dict[str, Any]) -> int | None:
        assert self.report is not None
        command = InsertRows(
            self.doc,
            "section",
            {"report_id": self.report.id},
            position,
            [values],
            f"添加章节“{values['heading']}”",
        )
        if not self.doc.run(command):
            return None
        self.chosen.emit(command.ids[0])
        self.message.emit(f"已添加章节“{values['heading']}”（可撤销）")
        return command.ids[0]

    def delete_section(self, section: m.Section) -> bool:
        """删除 a section; one with text or a list asks first. Undo brings it back as it was."""
        assert self.report is not None
        kept = []
        if section.text.strip():
            kept.append(f"正文 {len(section.text.strip())} 字")
        if section.kind == m.SectionKind.LIST and self.report.lists.get(section.list_key):
            kept.append(f"列表“{m.LIST_KEYS.get(section.list_key, section.list_key)}”")
        if kept and not ask(
            self,
            "删除章节",
            f"要删除章节“{section.heading}”吗？",
            f"这个章节有{'和'.join(kept)}。删除后不再打印；"
            "可以用“撤销”（Ctrl+Z）恢复。列表的条目仍保留在报告中，再添加这个列表的章节时会重新出现。",
            "删除",
        ):
            return False
        done = self.doc.run(
            DeleteRows(self.doc, "section", [section.id], f"删除章节“{section.heading}”")
        )
        if done:
            self.message.emit(f"已删除章节“{section.heading}”（可撤销）")
        return done

    def insert_default_outline(self) -> int:
        """Put in every section of the default outline the report lacks (one undo step)."""
        if self.report is None:
            return 0
        keys = {s.key for s in self.report.sections}
        rows = [section_values(s) for s in template_outline(self.report) if s.key not in keys]
        if not rows:
            self.message.emit("默认提纲的章节都已在提纲中")
            return 0
        command = InsertRows(
            self.doc,
            "section",
            {"report_id": self.report.id},
            len(self.report.sections),
            rows,
            "使用默认提纲",
        )
        if self.doc.run(command):
            self.chosen.emit(command.ids[0])
            self.message.emit(f"已放入默认提纲的 {len(rows)} 个章节（可撤销）")
            return len(rows)
        return 0
