"""The start page (a database with no report, or a file not made yet) and the sample banner.

A database without a report never shows the editor tabs: their empty fields look editable, yet
there is no report to store what is typed. The start page offers the three ways in instead —
新建报告, 从交换文件导入, 打开示例报告 — and, for ``perfdesk --db NEW.db`` on a path that does not
exist yet, says that the file is made only with the first report.

The banner sits above the tabs while the shipped sample is open, so nobody takes the published
report of 株洲市芦淞区民政局 for their own, and offers the way to start one's own and to remove it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

BANNER_STYLE = "QFrame#sampleBanner { background: #fff4c2; border-bottom: 1px solid #e0c860; }"


class StartPage(QWidget):
    """What the window shows when there is no report to edit."""

    new_report = Signal()
    import_file = Signal()
    open_sample = Signal()
    open_database = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(14)
        self.title = QLabel("")
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.title.setWordWrap(True)
        column.addWidget(self.title)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #404040; font-size: 14px;")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.note)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, detail, signal in (
            (
                "new",
                "新建报告…",
                "为本单位的一个年度新建空白报告（湖南省模板），从“机构与人员”开始填写。",
                self.new_report,
            ),
            (
                "import",
                "从交换文件导入…",
                "读入别处导出的 JSON 交换文件（如另一台电脑上的报告）。",
                self.import_file,
            ),
            (
                "sample",
                "打开示例报告",
                "2024年度 株洲市芦淞区民政局（已公开的真实报告），用于熟悉程序；可随时删除。",
                self.open_sample,
            ),
            (
                "database",
                "打开其他数据库…",
                "报告保存在别的数据库文件中时使用。",
                self.open_database,
            ),
        ):
            row = QHBoxLayout()
            button = QPushButton(text)
            button.setMinimumWidth(170)
            button.setMinimumHeight(34)
            button.clicked.connect(signal)
            self.buttons[key] = button
            row.addWidget(button)
            label = QLabel(detail)
            label.setWordWrap(True)
            label.setStyleSheet("color: #505050;")
            row.addWidget(label, 1)
            column.addLayout(row)
        self.buttons["new"].setDefault(True)
        self.message = QLabel("")  # e.g. what was just deleted and how to get it back
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #205020;")
        column.addWidget(self.message)
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addLayout(column, 3)
        holder.addStretch(1)
        outer.addLayout(holder)
        outer.addStretch(2)

    def show_state(
        self, *, path: Path | None, exists: bool, has_database: bool, message: str = ""
    ) -> None:
        """Say where the reports will be stored; ``exists`` False: the file is not made yet."""
        if not has_database and path is None:
            self.title.setText("没有打开数据库")
            self.note.setText("请打开一个数据库文件，或新建一个。")
        elif not exists:
            self.title.setText("开始：新建您的第一份报告")
            self.note.setText(
                f"数据库文件“{path}”还不存在。新建第一份报告（或导入、打开示例报告）时才会创建它；"
                "在此之前不会写入任何文件。"
            )
        else:
            self.title.setText("开始：这个数据库中还没有报告")
            self.note.setText(f"数据库文件：{path}\n每次修改都立即保存到这个文件，无需手动保存。")
        can_add = has_database or (path is not None)
        for key in ("new", "import", "sample"):
            self.buttons[key].setEnabled(can_add)
        self.message.setText(message)


class SampleBanner(QFrame):
    """A yellow strip above the tabs while the shipped sample report is open."""

    new_report = Signal()
    delete_sample = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sampleBanner")
        self.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        self.text = QLabel(
            "<b>这是示例报告</b>（2024年度 株洲市芦淞区民政局，已公开的真实报告，保留了原文的错误），"
            "用于熟悉程序。开始填写本单位的报告请点“新建报告”。"
        )
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.new_button = QPushButton("新建报告…")
        self.new_button.clicked.connect(self.new_report)
        row.addWidget(self.new_button)
        self.delete_button = QPushButton("删除示例报告…")
        self.delete_button.clicked.connect(self.delete_sample)
        row.addWidget(self.delete_button)
