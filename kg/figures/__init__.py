"""Figures: the one interval model (:mod:`okg.figures.intervals`) and how a figure is written in a
source and stated as an ``okg:Quantity`` (:mod:`okg.figures.quantities`); the one claim model, the one
reader of ``okg:Quantity`` and the one same-figure rule (:mod:`okg.figures.claims`). Above the terms
layer only."""
