"""Notebook 05, the deal ledger: what Renault, Nissan and Mitsubishi Motors each gave and got on
31 March 2025 and since, in cash, control, options and accounting, with what no source quantifies
marked as such.

The ledger has three columns, kept apart in its tables, its chart and its text: cash between the parties,
commitments avoided or forgone (not cash), and value transfers (options, dividends, shares of a
result, products). Renault's accounting for its Nissan stake is context, shown apart.

Every line of the ledger is one party's side of one item (:class:`Item`): an amount in EUR m where
a source gives one (or the notebook computes it from sourced figures and its parameters), a size
where a source gives a share or a capacity rather than money, and otherwise "undisclosed" (the
price of the Chennai plant above all) or "not quantified". Nothing is drawn or summed as zero that
no source quantifies.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.model`: the parameters (:class:`LedgerParams`, :func:`validate_params`), the ledger's lines
  as facts, :func:`headline`, :data:`RESULTS` and :func:`conclusions`;
- :mod:`.inputs`: what it reads from ``data/`` (:func:`inputs.read`);
- :mod:`.analysis`: :func:`analyse`, the tables and the decisions the text needs;
- :mod:`.charts`: :func:`figures`;
- ``text.md.j2``: every sentence the report shows.

In the notebook::

    from alliancelib.topics import ledger as nb
    p = nb.validate_params(**nb.parameters_in(globals()))
    a = nb.analyse(p)
    a.show_findings()
    a.show("ledger")
"""

from alliancelib.topics.ledger.analysis import (
    SECTION_ACCOUNTING,
    SECTION_CASH,
    SECTION_COMMITMENTS,
    SECTION_LEDGER,
    SECTION_TRANSFERS,
    SECTION_UNKNOWN,
    Analysis,
    analyse,
)
from alliancelib.topics.ledger.charts import MAIN_CHART_PARAMS, figures, main_chart
from alliancelib.topics.ledger.model import (
    COLUMNS,
    NOTEBOOK,
    OPTIONAL_RESULTS,
    PARTIES,
    RESULTS,
    SHARED_WITH_01,
    TOPIC,
    Item,
    LedgerParams,
    conclusions,
    distinct_items,
    headline,
    items,
    most_points,
    parameters_in,
    unquantified,
    validate_params,
)

__all__ = [
    "COLUMNS",
    "MAIN_CHART_PARAMS",
    "NOTEBOOK",
    "OPTIONAL_RESULTS",
    "PARTIES",
    "RESULTS",
    "SECTION_ACCOUNTING",
    "SECTION_CASH",
    "SECTION_COMMITMENTS",
    "SECTION_LEDGER",
    "SECTION_TRANSFERS",
    "SECTION_UNKNOWN",
    "SHARED_WITH_01",
    "TOPIC",
    "Analysis",
    "Item",
    "LedgerParams",
    "analyse",
    "conclusions",
    "distinct_items",
    "figures",
    "headline",
    "items",
    "main_chart",
    "most_points",
    "parameters_in",
    "unquantified",
    "validate_params",
]
