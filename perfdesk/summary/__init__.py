"""自评汇总: many units' self-evaluations gathered, checked and summarised in one place.

The 主管部门 (and the finance bureau) gathers the 部门整体支出绩效自评报告 of all its units, checks
them and hands in a 自评汇总表 with a 自评结果汇总分析报告. This package is that second job:

- :mod:`~perfdesk.summary.gather` imports a whole folder of exchange files, one result per file;
- :mod:`~perfdesk.summary.units` reads one unit's line from its report (:class:`UnitFacts`);
- :mod:`~perfdesk.summary.table` puts a year's units together (:class:`Summary`), with totals and
  averages that say over how many units they were taken (blank is not zero);
- :mod:`~perfdesk.summary.checks` is the cross-unit 审核 (missing, duplicate, open 错误…);
- :mod:`~perfdesk.summary.names` decides when two unit names are the same unit;
- :mod:`~perfdesk.summary.analysis` writes the 汇总分析 draft the clerk edits;
- :mod:`~perfdesk.summary.xlsx` writes the summary as a workbook (the PDF is
  :mod:`perfdesk.report.summary`).

Only department reports (``ReportKind.DEPARTMENT``) are units; a unit's 项目支出绩效自评报告 are
counted with its project forms. The shipped sample report is never part of a summary. The
database side (the 应报单位 list, each year's 汇总分析, the 说明, the cache of unit rows) is reached
through :class:`perfdesk.services.Workspace`.
"""

from perfdesk.summary.table import COLUMNS, Figure, Summary, UnitRow, build_summary
from perfdesk.summary.units import UnitFacts, facts_of

__all__ = ["COLUMNS", "Figure", "Summary", "UnitFacts", "UnitRow", "build_summary", "facts_of"]
