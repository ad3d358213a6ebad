"""Article extraction: raw bytes in, Article or NoArticle out. trafilatura is the engine; the
modules beside this one add what it lacks (charset repair, day-first dates, bylines,
boilerplate and captions, the article/listing decision, per-site boilerplate learning)."""

from pipelines.extract.engine import PROFILE_KEYS, TRAFILATURA_KEYS, extract, parse_page
from pipelines.extract.learner import BoilerplateLearner
from pipelines.extract.result import Article, Caption, NoArticle

__all__ = ["PROFILE_KEYS", "TRAFILATURA_KEYS", "Article", "BoilerplateLearner", "Caption",
           "NoArticle", "extract", "parse_page"]
