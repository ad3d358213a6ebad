"""Article extraction: raw bytes in, Article or NoArticle out. trafilatura is the engine; the
modules beside this one add what it lacks (charset repair, day-first dates, bylines,
boilerplate and captions)."""

from pipelines.extract.result import Article, Caption, NoArticle

__all__ = ["Article", "Caption", "NoArticle"]
