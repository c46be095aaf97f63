"""Analysis: the NetworkX projection of the store (:mod:`okg.analysis.projection`), the impact of an
event (:mod:`okg.analysis.impact`), conflicting claims (:mod:`okg.analysis.conflicts`) and
concentration, single points of failure and exposure (:mod:`okg.analysis.analyze`)."""
