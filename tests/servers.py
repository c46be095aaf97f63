"""The SPARQL servers that the tests and the benchmarks start on 127.0.0.1 and stop by process
id: the Oxigraph server and Virtuoso 7 (Debian's ``virtuoso-opensource``), each with its files
in a folder of the caller's (a temp folder) and on a free port.

This module is the one place that knows how to start and stop them: tests/conftest.py and the
tests import it as ``servers`` (pytest puts tests/ on ``sys.path``), benchmarks/servers.py
loads it by its path. It imports nothing of okg and is not part of the installed package.

- **Oxigraph** (:class:`OxigraphServer`): ``oxigraph serve --location DIR --bind
  127.0.0.1:PORT --union-default-graph --timeout-s T`` (without the union, queries over the
  default graph see none of the named graphs that push writes). :meth:`~OxigraphServer.kill`
  sends SIGKILL (what a crash leaves), :meth:`~OxigraphServer.start` restarts it on the same
  folder on a new port.
- **Virtuoso** (:class:`VirtuosoServer`): its defaults are rewritten in a copy of the
  package's ``virtuoso.ini``: database, log, lock and transaction files in the folder, both
  ``ServerPort`` lines (SQL and HTTP) on free 127.0.0.1 ports. Anonymous SPARQL Update is
  refused until ``GRANT SPARQL_UPDATE TO "SPARQL"``, sent through ``isql-vt`` on the SQL port
  (user ``dba``, the fresh database's password ``dba``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_PACKAGE = "virtuoso-opensource"
PROBE = "?query=ASK%7B%7D"
"""Appended to a query URL: the request that says a server answers."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(
    proc: subprocess.Popen, probe: str, wait_s: float, what: str, tail: Callable[[], str] = str
) -> None:
    """Until *probe* answers over HTTP; RuntimeError if *proc* exits or *wait_s* runs out
    (*tail*: the server's last words for the message)."""

    def fail(why: str) -> RuntimeError:
        last = tail()
        return RuntimeError(f"{what} {why}: {last}" if last else f"{what} {why}")

    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise fail(f"exited with {proc.returncode}")
        try:
            urllib.request.urlopen(probe, timeout=2).read()
            return
        except OSError:
            time.sleep(0.05)
    raise fail(f"did not answer in {wait_s:g} s")


def kill_process(proc: subprocess.Popen | None) -> None:
    """SIGKILL by pid, then reap it."""
    if proc is not None and proc.poll() is None:
        os.kill(proc.pid, 9)
        proc.wait(timeout=30)


def stop_process(proc: subprocess.Popen | None, grace_s: float) -> None:
    """SIGTERM by pid, SIGKILL after *grace_s*."""
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, 15)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, 9)
        proc.wait(timeout=10)


# -- Oxigraph server ------------------------------------------------------------------------------


def oxigraph_binary() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


class OxigraphServer:
    """``oxigraph serve --location DIR`` on a free 127.0.0.1 port, with the union default graph
    (unless *union* is false) and the server's own time-out *timeout_s*.

    :meth:`stop` sends SIGTERM to its pid (SIGKILL after 10 s); :meth:`kill` SIGKILL (no
    shutdown, no flush: what a crash leaves); :meth:`start` (re)starts it on the same folder,
    on a new port. ``start_s``: the seconds the last start took to answer."""

    stop_grace_s = 10.0

    def __init__(
        self, location: Path, timeout_s: int = 20, union: bool = True, wait_s: float = 20.0
    ):
        self.location = location
        self.timeout_s = timeout_s
        self.union = union
        self.wait_s = wait_s
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.port = free_port()
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                *(["--union-default-graph"] if self.union else []),
                "--timeout-s",
                str(self.timeout_s),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_http(self.proc, self.query_url + PROBE, self.wait_s, "oxigraph serve")
        except BaseException:
            self.stop()
            raise
        self.start_s = time.perf_counter() - t0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def gsp_url(self) -> str:
        return f"{self.base}/store"

    def kill(self) -> None:
        """SIGKILL by pid, then reap it."""
        kill_process(self.proc)

    def stop(self) -> None:
        stop_process(self.proc, self.stop_grace_s)


# -- Virtuoso 7 -----------------------------------------------------------------------------------


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot be started here, or None."""
    for tool in ("virtuoso-t", "isql-vt"):
        if shutil.which(tool) is None:
            return f"{tool} not found (apt-get install {VIRTUOSO_PACKAGE})"
    if not VIRTUOSO_INI.exists():
        return f"{VIRTUOSO_INI} not found (apt-get install {VIRTUOSO_PACKAGE})"
    return None


def virtuoso_config(
    folder: Path, sql_port: int, http_port: int, settings: dict[tuple[str, str], str] | None = None
) -> str:
    """*settings*: more values, ``{(section, key): value}``, each replacing a line of the file."""
    todo = dict(settings or {})
    text = VIRTUOSO_INI.read_text(encoding="utf-8", errors="replace")
    section = ""
    out = []
    for line in text.splitlines():
        head = re.match(r"\s*\[(\w[^\]]*)\]", line)
        if head:
            section = head.group(1)
        key = re.match(r"\s*(\w+)\s*=", line)
        name = key.group(1) if key else None
        if name in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile"):
            stem = "temp" if section == "TempDatabase" else "virtuoso"
            ext = {"DatabaseFile": "db", "ErrorLogFile": "log", "LockFile": "lck"}.get(name, "trx")
            line = f"{name} = {folder / f'{stem}.{ext}'}"
        elif name == "xa_persistent_file":
            line = f"{name} = {folder / 'virtuoso.pxa'}"
        elif name == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif name == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif name == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        elif (section, name) in todo:
            line = f"{name} = {todo.pop((section, name))}"
        out.append(line)
    if todo:
        raise ValueError(f"not in {VIRTUOSO_INI}: {sorted(todo)}")
    return "\n".join(out) + "\n"


class VirtuosoServer:
    """``virtuoso-t +foreground`` on a fresh database in *folder*, on free 127.0.0.1 ports, its
    config a copy of the package's with *settings* (``{(section, key): value}``) replaced, and
    (unless *grant_update* is false) SPARQL Update granted to the anonymous SPARQL user.

    :meth:`stop` ends it by its pid (SIGTERM, SIGKILL after 30 s); :meth:`kill` SIGKILLs it;
    :meth:`start` restarts it on the same folder and ports. ``start_s``: the seconds the last
    start took to answer."""

    stop_grace_s = 30.0

    def __init__(
        self,
        folder: Path,
        wait_s: float = 60.0,
        settings: dict[tuple[str, str], str] | None = None,
        grant_update: bool = True,
    ):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.sql_port = free_port()
        self.http_port = free_port()
        config = virtuoso_config(folder, self.sql_port, self.http_port, settings)
        (folder / "virtuoso.ini").write_text(config, encoding="utf-8")
        self.log = None
        self.proc: subprocess.Popen | None = None
        self._launch("wb", wait_s)
        if grant_update:
            try:
                self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
            except BaseException:
                self.stop()
                raise

    def _launch(self, log_mode: str, wait_s: float) -> None:
        if self.log is not None:
            self.log.close()
        self.log = open(self.folder / "stdout.log", log_mode)  # noqa: SIM115 - closed in stop()
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
            cwd=self.folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_http(self.proc, self.query_url + PROBE, wait_s, "virtuoso-t", self.tail)
        except BaseException:
            self.stop()
            raise
        self.start_s = time.perf_counter() - t0

    def tail(self) -> str:
        try:
            return (self.folder / "stdout.log").read_text(errors="replace")[-600:]
        except OSError:
            return ""

    def isql(self, statement: str, timeout: float = 60.0) -> str:
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt {statement!r}: {done.stdout[-300:]}{done.stderr[-300:]}")
        return done.stdout

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    update_url = query_url

    @property
    def port(self) -> int:
        """The HTTP (SPARQL) port."""
        return self.http_port

    def kill(self) -> None:
        """SIGKILL by pid (what a crash leaves: the transaction log is replayed on restart)."""
        kill_process(self.proc)

    def start(self, wait_s: float = 120.0) -> None:
        """Restart on the same folder and ports after :meth:`kill` (its stale lock removed)."""
        (self.folder / "virtuoso.lck").unlink(missing_ok=True)
        self._launch("ab", wait_s)

    def stop(self) -> None:
        stop_process(self.proc, self.stop_grace_s)
        if self.log is not None:
            self.log.close()
