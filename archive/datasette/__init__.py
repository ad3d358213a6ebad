"""The published archive: Datasette metadata, templates, static files and our plugin."""

from pathlib import Path

HERE = Path(__file__).parent
METADATA_PATH = HERE / "metadata.yml"
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
