"""Imported last in the extraction pool's forkserver, after the extraction library it preloads.

Every worker is a fork of the forkserver and shares its memory pages until it writes to them.
So this module:

- loads now what extraction would otherwise load lazily in each worker: trafilatura's jusText
  fallback (taken on pages that are not articles: home pages, listings, document pages)
  builds a stoplist of every language's words, ~28 MB, in whichever worker first needs it;
  built here, the workers share one copy;
- then freezes every object loaded so far (gc.freeze): Python's cycle collector writes to each
  object it tracks every time it walks them, which would copy the whole imported library into
  each worker within its first pages. Frozen objects are never walked again.
"""

import gc

from justext.core import define_stoplist
from trafilatura import external

# What trafilatura.external.try_justext and justext.core.classify_paragraphs would build.
define_stoplist(external.JT_STOPLIST or external.jt_stoplist_init())

gc.collect()
gc.freeze()
