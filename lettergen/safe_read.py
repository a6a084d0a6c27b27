"""Reading a file a user or a pack names, without letting the file system hang us.

``/dev/zero`` named as a case file grows memory without end, a FIFO blocks forever,
and a symlink can point anywhere. Everything lettergen reads from a user or a pack
goes through ``read_limited``: regular files only, and never more than ``limit``
bytes, read in one bounded call.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """The file is not a regular file, is too large, or cannot be read; ``str()`` is
    a plain reason to put after the file's name."""


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile("the file does not exist") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("it is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("it is not a regular file (a device, pipe or socket); "
                             "name a saved file")
    if info.st_size > limit:
        raise UnreadableFile(f"it is {info.st_size:,} bytes; the limit is {limit:,} bytes")
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening
        # it still does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot read it: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnreadableFile("it is not a regular file; name a saved file")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read it: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UnreadableFile(f"it is larger than the limit of {limit:,} bytes")
    return data
