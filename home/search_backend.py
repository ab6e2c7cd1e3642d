"""Wagtail's database search backend, looking each word up by its French stem as a
prefix (home/search.py), on SQLite (FTS5, whose tokenizer folds accents but knows
no French) as on PostgreSQL (whose `french_unaccent` configuration stems the stem
again, as it stems the indexed words). Other databases get Wagtail's backend as is.

Settings: WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "home.search_backend", …}}.
"""

from django.db import connection

from wagtail.search.backends import database
from wagtail.search.query import PlainText

from .search import fold, query_words, search_terms


def _lexemes(query, lexeme_class, terms=search_terms, **options):
    """The query's words as a combination of lexemes, or None when it has none. A
    word may be looked up in several forms (`terms` gives them as a list)."""
    combined = None
    for term in terms(query.query_string):
        forms = term if isinstance(term, list) else [term]
        lexeme = None
        for stem, prefix in forms:
            form = lexeme_class(stem, prefix=prefix, **options)
            lexeme = form if lexeme is None else lexeme | form
        if combined is None:
            combined = lexeme
        elif query.operator.lower() == "and":
            combined &= lexeme
        else:
            combined |= lexeme
    return combined


def _postgres_terms(query_string):
    """Each word in two forms, either found: our stem ("bénévolat" and "bénévoles"
    are both "benevol"), and the word itself, which PostgreSQL stems with the stemmer
    that made its index ("conférence" is "conferent" there, "conferenc" for ours)."""
    return [
        [(stem, prefix), (fold(word), prefix)]
        for word, (stem, prefix) in zip(
            query_words(query_string), search_terms(query_string), strict=True
        )
    ]


def SearchBackend(params):  # noqa: N802 — Wagtail calls the backend module's `SearchBackend`
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        from wagtail.search.backends.database.sqlite.query import (
            Lexeme,
            SearchQueryExpression,
        )
        from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchQueryCompiler

        class FrenchSQLiteQueryCompiler(SQLiteSearchQueryCompiler):
            def build_search_query_content(self, query, config=None):
                if isinstance(query, PlainText):
                    lexemes = _lexemes(query, Lexeme)
                    return None if lexemes is None else SearchQueryExpression(lexemes)
                return super().build_search_query_content(query, config=config)

        backend.query_compiler_class = FrenchSQLiteQueryCompiler
    elif connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        from wagtail.search.backends.database.postgres.postgres import (
            PostgresSearchQueryCompiler,
        )
        from wagtail.search.backends.database.postgres.query import Lexeme

        class FrenchPostgresQueryCompiler(PostgresSearchQueryCompiler):
            def build_tsquery_content(self, query, config=None, invert=False):
                if isinstance(query, PlainText):
                    lexemes = _lexemes(query, Lexeme, terms=_postgres_terms, invert=invert)
                    if lexemes is None:
                        return None
                    return SearchQuery(lexemes, search_type="raw", config=config)
                return super().build_tsquery_content(query, config=config, invert=invert)

        backend.query_compiler_class = FrenchPostgresQueryCompiler
    return backend
