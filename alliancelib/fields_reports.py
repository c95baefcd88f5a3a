"""The columns of the reports' tables (the uncertainty layer's and each notebook's): defined into
:data:`alliancelib.fields.FIELDS` when :mod:`alliancelib.fields` is imported (split from it to keep
each module short; the data's own columns stay there)."""

from __future__ import annotations

from typing import Any

from alliancelib.fields import Field, define

# --------------------------------------------------------------------------- uncertainty
# columns of alliancelib.uncertainty.ranges_table and summary_table
define(
    Field("input", "Input", "An uncertain input: an assumption or a conflicted fact"),
    Field("default_value", "Default", "The input's value at the defaults"),
    Field("low_value", "Low", "The low end of its stated range (or its options)"),
    Field("high_value", "High", "The high end of its stated range"),
    Field(
        "range_kind",
        "Kind of range",
        "conflict (conflicting sources), spread (a sourced spread) or judgement (a labelled judgement)",
    ),
    Field("result_label", "Result", "A headline result"),
    Field("value_text", "At the defaults", "The result at the default parameters"),
    Field(
        "range_text",
        "Across the stated ranges",
        "The result's smallest and largest value over its inputs' stated ranges",
    ),
    Field(
        "deciding_inputs",
        "Moved most by",
        "The inputs that explain most of the result's variance over the tested range (Sobol' total index)",
    ),
    # the technical appendix (alliancelib.uncertainty_show.appendix_table)
    Field("conclusion", "Conclusion", "A conclusion a finding states: a sign or a threshold on one result"),
    Field(
        "tested_share",
        "Share of the tested range",
        "Share of the draws (independent uniform inputs over their stated ranges) in which the "
        "conclusion holds; not a probability",
    ),
    Field("share_se", "Standard error", "The Monte Carlo standard error of that share"),
    Field(
        "moved_most_by",
        "Input that moves it most",
        "The input with the largest total Sobol' index of the conclusion, named only where the share "
        "lies between 3% and 97% and the index is clear of the next by two standard errors",
    ),
)


# --------------------------------------------------------------------------- 00 claims
# computed columns of notebook 00's tables (alliancelib.topics.claims)
define(
    Field(
        "claim_outcome",
        "Outcome",
        "A plan's outcome as of the news date: on time, late, pending, overdue, or will not happen",
    ),
    Field("claim_meaning", "What it means", "The outcome's dates in words, and what the sources say"),
    Field(
        "claim_source_ids",
        "Sources",
        "The sources behind a claim's status or a plan's outcome",
        source_ids=True,
    ),
    Field("fx_claim", "Conversion", "What the article converts from euros into dollars"),
    Field("fx_article", "The article", "The article's dollar figure"),
    Field("fx_at_ecb", "At the ECB rate", "The euro amount at the ECB reference rate of the reference date"),
    Field(
        "fx_gap_pct",
        "Gap",
        "(the rate the article implies / the ECB rate - 1) x 100",
        unit="%",
        type="number",
        decimals=3,
    ),
    Field("fx_day", "ECB fixing of", "The day whose ECB euro reference rate the conversions are set against"),
    Field(
        "fx_rate",
        "ECB rate",
        "US dollars per euro, ECB reference rate of that day",
        unit="USD per EUR",
        type="number",
        decimals=4,
    ),
    Field(
        "fx_twingo_gap_pct",
        "Twingo gap",
        "(21,639 / 20,000 / the ECB rate - 1) x 100",
        unit="%",
        type="number",
        decimals=3,
    ),
    Field(
        "fx_ampere_gap_pct",
        "Ampere gap",
        "(649 / 600 / the ECB rate - 1) x 100",
        unit="%",
        type="number",
        decimals=3,
    ),
    Field("fx_match", "Both within the tolerance", "Whether both gaps lie within the tolerance set"),
)


# --------------------------------------------------------------------------- 04 ampere
# computed columns of notebook 04's tables (alliancelib.topics.ampere)
define(
    Field(
        "ampere_pre_money_eur_bn",
        "Value before the money",
        "Ampere's value before the new money (pre-money)",
        unit="EUR bn",
        type="number",
        decimals=1,
    ),
    Field(
        "ampere_post_money_eur_bn",
        "Value after the money",
        "Ampere's value after the new money (post-money)",
        unit="EUR bn",
        type="number",
        decimals=2,
    ),
    Field(
        "ampere_nissan_stake_pct",
        "Nissan",
        "Stake Nissan's money buys (at most its ceiling)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ampere_nissan_vs_ceiling",
        "Against the ceiling",
        "How Nissan's stake compares with its February 2023 ceiling ('up to 15%')",
    ),
    Field(
        "ampere_mitsubishi_stake_pct",
        "Mitsubishi Motors",
        "Stake Mitsubishi Motors' money buys",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ampere_renault_stake_pct",
        "Renault keeps",
        "Renault's stake after the round (100% before it)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ampere_commitment", "Commitment", "What was committed: an amount or a stake, both ceilings ('up to')"
    ),
    Field("ampere_outcome", "How it ended", "How the commitment ended"),
    Field(
        "ampere_value_stands_for",
        "This value is",
        "What a value of Ampere in the stakes table stands for: a CEO's figure, a break-even, the value set",
    ),
    Field("ampere_figure", "Figure", "The figure with its unit and qualifier (more than, at least, about)"),
)


# --------------------------------------------------------------------------- 01 ownership
# computed columns of notebook 01's tables (alliancelib.topics.ownership)
define(
    Field(
        "ownership_direct_pct",
        "Held directly",
        "Renault's Nissan shares held in its own name",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_trust_pct",
        "In the French trust",
        "Nissan shares held in the French trust for Renault (economic rights to Renault, neutral votes)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field("ownership_step", "Step", "A trust sale, or the starting point"),
    Field(
        "ownership_shares_issued",
        "Nissan shares issued",
        "Nissan's shares in issue after the step",
        type="number",
        decimals=0,
    ),
    Field(
        "ownership_trust_renault_count_pct",
        "Trust, Renault's count",
        "The trust's stake replayed with Renault's count of the March 2024 sale (99,132,100 shares sold)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_trust_nissan_count_pct",
        "Trust, Nissan's count",
        "The trust's stake replayed with Nissan's count (100,242,900 shares taken as sold by the trust)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_trust_reported_pct",
        "Trust, reported",
        "The trust's stake as reported",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_total_replayed_pct",
        "Renault in all, replayed",
        "Renault's whole stake (direct and trust) replayed with Renault's count",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_total_reported_pct",
        "Renault in all, reported",
        "Renault's whole stake as reported or derived in the data",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field("ownership_figure", "Figure", "What is compared"),
    Field("ownership_reported", "Reported", "The figure as the source gives it"),
    Field(
        "ownership_renault_count",
        "With Renault's count",
        "What the replay gives with 99,132,100 shares sold "
        "from the trust (and 100,242,900 cancelled by Nissan)",
    ),
    Field(
        "ownership_nissan_count",
        "With Nissan's count",
        "What the replay gives with 100,242,900 shares sold from the trust",
    ),
    Field(
        "ownership_votes_pct",
        "Votes counted",
        "The votes figure used: exercisable votes directed where "
        "reported, else theoretical votes, else the capital share",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field("ownership_votes_basis", "What the votes figure is", "Which votes figure is used, and its date"),
    Field(
        "ownership_weight",
        "Weight of the votes",
        "minority, blocking minority (more than a third) or control (more than half): the usual "
        "company-law thresholds, our convention",
    ),
    Field("ownership_item", "What", "The quantity shown"),
    Field(
        "ownership_market_sale",
        "Sold in the market",
        "A sale to other investors: Renault's capital is unchanged",
    ),
    Field(
        "ownership_buyback",
        "Bought back by Renault",
        "Renault buys the shares and cancels them: its capital shrinks",
    ),
    Field("ownership_amount", "As reported", "The amount as the source gives it"),
    Field(
        "ownership_eur_m",
        "In euros",
        "The amount in euros (converted at the ECB rate of the date where the source gives another currency)",
        unit="EUR m",
        type="number",
        decimals=0,
    ),
    Field(
        "ownership_price_eur",
        "Implied price a Renault share",
        "The amount over 5% of Renault's 295,722,284 shares",
        unit="EUR",
        type="number",
        decimals=2,
    ),
    Field("ownership_value_eur_bn", "Amount", "Value or amount", unit="EUR bn", type="number", decimals=2),
    Field(
        "ownership_stake_value_eur_bn",
        "Renault's Nissan stake",
        "Renault's Nissan shares at the day's Nissan price and ECB yen rate",
        unit="EUR bn",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_renault_value_eur_bn",
        "Renault's market value",
        "Renault's shares at the day's price (the middle of the day's quotes)",
        unit="EUR bn",
        type="number",
        decimals=1,
    ),
    Field(
        "ownership_stake_share_pct",
        "Stake's share",
        "The stake as a share of Renault's market value",
        unit="%",
        type="number",
        decimals=1,
    ),
    Field(
        "ownership_stub_eur_bn",
        "Rest of Renault",
        "Renault's market value less the stake and its reported net cash (the stub)",
        unit="EUR bn",
        type="number",
        decimals=2,
    ),
    Field("ownership_quote", "Renault price", "A reported Renault share price, its day and kind"),
    Field(
        "ownership_share_price_eur",
        "Price a share",
        "The Renault share price the row sells at",
        unit="EUR",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_proceeds_eur_m",
        "Raised, no discount",
        "Points sold x Renault's shares x the price",
        unit="EUR m",
        type="number",
        decimals=0,
    ),
    Field(
        "ownership_proceeds_half_discount_eur_m",
        "Raised, half the placement's discount",
        "The same, sold as a block at half the one placement's discount below the market price",
        unit="EUR m",
        type="number",
        decimals=0,
    ),
    Field(
        "ownership_proceeds_placement_discount_eur_m",
        "Raised, the placement's discount",
        "The same, sold as a block at the one placement's discount below the market price",
        unit="EUR m",
        type="number",
        decimals=0,
    ),
    Field(
        "ownership_dividend_yield_pct",
        "Dividend yield given up",
        "Renault's latest proposed dividend a share over the price",
        unit="%",
        type="number",
        decimals=1,
    ),
    Field("ownership_how", "How it is obtained", "Reported, or the arithmetic on reported figures"),
    Field(
        "ownership_outside_holders_of",
        "Outside shareholders of",
        "The company whose shareholders outside "
        "the alliance (the French state and the market among them) own the columns",
    ),
    Field(
        "ownership_of_renault_pct",
        "Renault",
        "Share of Renault (a matrix column)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_of_nissan_pct",
        "Nissan",
        "Share of Nissan (a matrix column)",
        unit="%",
        type="number",
        decimals=2,
    ),
    Field(
        "ownership_of_mmc_pct",
        "Mitsubishi Motors",
        "Share of Mitsubishi Motors (a matrix column)",
        unit="%",
        type="number",
        decimals=2,
    ),
)


# --------------------------------------------------------------------------- 02 india
# computed columns of notebook 02's tables (alliancelib.topics.india)
define(
    Field(
        "india_figure", "Figure", "The figure with its unit in words (over, about, where the source says so)"
    ),
    Field(
        "india_role",
        "In the volume scenario",
        "Whether a model is built today, adds volume or replaces a model",
    ),
    Field("india_aspect", "What changed", "An aspect of the plant the purchase changed"),
    Field("india_before", "Before (joint venture)", "Before Renault bought Nissan's 51%"),
    Field("india_after", "After (since 1 August 2025)", "After the purchase was completed"),
    Field("india_input", "Input", "An input moved to each end of its stated range, the others as set"),
    Field("india_low_end", "Low end", "The input at the low end of its stated range"),
    Field(
        "india_change_low_pct",
        "Fixed cost per vehicle at the low end",
        "Change in fixed cost per vehicle with the input at its low end",
        unit="%",
        type="number",
        decimals=0,
    ),
    Field("india_high_end", "High end", "The input at the high end of its stated range"),
    Field(
        "india_change_high_pct",
        "Fixed cost per vehicle at the high end",
        "Change in fixed cost per vehicle with the input at its high end",
        unit="%",
        type="number",
        decimals=0,
    ),
)


# --------------------------------------------------------------------------- 05 ledger
# computed columns of notebook 05's tables (alliancelib.topics.ledger)
define(
    Field("ledger_party", "Party", "Renault, Nissan or Mitsubishi Motors"),
    Field(
        "ledger_direction",
        "Gives or gets",
        "gives = gives or forgoes; gets = gets, avoids paying or keeps",
    ),
    Field("ledger_item", "Item", "What changes hands, in a few words"),
    Field("ledger_what", "What it is", "The item in a sentence, with its caveats"),
    Field(
        "ledger_amount",
        "Amount",
        "EUR m from the party's side (an option not exercised is marked), a share or "
        "capacity a source gives, or undisclosed / not quantified",
    ),
    Field(
        "ledger_column",
        "Column",
        "cash between the parties; commitment avoided or forgone (not cash); value transfer (an option, "
        "a share of a result, dividends, a product)",
    ),
    Field(
        "ledger_cash",
        "Cash between the parties",
        "Money one party pays another, each line with its amount or undisclosed",
    ),
    Field(
        "ledger_eur_m",
        "Amount",
        "EUR m from Renault's side (a forecast, as reported)",
        unit="EUR m",
        type="number",
        decimals=0,
    ),
    Field("ledger_line", "What", "What the party gave or got, in a few words"),
    Field(
        "ledger_basis",
        "Basis",
        "reported (a source gives it), derived (our arithmetic on sourced figures), our reading, or unknown",
    ),
    Field(
        "ledger_commitments",
        "Commitments avoided or forgone (not cash)",
        "Money promised and no longer due, and what it would have bought",
    ),
    Field(
        "ledger_transfers",
        "Value transfers",
        "Options, shares of a result, dividends and products that change hands",
    ),
    Field("ledger_eur_bn", "Amount", "The figure as reported", unit="EUR bn", type="number", decimals=2),
    Field(
        "ledger_use", "In the ledger", "Whether the ledger uses the figure or shows it beside the one it uses"
    ),
)


# --------------------------------------------------------------------------- 03 pricing
# computed columns of notebook 03's tables (alliancelib.topics.pricing)
_PRICING_EUR: dict[str, Any] = {"unit": "EUR", "type": "number", "decimals": 0}
define(
    Field("pricing_market_name", "Market", "The country of the price (Europe: announced for Europe)"),
    Field(
        "pricing_price_kind",
        "Kind of price",
        "list price, target, a journalist's estimate or a "
        "time-limited promotion; price analysed for a price set by parameter",
    ),
    Field("pricing_car", "Car", "Model, and the version where it tells two prices apart"),
    Field("pricing_rank", "Rank by price", "1 = the cheapest EV listed in the market", type="integer"),
    Field(
        "pricing_eur_per_km", "Price per km of range", "Price incl. VAT over the WLTP range", **_PRICING_EUR
    ),
    Field(
        "pricing_km_per_kwh",
        "Range per kWh of battery",
        "WLTP range over battery capacity: how far each kWh goes",
        unit="km",
        type="number",
        decimals=1,
    ),
    Field(
        "pricing_eur_per_kwh",
        "Price per kWh of battery",
        "Price incl. VAT over battery capacity (penalises an efficient car with a small battery)",
        **_PRICING_EUR,
    ),
    Field("pricing_conversion", "What is converted", "The amount converted and at which rate"),
    Field("pricing_amount_eur", "Amount", "The amount in euros", **_PRICING_EUR),
    Field("pricing_rate_date", "Rate of", "The date of the ECB fixing used (or where the rate comes from)"),
    Field(
        "pricing_usd_per_eur",
        "Dollars per euro",
        "The exchange rate used",
        unit="USD",
        type="number",
        decimals=5,
    ),
    Field("pricing_amount_usd", "In dollars", "The amount in dollars", unit="USD", type="number", decimals=0),
    Field("pricing_component", "Part of the cost", "A part of the cost of ownership, discounted to today"),
    Field("pricing_ev_eur", "Twingo", "The Twingo's figure, discounted", **_PRICING_EUR),
    Field("pricing_ice_eur", "Sandero", "The petrol Sandero's figure, discounted", **_PRICING_EUR),
    Field(
        "pricing_difference_eur", "Twingo minus Sandero", "Negative: the Twingo costs less", **_PRICING_EUR
    ),
    Field("pricing_input", "Assumption", "An assumption moved across its plausible range"),
    Field("pricing_low_end", "Low end", "The assumption at the low end of its plausible range"),
    Field(
        "pricing_gap_low_eur",
        "Gap at the low end",
        "Cost of ownership, Twingo minus Sandero, at the low end",
        **_PRICING_EUR,
    ),
    Field("pricing_high_end", "High end", "The assumption at the high end of its plausible range"),
    Field(
        "pricing_gap_high_eur",
        "Gap at the high end",
        "Cost of ownership, Twingo minus Sandero, at the high end",
        **_PRICING_EUR,
    ),
    Field("pricing_household", "Household", "The household's income tier in the scheme's words"),
    Field("pricing_incentive_eur", "Incentive", "The incentive the household gets", **_PRICING_EUR),
    Field(
        "pricing_gap_5000_eur",
        "At 5,000 km a year",
        "Twingo minus Sandero at 5,000 km a year",
        **_PRICING_EUR,
    ),
    Field(
        "pricing_gap_10000_eur", "At 10,000 km", "Twingo minus Sandero at 10,000 km a year", **_PRICING_EUR
    ),
    Field(
        "pricing_gap_15000_eur", "At 15,000 km", "Twingo minus Sandero at 15,000 km a year", **_PRICING_EUR
    ),
    Field(
        "pricing_gap_20000_eur", "At 20,000 km", "Twingo minus Sandero at 20,000 km a year", **_PRICING_EUR
    ),
    Field(
        "pricing_cheaper_from", "Twingo cheaper from", "The distance a year from which the Twingo costs less"
    ),
)
