"""Contract gain (docs/impact.md, 4.5): a contract awarded creates the jobs attributed to it.

Applied when an event's ``okg:Gain`` reaches an ``okg:Contract`` (``awards``). After the run,
each provider of a gained contract gets one row per job figure attributed to the contract
(status ``contract gained``), in the country of the workplace, else the country the contract
is delivered from, else the provider's country. No job figure stays unknown, never 0.

>>> from okg.analysis.impact.rules import REGISTRY
>>> from okg.terms.namespaces import OKG
>>> type(REGISTRY.lookup({str(OKG.Contract), str(OKG.Fact)}, str(OKG.Gain))).__name__
'ContractGain'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okg.analysis.impact.figures import job_figures
from okg.analysis.impact.result import Row
from okg.analysis.impact.rules.records import ContractState, Hit
from okg.analysis.impact.rules.registry import Rule, rule
from okg.analysis.impact.status import Status
from okg.figures.intervals import UNKNOWN
from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    from okg.analysis.impact.propagate import Propagation

ACTOR = str(OKG.EconomicActor)


@rule(OKG.Contract, OKG.Gain, name="contract-gain")
class ContractGain(Rule):
    def hit(self, run: Propagation, c: str, hit: Hit) -> None:
        run.gained.setdefault(c, ContractState(hit.fraction, hit.depth, hit.chain))

    def rows(self, run: Propagation) -> list[Row]:
        G = run.G
        rows = []
        for c, st in sorted(run.gained.items()):
            providers = sorted(
                p
                for _, p, d in G.out_edges(c, data=True)
                if d["weight"] and ACTOR in run.classes(p)
            )
            figures = job_figures(G, run.attributed_to(c), run.figure_range)
            for p in providers:
                chain = st.chain + [run.step(c, p, _key(G, c, p))]
                if not figures:
                    rows.append(
                        self._row(
                            run,
                            p,
                            st,
                            country=G.nodes[c]["country"] or G.nodes[p]["country"],
                            jobs=UNKNOWN,
                            formula=f"jobs created by {run.label(c)}: no job figure given "
                            "(unknown, not zero)",
                            chain=chain,
                        )
                    )
                for fig in figures:
                    w = fig.workforces[0]
                    country = (
                        (G.nodes[fig.workplace]["country"] if fig.workplace in G else None)
                        or G.nodes[c]["country"]
                        or G.nodes[p]["country"]
                    )
                    rows.append(
                        self._row(
                            run,
                            p,
                            st,
                            country=country,
                            jobs=fig.headcount,
                            formula=f"jobs created = jobs attributed to {run.label(c)}: "
                            f"{fig.headcount.format()} ({fig.rule})",
                            chain=chain + [run.step(c, w, _key(G, c, w))],
                            fig=fig,
                        )
                    )
        return rows

    @staticmethod
    def _row(
        run: Propagation, p: str, st: ContractState, *, country, jobs, formula, chain, fig=None
    ):
        G = run.G
        return Row(
            actor=p,
            label=run.label(p),
            kind=G.nodes[p]["kind"],
            effect="gain",
            country=country,
            site=fig.workplace if fig else None,
            site_label=run.label(fig.workplace) if fig and fig.workplace else None,
            revenue_share_lost=None,
            jobs=jobs,
            depth=st.depth,
            status=Status.CONTRACT_GAINED,
            formula=formula,
            revenue_formula=None,
            chain=chain,
            claims=fig.claims if fig else [],
            conflict=fig.conflict if fig else False,
            claims_rule=fig.rule if fig else None,
            illustrative=bool(G.nodes[p].get("illustrative")),
        )


def _key(G, u: str, v: str) -> str:
    """The first relation (in the graph's order) from *u* to *v*."""
    return next(k for _, x, k in G.out_edges(u, keys=True) if x == v)
