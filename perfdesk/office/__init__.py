"""Excel and Word, in and out: the attachment tables as .xlsx, the whole report as .docx, and
figures and indicator tables read back from .xlsx.

- :mod:`perfdesk.office.tables`: the attachment tables as plain data (no file format), built from
  :mod:`perfdesk.domain.calc` and :mod:`perfdesk.domain.scoring`;
- :mod:`perfdesk.office.xlsx_export` and :mod:`perfdesk.office.docx_export` write them with
  openpyxl and python-docx;
- :mod:`perfdesk.office.xlsx_import` reads a workbook into an :class:`ImportPlan`: what would
  change, cell by cell, which the caller shows and then stores in one step.

The heavy libraries are imported inside the functions that need them.
"""
