"""The report's text: cover, inner title, the outline's sections, the 附件 list and the sign-off.

Sections follow ``report.sections`` in order and are numbered here (一、 （一） 1. （1）), never by
the clerk. Where the program writes a standard paragraph from the figures (see
:mod:`perfdesk.report.prose`) it comes first and the clerk's own text follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from perfdesk.domain.model import Report, ReportKind, Section, SectionKind
from perfdesk.domain.outline import section_level, section_numbers
from perfdesk.report import project_prose, prose
from perfdesk.report.attachments import ATTACHMENTS, attachment_list, project_forms
from perfdesk.report.styles import (
    BODY,
    CHAR,
    COVER_LINE,
    COVER_TITLE,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    HEADING,
    LEADING,
    SIGN_OFF,
    TITLE,
)
from perfdesk.report.text import TextBlock, Typesetter, balanced_breaks


def cover(ts: Typesetter, report: Report) -> list[Flowable]:
    """Two-line title, 部门（单位）名称：…（盖章） and the date; then the body pages begin."""
    if report.kind == ReportKind.PROJECT:
        title = f"{report.year}年度项目支出\n绩效自评报告"
    else:
        title = f"{report.year}年度部门（单位）整体支出\n绩效自评报告"
    return [
        Spacer(0, FRAME_HEIGHT * 0.16),
        TextBlock(ts, title, COVER_TITLE),
        Spacer(0, FRAME_HEIGHT * 0.36),
        TextBlock(ts, f"部门（单位）名称：{report.unit_name}（盖章）", COVER_LINE),
        Spacer(0, LEADING),
        TextBlock(ts, prose.report_date(report), COVER_LINE),
        NextPageTemplate("body"),
        PageBreak(),
    ]


TITLE_BREAKS = ("年度", "整体支出", "项目支出绩效自评报告", "绩效自评报告")
"""Word boundaries a title is best broken at: after 年度, before 整体支出 / 绩效自评报告."""


def inner_title(ts: Typesetter, report: Report) -> Flowable:
    """``2024年度…整体支出绩效自评报告``, broken over balanced lines when it needs more than one.

    Breaks are taken at word boundaries where they fit (``2024年度株洲市芦淞区民政局`` /
    ``整体支出绩效自评报告``), never leaving one character on a line.
    """
    text = report.title
    shaped = ts.shape(text, TITLE.role, TITLE.size)
    preferred = set()
    for word in TITLE_BREAKS:
        at = text.find(word, len(str(report.year)))
        if at > 0:
            preferred.add(at + len(word) if word == "年度" else at)
    breaks = balanced_breaks(
        shaped.chars, shaped.widths, FRAME_WIDTH - 2 * CHAR, preferred=frozenset(preferred)
    )
    for b in reversed(breaks):
        text = text[:b] + "\n" + text[b:]
    block = TextBlock(ts, text, TITLE)
    block.outline = (report.title, 0)
    return block


def _paragraphs(ts: Typesetter, texts: list[str]) -> list[Flowable]:
    return [TextBlock(ts, t, BODY) for t in texts if t.strip()]


def _generated(report: Report, section: Section) -> list[str]:
    """The standard paragraphs the program writes for this place in the outline (none empty)."""
    key = section.key
    if key == "basic.org":
        found = [prose.organisation(report)]
    elif key == "gpb.basic":
        found = prose.basic_expenditure(report)
    elif key == "gpb.project":
        found = [prose.project_expenditure(report)]
    elif key in prose.FUND_SECTION_KEYS:
        found = [prose.special_fund(report, prose.FUND_SECTION_KEYS[key])]
    elif key == "performance.projects":
        found = [prose.projects_overview(report)]
    else:
        found = []
    return [p for p in found if p.strip()]


def standard_paragraphs(report: Report, section: Section) -> list[str]:
    """What the program prints under ``section`` before the clerk's own text, in order.

    For 六（二） the numbered projects follow the overview, each as its sub-heading line
    (``（1）城乡最低生活保障``) and its paragraphs. Empty when the program writes nothing there (a
    fund section 未说明, figures not given). The window shows these beside the clerk's text. A
    project report's paragraphs come from :mod:`perfdesk.report.project_prose`.
    """
    if report.kind == ReportKind.PROJECT:
        return project_prose.generated(report, section)
    out = _generated(report, section)
    if section.key == "performance.projects":
        for item in prose.project_paragraphs(report):
            out += [item.heading, *item.paragraphs]
    return out


class _Story:
    """Collects flowables; a run of headings is kept with the first two lines that follow it.

    ReportLab's ``keepWithNext`` would carry the whole next paragraph to the next page and leave
    half a page empty; a conditional page break asks only for room for the headings and two lines.
    """

    def __init__(self) -> None:
        self.out: list[Flowable] = []
        self._headings: list[TextBlock] = []

    def heading(self, block: TextBlock) -> None:
        self._headings.append(block)

    def add(self, blocks: list[Flowable]) -> None:
        if blocks:
            self._flush(blocks[0])
        self.out += blocks

    def _flush(self, following: Flowable | None = None) -> None:
        if self._headings:
            need = sum(b.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] for b in self._headings)
            if following is not None:
                # The first lines that can stand at a page foot: a paragraph of up to three lines
                # does not split at all (no lone first or last line), a longer one leaves two.
                first = following.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1]
                need += first if first <= 3 * LEADING + 0.01 else 2 * LEADING
            self.out.append(CondPageBreak(need))
            self.out += self._headings
            self._headings = []

    def done(self) -> list[Flowable]:
        self._flush()
        return self.out


def sections(
    ts: Typesetter,
    report: Report,
    generated: Callable[[Report, Section], list[str]] = _generated,
) -> list[Flowable]:
    """Every heading of the outline with its ``generated`` paragraphs, list and text."""
    story = _Story()
    numbers = section_numbers(report.sections)
    for section, number in zip(report.sections, numbers, strict=True):
        level = section_level(section)
        heading = number + section.heading.strip()
        story.heading(
            TextBlock(
                ts,
                heading,
                HEADING[level],
                outline=(heading, level - 1) if level <= 2 else None,
            )
        )
        story.add(_paragraphs(ts, generated(report, section)))
        if section.key == "performance.projects":
            for item in prose.project_paragraphs(report):
                story.heading(TextBlock(ts, item.heading, HEADING[4]))
                story.add(_paragraphs(ts, item.paragraphs))
        if section.kind == SectionKind.LIST and section.list_key:
            items = report.list_items(section.list_key)
            story.add(
                _paragraphs(
                    ts, [f"{i}.{text.strip()}" for i, text in enumerate(items, 1) if text.strip()]
                )
            )
        story.add(_paragraphs(ts, prose.lines_of(section.text)))
    return story.done()


def attachments_note(
    ts: Typesetter, report: Report, lines: list[str] | None = None
) -> list[Flowable]:
    """附件：1. …  2. …  (under the text, one line left blank, aligned after 附件：).

    ``lines`` defaults to the department report's three attachments."""
    if lines is None:
        lines = attachment_list(report.year, project_forms=bool(project_forms(report)))
    label = "附件："
    hang = 2 * CHAR + len(label) * CHAR
    out: list[Flowable] = [Spacer(0, LEADING)]
    for i, line in enumerate(lines):
        text = (label + line) if i == 0 else line
        first = -len(label) * CHAR if i == 0 else 0.0
        out.append(
            TextBlock(ts, text, replace(BODY, align="left", left_indent=hang, first_indent=first))
        )
    return out


def sign_off(ts: Typesetter, report: Report) -> list[Flowable]:
    """The unit centred over the date, the date four characters from the right, room for the seal."""
    date = prose.report_date(report)
    d_block = TextBlock(ts, date, replace(SIGN_OFF, right_indent=4 * CHAR))
    u_block = TextBlock(ts, report.unit_name, SIGN_OFF)
    d_width = sum(d_block.shaped.widths) + max(len(date) - 1, 0) * SIGN_OFF.tracking
    u_width = sum(u_block.shaped.widths) + max(len(report.unit_name) - 1, 0) * SIGN_OFF.tracking
    right = 4 * CHAR + (d_width - u_width) / 2
    u_block = TextBlock(ts, report.unit_name, replace(SIGN_OFF, right_indent=max(right, 0.0)))
    return [Spacer(0, 2 * LEADING), u_block, d_block]


def story(
    ts: Typesetter,
    report: Report,
    builders: dict[str, Callable[[Typesetter, Report], list[Flowable]]],
) -> list[Flowable]:
    """The whole document, cover to the last attachment."""
    out = cover(ts, report)
    out.append(inner_title(ts, report))
    text = sections(ts, report)
    # The signature never stands on a page of its own (GB/T 9704 7.3.5): the last paragraph, the
    # 附件 list and the signature are kept together.
    ending = text[-1:] + attachments_note(ts, report) + sign_off(ts, report)
    out += text[:-1]
    out.append(KeepTogether(ending))
    for a in ATTACHMENTS:
        out += builders[a.key](ts, report)
    return out
