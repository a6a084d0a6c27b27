"""The tools a technical user would script instead of lettergen: pandoc (Markdown →
DOCX) and LibreOffice headless (DOCX → PDF), installed from Debian when missing.

They are installed only when ``apt-get`` is there and the bench runs as root (a CI
container); otherwise the comparison is skipped with a note saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess

# command -> the Debian package that brings it
PACKAGES = {"pandoc": "pandoc", "soffice": "libreoffice-writer-nogui"}


def debian_tool(command: str) -> tuple[str | None, str]:
    """The path of ``command`` (installing its package if need be), or None and why."""
    found = shutil.which(command)
    if found:
        return found, ""
    package = PACKAGES[command]
    if not shutil.which("apt-get"):
        return None, f"{command} is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, (f"{command} is not installed; as root the bench would install "
                      f"Debian's {package}")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in ([install], [["apt-get", "update", "-qq"], install]):
        ok = all(subprocess.run(cmd, env=env, capture_output=True).returncode == 0
                 for cmd in step)
        if ok and shutil.which(command):
            return shutil.which(command), f"installed Debian's {package}"
    return None, f"{command} could not be installed (apt-get install {package} failed)"
