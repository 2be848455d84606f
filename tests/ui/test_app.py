"""Start-up and the print preview."""

from __future__ import annotations

from ui.pdfbuild import BUILDER_MISSING, builder


def test_first_run_opens_the_default_database(qtbot, tmp_path, monkeypatch):
    from perfdesk.services import default_db_path
    from ui.app import application, create_window

    application()
    window = create_window(None)
    qtbot.addWidget(window)
    assert default_db_path().exists()
    assert window.doc is not None
    window.close()


def test_preview_shows_the_pdf_or_says_why_not(qtbot, window):
    window.show_preview()
    preview = window.preview
    if builder() is None:
        qtbot.waitUntil(lambda: preview.placeholder.text() == BUILDER_MISSING, timeout=3000)
        return
    with qtbot.waitSignal(preview.rendered, timeout=20000) as blocker:
        pass
    assert blocker.args[0] > 0 and preview.page_count() > 0
