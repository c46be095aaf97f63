"""Synthetic graph generator and benchmarks of okg against plain rdflib (see README.md)."""
