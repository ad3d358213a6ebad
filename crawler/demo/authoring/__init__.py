"""The tool that wrote the bundled demo portals (not used at run time).

``content/<portal>.toml`` holds each portal's site facts, articles and reviewed gold; one
renderer per CMS family (``nukeviet``, ``liferay``, ``provincial``, ``wordpress``) turns them into
pages; ``build`` writes ``crawler/demo/portals/<portal>/``. Regenerate after editing content:
``python -m crawler.demo.authoring.build``.
"""
