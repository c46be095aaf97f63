"""Rendering: results of the store and analysis layers as text, Markdown, JSON and CSV. HTML pages
are in :mod:`okg.viz`. Renderers never query the store; they print what they are given."""
