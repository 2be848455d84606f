"""perfdesk's desktop program (PySide6): the only package that imports Qt.

On Python 3.11, PySide6 6.12.0 drops one reference to ``None`` on every call of a Qt method that
returns nothing (``setText``, ``setEnabled``…): after some ten thousand edits the interpreter
aborts with "none_dealloc: deallocating None". Python 3.12 made ``None`` immortal, so the bug
is harmless there. Until a fixed PySide6 is required, ``None`` is given a reference count that
those lost references can never use up (it is a static object and is never freed anyway).
"""

import sys


def _keep_none_alive() -> None:
    if sys.version_info >= (3, 12):
        return  # None is immortal (PEP 683)
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field
    if refcount.value < 1 << 40:
        refcount.value += 1 << 40


_keep_none_alive()
