"""The log file: where maintainers find what happened, never what the clerk has to read.

One rotating file (``perfdesk.log``, 1 MB × 5) in the user's log folder — ``perfdesk.system``'s
``user_log_dir`` (``%LOCALAPPDATA%\\perfdesk\\Logs`` on Windows, ``~/.local/state/perfdesk/log``
on Linux) or ``PERFDESK_LOG_DIR`` when set (tests set it, or the isolated XDG folders, so no test
writes into the real one). Unhandled exceptions — in the main thread and in other threads — are
written there with their traceback before anything else happens to them.

Logging never speaks on the screen. A log that cannot be written (a full disk, a folder gone, a
file another process holds) is skipped silently — Python's "--- Logging error ---" with its
traceback, which can quote the clerk's data, is never printed — and the program's own message to
the clerk still appears. The window and the command line may run at once and share the file:
rotating it fails on Windows while the other process has it open, so a failed rotation is not an
error either — the file is simply appended to and rotated on a later try.

Call :func:`setup_logging` once at start-up (``perfdesk.cli.main`` and ``perfdesk_ui.app.run``); it is safe
to call again. The UI adds its dialog on top with ``perfdesk_ui.safety.install_excepthook``.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

LOG_FILENAME = "perfdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"

_handler: logging.Handler | None = None

ROTATION_RETRY_SECONDS = 300.0
"""After a rotation failed (the other process holds the file), how long to append before retrying."""


class QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that never prints to the console and whose rotation cannot fail."""

    failures = 0
    """Records that could not be written (for tests and for a maintainer's debugger)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._rotate_after = 0.0

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 - logging's name
        if time.monotonic() < self._rotate_after:
            return False
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:  # noqa: N802 - logging's name
        try:
            super().doRollover()
        except OSError:
            # Windows: the other perfdesk has the file open, so it cannot be renamed. Keep
            # appending (the stream is reopened on the next record) and try again later.
            self._rotate_after = time.monotonic() + ROTATION_RETRY_SECONDS
            if self.stream is not None:
                try:
                    self.stream.close()
                except OSError:
                    pass
                self.stream = None  # type: ignore[assignment]

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:  # a full disk: what could not be written is lost, the program goes on
            type(self).failures += 1

    def close(self) -> None:
        try:
            super().close()
        except OSError:
            type(self).failures += 1
            self.stream = None  # type: ignore[assignment]

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        # Not logging's default (a traceback on stderr, with the record's arguments): a log that
        # cannot be written is no reason to show the clerk anything.
        type(self).failures += 1


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
        handler: logging.Handler = QuietRotatingFileHandler(
            folder / LOG_FILENAME,
            maxBytes=MAX_BYTES,
            backupCount=BACKUP_COUNT,
            encoding="utf-8",
            delay=True,
        )
    except OSError:
        # Without a handler, logging's "last resort" would print warnings on stderr.
        for name in LOGGERS:
            if not logging.getLogger(name).handlers:
                logging.getLogger(name).addHandler(logging.NullHandler())
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
