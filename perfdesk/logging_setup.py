"""The log file: where maintainers find what happened, never what the clerk has to read.

One rotating file (``perfdesk.log``, 1 MB × 5) in the user's log folder — ``perfdesk.system``'s
``user_log_dir`` (``%LOCALAPPDATA%\\perfdesk\\Logs`` on Windows, ``~/.local/state/perfdesk/log``
on Linux) or ``PERFDESK_LOG_DIR`` when set (tests set it, or the isolated XDG folders, so no test
writes into the real one). Unhandled exceptions — in the main thread and in other threads — are
written there with their traceback before anything else happens to them.

Call :func:`setup_logging` once at start-up (``perfdesk.cli.main`` and ``perfdesk_ui.app.run``); it is safe
to call again. The UI adds its dialog on top with ``perfdesk_ui.safety.install_excepthook``.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path
from types import TracebackType

LOG_FILENAME = "perfdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"

_handler: logging.Handler | None = None


def log_dir() -> Path:
    override = os.environ.get("PERFDESK_LOG_DIR")
    if override:
        return Path(override)
    from perfdesk.system import user_log_dir

    return user_log_dir()


LOGGERS = ("perfdesk", "perfdesk_ui")
"""The loggers written to the file: the core's and the window's (``perfdesk_ui`` is no child of
``perfdesk`` in logging's dotted names)."""


def log_file() -> Path:
    """Where the log is written (also when logging has not been set up yet)."""
    if isinstance(_handler, logging.FileHandler):
        return Path(_handler.baseFilename)
    return log_dir() / LOG_FILENAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log perfdesk's messages to the rotating file and log unhandled exceptions.

    Returns the log file, or ``None`` when it cannot be written (then nothing is logged to a file
    and the program runs on: a missing log must never stop the clerk's work).
    """
    global _handler
    logger = logging.getLogger("perfdesk")
    if _handler is not None and _handler in logger.handlers:
        return log_file()
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILENAME,
            maxBytes=MAX_BYTES,
            backupCount=BACKUP_COUNT,
            encoding="utf-8",
            delay=True,
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(level)
    _handler = handler
    install_logging_excepthook()
    return log_file()


def teardown_logging() -> None:
    """Remove the file handler (tests, and before the log folder is deleted)."""
    global _handler
    if _handler is not None:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(_handler)
        _handler.close()
        _handler = None


def log_exception(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    where: str = "unhandled exception",
) -> None:
    logging.getLogger("perfdesk.crash").critical(where, exc_info=(exc_type, exc, tb))


_previous_hook = sys.excepthook


def _logging_excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if not issubclass(exc_type, KeyboardInterrupt):
        log_exception(exc_type, exc, tb)
    _previous_hook(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
        name = args.thread.name if args.thread else "?"
        log_exception(
            args.exc_type,
            args.exc_value,
            args.exc_traceback,
            where=f"unhandled exception in thread {name}",
        )
    threading.__excepthook__(args)


def install_logging_excepthook() -> None:
    """Log unhandled exceptions, then let the previous hook (the console, or the UI) act."""
    global _previous_hook
    if sys.excepthook is not _logging_excepthook:
        _previous_hook = sys.excepthook
        sys.excepthook = _logging_excepthook
    threading.excepthook = _thread_hook
