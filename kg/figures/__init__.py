"""Figures: the one interval model (:mod:`okg.figures.intervals`) and how a figure is written in a
source and stated as an ``okg:Quantity`` (:mod:`okg.figures.quantities`). Above the terms layer only."""
