"""Actors in the news: detection, quotes, and per-actor briefs.

    analysis.analyse_text(text, article_id=, watch=) -> ArticleActors   one text
    analysis.analyse_article_cached(article, store, watch)               cached per content
    analysis.analyse_many(articles, store, watch) -> [ArticleActors]     many, on all cores
    analysis.to_json / from_json / to_jsonable                           (de)serialisation
    briefs.gather_actors(articles, config, store=) -> DayActors           the day's actors, merged
    briefs.build_actor_briefs(articles, config, shown=) -> ActorBrief…   the day's briefs

``detect`` finds names and merges aliases (its parts: ``furniture``, ``casing``,
``scan``, ``tokens``, ``words``, ``candidates``, ``cues``, ``merge``), ``quotes``
pairs quotation marks and credits speakers (``marks``, ``speakers``), ``gazetteer``
loads the data files in ``data/`` (states, organisations, places, word lists).  An
analysis keeps places (cities, regions) apart from the actors, marks nationality
adjectives as ``demonym`` mentions and flags named non-actors
(``ArticleActors.not_actors``: products, people named only as history).  ``acting``
tells whether a mention acts in its sentence (subject of a verb, speaker),
``nonactors`` holds the patterns of names that are no actors (credits, products,
media, history).  Nothing here imports Textual or downloads.
"""
