"""Vocabulary and terms, the lowest layer: namespaces, where the bundled files live, the ontology as
the loaders see it (:mod:`okg.terms.vocabulary`) and the one label-fallback rule
(:mod:`okg.terms.labels`). Nothing here imports from another okg layer."""
