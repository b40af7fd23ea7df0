"""Word to PDF with LibreOffice, when it is installed: the PDF then looks exactly like the filled template.

LibreOffice is optional (``docs/deploy.md``). It is found as ``settings.GANBU_SOFFICE`` (a path or a
command name, from the environment variable of the same name) or as ``soffice`` on ``PATH``. Each
conversion runs headless in a temporary directory of its own, with its own LibreOffice profile
(``-env:UserInstallation``), so concurrent conversions on one server never share a lock or a profile;
the command is an argument list (never a shell string) and is killed, with everything it started, after
:data:`TIMEOUT_SECONDS`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60


class ConversionError(Exception):
    """LibreOffice did not produce a PDF (it failed, or ran out of time)."""


def soffice_path() -> str | None:
    """The LibreOffice executable to use, or ``None`` when it is not installed (or the setting is wrong).

    ``GANBU_SOFFICE`` may name a file (``/opt/libreoffice/program/soffice``) or a command looked up on
    ``PATH``; an empty setting means ``soffice`` on ``PATH``. A setting naming nothing runnable means no
    LibreOffice: PDFs are then drawn in the built-in layout.
    """
    configured = str(getattr(settings, "GANBU_SOFFICE", "") or "").strip()
    if not configured:
        return shutil.which("soffice")
    if os.sep in configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which(configured)


def docx_to_pdf(data: bytes, *, soffice: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """A .docx converted to PDF by the LibreOffice at ``soffice``; :class:`ConversionError` if it fails."""
    with tempfile.TemporaryDirectory(prefix="ganbu-soffice-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        out_dir = work / "out"
        args = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        # HOME too: some LibreOffice builds write there whatever the profile says.
        env = {**os.environ, "HOME": str(work)}
        # An argument list naming our own temporary files: no shell ever parses it.
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=env,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise ConversionError(f"LibreOffice 转换超时（{timeout:g} 秒）") from None
        finally:
            # oosplash may leave soffice.bin behind; it must not outlive the temporary directory.
            _kill_group(process)
        result = out_dir / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            message = stderr.decode("utf-8", "replace").strip()[-500:]
            raise ConversionError(f"LibreOffice 转换失败（退出码 {process.returncode}）：{message}")
        return result.read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process group LibreOffice runs in (its own session), if anything of it is left."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
