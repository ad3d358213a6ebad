"""Fixtures for the published archive: an archive built by project code, and the Datasette app
publishing it, driven through Datasette's own client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from datasette.app import Datasette

from archive.serve import make_datasette
from tests.publish.archive_builder import BuiltArchive, build_archive


@dataclass
class Published:
    """The app and the archive behind it, with a synchronous client for readable tests."""

    ds: Datasette
    archive: BuiltArchive

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self.ds.client.get(path, **kwargs))

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self.ds.client.post(path, **kwargs))

    def json(self, path: str) -> Any:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.json()

    def search_ids(self, query: str, path: str = "/archive/articles.json") -> list[int]:
        data = self.json(path + "?" + httpx.QueryParams({"_search": query, "_shape": "objects",
                                                         "_col": "id"}).__str__())
        return [row["id"] for row in data["rows"]]


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory: pytest.TempPathFactory) -> BuiltArchive:
    return build_archive(tmp_path_factory.mktemp("publish") / "archive")


@pytest.fixture(scope="session")
def published(built_archive: BuiltArchive) -> Iterator[Published]:
    yield Published(make_datasette(built_archive.db_path), built_archive)


@pytest.fixture()
def archive_path(built_archive: BuiltArchive) -> Path:
    return built_archive.db_path
