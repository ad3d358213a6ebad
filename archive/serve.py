"""Publish an archive with Datasette: the app (for `muni serve`, `muni demo` and tests) and a
server that runs it with uvicorn, as `datasette serve` does.

The archive is always served under the database name ``archive`` (whatever its file is
called), so URLs such as ``/archive/articles`` and the metadata hold for every archive.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

import archive.schema_search  # noqa: F401  (registers the search-index migration)
from archive.datasette import METADATA_PATH, STATIC_DIR, TEMPLATES_DIR
from archive.datasette import plugin as archive_plugin
from archive.datasette.search_page import canned_queries
from archive.db import ArchiveDB

__all__ = ["ARCHIVE_DATABASE", "DEFAULT_SETTINGS", "load_metadata", "make_datasette", "serve"]

ARCHIVE_DATABASE = "archive"
PLUGIN_NAME = "muni-archive"

# Safe to publish: bounded queries, no whole-file download, short cells in table views.
DEFAULT_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 2500,
    "facet_time_limit_ms": 500,
    "default_page_size": 20,
    "max_returned_rows": 1000,
    "allow_download": False,
    "truncate_cells_html": 300,
    "cache_size_kb": 65536,  # per read connection; see MMAP_BYTES in the plugin
    # Suggesting facets tries every column of every table page: seconds on a large archive.
    "suggest_facets": False,
}


def load_metadata(*, enable_sql: bool = False) -> dict[str, Any]:
    metadata: dict[str, Any] = yaml.safe_load(METADATA_PATH.read_text(encoding="utf-8"))
    # The canned queries' SQL lives in Python, next to the code that computes their facets.
    metadata["databases"][ARCHIVE_DATABASE]["queries"] = canned_queries()
    if enable_sql:
        # The operator asked for it: arbitrary read-only SQL on /archive?sql=...
        metadata.pop("allow_sql", None)
    return metadata


def _register_plugin() -> None:
    # Registered in code rather than through an entry point, so serving never depends on the
    # working directory or on how the package was installed; guarded because tests build
    # many apps in one process.
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(archive_plugin, name=PLUGIN_NAME)


def _check_archive(db_path: Path) -> Path:
    """The archive file, migrated to the current schema; ArchiveError when there is none."""
    archive = ArchiveDB.open(db_path, create=False)
    try:
        return archive.path
    finally:
        archive.close()


def make_datasette(db_path: Path, *, enable_sql: bool = False, **settings: Any) -> Datasette:
    """A Datasette app publishing the archive at ``db_path`` (folder or .db file), read-only."""
    path = _check_archive(Path(db_path))
    _register_plugin()
    ds = Datasette(
        files=[],
        metadata=load_metadata(enable_sql=enable_sql),
        template_dir=str(TEMPLATES_DIR),
        static_mounts=[("muni-static", str(STATIC_DIR))],
        settings={**DEFAULT_SETTINGS, **settings},
    )
    # No scratch in-memory database next to the archive: one database, one set of permissions.
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    ds.add_database(Database(ds, path=str(path), is_mutable=True), name=ARCHIVE_DATABASE)
    return ds


def bind(host: str, port: int) -> socket.socket:
    """Bind before serving so that port 0 picks a free port we can print."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    # sockets whose protocol says TCP, and a socket made with protocol 0 passes that on to
    # every connection it accepts. With Nagle on, each response's body waited for the
    # browser's delayed ACK of its headers: 40 ms added to every request on a kept-alive
    # connection.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # Listening now, so connections made as soon as the address is printed wait in the
    # backlog until uvicorn accepts them.
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001, *,
          enable_sql: bool = False, on_ready: Callable[[str], None] | None = None,
          **settings: Any) -> None:
    """Serve the archive until interrupted. ``on_ready(url)`` runs once the socket is bound."""
    import uvicorn  # imported here: building the app (tests, `muni demo`) does not need it

    ds = make_datasette(db_path, enable_sql=enable_sql, **settings)
    asyncio.run(ds.invoke_startup())
    sock = bind(host, port)
    if on_ready is not None:
        on_ready(url_of(sock))
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
