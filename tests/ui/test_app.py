"""Start-up and the print preview."""

from __future__ import annotations

from perfdesk_ui.pdfbuild import builder


def test_first_run_opens_the_default_database(qtbot, tmp_path, monkeypatch):
    from perfdesk_ui.app import application, create_window

    from perfdesk.services import default_db_path

    application()
    window = create_window(None)
    qtbot.addWidget(window)
    assert default_db_path().exists()
    assert window.doc is not None
    window.close()


def test_preview_shows_the_real_pdf_of_the_sample(qtbot, sample_window):
    """The 打印预览 tab shows the PDF the builder makes: as many pages as the PDF file has."""
    import io

    from perfdesk_ui.pdfbuild import build_pdf_bytes
    from pypdf import PdfReader

    assert builder() is not None, "this installation should include perfdesk.report.build_pdf"
    preview = sample_window.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000) as blocker:
        sample_window.show_preview()
    pages = len(PdfReader(io.BytesIO(build_pdf_bytes(sample_window.doc.report))).pages)
    assert pages > 1  # the sample report runs over several pages
    assert blocker.args[0] == pages and preview.page_count() == pages
    assert f"共 {pages} 页" in preview.status.text()  # the sheets a printer prints
    assert preview.pages_label.text() == f"/ {pages - 1} 页"  # the last printed 页码: no cover
    # page 1 really renders (not a blank document)
    image = preview.pdf_document.render(0, preview.pdf_document.pagePointSize(0).toSize())
    assert not image.isNull() and image.width() > 0
