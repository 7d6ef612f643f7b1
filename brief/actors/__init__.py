"""Actors in the news: detection, quotes, and per-actor briefs.

    analysis.analyse_text(text, article_id=, watch=) -> ArticleActors   one text
    analysis.analyse_article_cached(article, store, watch)               cached per content
    analysis.analyse_many(articles, store, watch) -> [ArticleActors]     many, on all cores
    analysis.to_json / from_json / to_jsonable                           (de)serialisation
    briefs.build_actor_briefs(articles, config, store=) -> ActorBrief…   the day's briefs

``detect`` finds names and merges aliases (its parts: ``furniture``, ``casing``,
``scan``, ``tokens``, ``words``, ``candidates``, ``cues``, ``merge``), ``quotes``
pairs quotation marks and credits speakers, ``gazetteer`` loads the data files
in ``data/`` (states, organisations, places, word lists).  An analysis keeps
places (cities, regions) apart from the actors, marks nationality adjectives as
``demonym`` mentions and flags named non-actors (``ArticleActors.not_actors``:
products, people named only as history).  Nothing here imports Textual or
downloads.
"""
