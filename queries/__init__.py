"""Data files (Turtle or SPARQL), found at run time through importlib.resources."""
