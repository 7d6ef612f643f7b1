"""Actors in the news: detection, quotes, and per-actor briefs.

    analysis.analyse_text(text, article_id=, watch=) -> ArticleActors   one text
    analysis.analyse_article_cached(article, store, watch)               cached per content
    analysis.analyse_many(articles, store, watch) -> [ArticleActors]     many, on all cores
    analysis.to_json / from_json / to_jsonable                           (de)serialisation
    briefs.gather_actors(articles, config, store=) -> DayActors           the day's actors, merged
    briefs.build_actor_briefs(articles, config, shown=) -> ActorBrief…   the day's briefs

``detect`` finds names and merges aliases, ``quotes`` pairs quotation marks
and credits speakers, ``gazetteer`` loads the data files in ``data/`` (states,
organisations, word lists), ``acting`` tells whether a mention acts in its
sentence (subject of a verb, speaker), ``nonactors`` holds the patterns of
names that are no actors (credits, products, media, history).  Nothing here
imports Textual or downloads.
"""
