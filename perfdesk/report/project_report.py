"""The printed 项目支出绩效自评报告: cover, title, narrative, sign-off and the project's own form.

A project report (``Report.kind == PROJECT``) is one project's self-evaluation: its narrative
(the outline of ``resources/templates/national_project.json``, with the standard paragraphs of
:mod:`perfdesk.report.project_prose` under its headings) and, as its one attachment, the
project's 项目支出绩效自评表. It is set exactly like the department report — the same page
templates, type, 28 × 22 grid, heading numbering, page numbers and draft mark
(:mod:`perfdesk.report.document`, :mod:`perfdesk.report.body`) and the same fitted form
(:func:`perfdesk.report.attachments.fitted_project_form`) — only what is printed differs:

- **Cover**: ``2024年度项目支出`` / ``绩效自评报告`` in title type, then 项目名称, 项目单位（盖章）,
  主管部门 (when given) and 报告日期 as one block aligned on its colons, centred on the page.
- **Narrative**: the inner title ``2024年度城乡最低生活保障项目支出绩效自评报告`` and the outline's
  sections, numbered by the program.
- **One attachment**: GB/T 9704 writes a single attachment without a number — ``附件：2024年度
  项目支出绩效自评表`` under the text, ``附件`` over the form — and the form is followed by the
  填表人 / 填报日期 / 联系电话 / 单位负责人签字 line the department report prints under 附件1.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from perfdesk.domain.model import Project, Report
from perfdesk.report import body, project_prose, prose
from perfdesk.report.attachments import fitted_project_form, sign_line
from perfdesk.report.styles import (
    ATTACHMENT_LABEL,
    ATTACHMENT_TITLE,
    CHAR,
    COVER_LINE,
    COVER_TITLE,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    LEADING,
)
from perfdesk.report.text import TextBlock, Typesetter

STANDALONE_NEAR_FIT = 0.5
"""The report's one form is set tighter (row padding, then 小5 type) to stay on its page when it
is up to half a page too long — the department report's forms only up to a quarter: a project
report is handed in as a narrative and one form, and a form on one sheet is what is signed. A
longer form runs on to the next page with its header rows and labels repeated."""

ATTACHMENT_LABEL_TEXT = "附件"
"""A single attachment has no number (GB/T 9704-2012 7.3.4)."""


def form_title(report: Report) -> str:
    """``2024年度项目支出绩效自评表``: the attachment's title, in the 附件 note and over the form."""
    return f"{report.year}年度项目支出绩效自评表"


def cover_lines(report: Report) -> list[tuple[str, str]]:
    """The cover's ``label：value`` lines; a value not given is left out, except 项目单位 and the
    date, which keep room to be filled in by hand."""
    project = project_prose.the_project(report)
    name = project.name.strip() if project is not None else ""
    supervisor = ((project.supervisor if project else "") or report.supervisor).strip()
    lines = []
    if name:
        lines.append(("项目名称", name))
    lines.append(("项目单位", f"{report.unit_name.strip()}（盖章）"))
    if supervisor and supervisor != report.unit_name.strip():
        lines.append(("主管部门", supervisor))
    lines.append(("报告日期", prose.report_date(report)))
    return lines


def cover(ts: Typesetter, report: Report) -> list[Flowable]:
    """Title, the project's facts as one block aligned on its colons; then the body pages begin."""
    lines = [f"{label}：{value}" for label, value in cover_lines(report)]
    widest = max(
        sum(ts.shape(line, COVER_LINE.role, COVER_LINE.size).widths)
        + (len(line) - 1) * COVER_LINE.tracking
        for line in lines
    )
    hang = 5 * CHAR  # 项目名称： — a long name wraps under itself, not under the label
    left = max((FRAME_WIDTH - min(widest, FRAME_WIDTH - 4 * CHAR)) / 2, 0.0)
    style = replace(COVER_LINE, align="left", left_indent=left + hang, first_indent=-hang)
    out: list[Flowable] = [
        Spacer(0, FRAME_HEIGHT * 0.16),
        TextBlock(ts, f"{report.year}年度项目支出\n绩效自评报告", COVER_TITLE),
        Spacer(0, FRAME_HEIGHT * 0.30),
    ]
    for line in lines:
        out += [TextBlock(ts, line, style), Spacer(0, LEADING / 2)]
    out += [NextPageTemplate("body"), PageBreak()]
    return out


def attachment_note(ts: Typesetter, report: Report) -> list[Flowable]:
    """``附件：2024年度项目支出绩效自评表`` under the text (one attachment: no number)."""
    return body.attachments_note(ts, report, [form_title(report)])


def form_pages(ts: Typesetter, report: Report, project: Project) -> list[Flowable]:
    """``附件`` top left, the title on line 3, the fitted form and the signature line under it."""
    title = form_title(report)
    out: list[Flowable] = [
        PageBreak(),
        TextBlock(ts, ATTACHMENT_LABEL_TEXT, ATTACHMENT_LABEL, outline=(f"附件 {title}", 0)),
        Spacer(0, LEADING),
        TextBlock(ts, title, ATTACHMENT_TITLE, keep_with_next=True),
    ]
    ending = [Spacer(0, 6), sign_line(ts, report)]
    used = sum(b.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] for b in out[1:] + ending)
    room = FRAME_HEIGHT - used - ATTACHMENT_TITLE.space_after
    out += fitted_project_form(ts, report, project, room, STANDALONE_NEAR_FIT)
    return out + ending


def story(ts: Typesetter, report: Report) -> list[Flowable]:
    """The whole project report, cover to the form."""
    out = cover(ts, report)
    out.append(body.inner_title(ts, report))
    text = body.sections(ts, report, project_prose.generated)
    # The signature is never alone on a page (GB/T 9704 7.3.5): the last paragraph, the 附件
    # note and the signature stay together.
    ending = text[-1:] + attachment_note(ts, report) + body.sign_off(ts, report)
    out += text[:-1]
    out.append(KeepTogether(ending))
    project = project_prose.the_project(report)
    if project is not None:
        out += form_pages(ts, report, project)
    return out
