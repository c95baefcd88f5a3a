"""What-ifs in JupyterLab: one control per parameter of a notebook, its key findings and main chart
redrawn at every change.

::

    from alliancelib import explore
    explore("03_ev_pricing")            # as a cell's last line: the widget shows below it
    explore("01_ownership", renault_share_price_eur=38.5)   # start from other values

Each parameter gets a control (:func:`controls`): a slider over its plausible range where it has one
(:class:`~alliancelib.params.Plausible`), else over a range around its default within what validation
allows (none to twice the default); a drop-down for a choice, or for a date with plausible days; a date
picker for any other date; and, for a parameter whose None means "looked up for you", an *automatic* box
that shows the value looked up. Every change validates the values with the notebook's own
``validate_params``, runs its ``analyse`` and redraws the key findings box (the one the notebook shows)
and the notebook's main chart (``main_chart(a)`` of its module). A refused value or combination shows
the error's one line in the widget, not a traceback, and dims the last findings and chart allowed.

Speed: analyses are kept for the last values seen (going back is instant) and the main chart is drawn
again only when a parameter it depends on changes (the module's ``MAIN_CHART_PARAMS``; a test checks
that no other parameter changes it). ``make bench`` prints the time of an update per notebook.

ipywidgets is imported here, when the first explorer is built: ``import alliancelib`` stays light.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import importlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from alliancelib import notebooks, params
from alliancelib.core.prose import say
from alliancelib.errors import AllianceError

# how many analyses and charts an explorer keeps (values seen last)
KEEP = 64
# a slider has about this many steps at least (a finer step where the default or an end needs it)
MIN_STEPS = 40

# the value a None-able parameter takes when left automatic, read from the analysis: the explorer
# shows it beside the "automatic" box (a test requires an entry for every None-able parameter)
AUTOMATIC: dict[str, dict[str, Callable[[Any], float]]] = {
    "03_ev_pricing": {
        "twingo_price_eur": lambda a: a.values["twingo_price_analysed_eur"],
        "eur_usd": lambda a: a.values["eur_usd_used"],
        "incentive_eur": lambda a: a.values["incentive_applied_eur"],
    },
    "04_ampere_investment": {
        "eur_usd": lambda a: _fixing("USD", a.p.fx_date),
        "eur_jpy": lambda a: _fixing("JPY", a.p.fx_date),
    },
}


def _fixing(currency: str, day: str) -> float:
    """The ECB rate (units of ``currency`` per euro) the notebooks use for ``day``."""
    from alliancelib import fx

    return float(fx.ecb_rate(currency, day).rate_per_eur)


@dataclass(frozen=True)
class Control:
    """What one parameter's control offers, before any widget exists.

    ``kind``: ``"float"`` or ``"int"`` (a slider from ``low`` to ``high`` by ``step``, showing
    ``decimals`` decimals), ``"choice"`` (a drop-down of ``options``: (words, value) pairs), ``"date"``
    (a date picker from ``low`` to ``high``, ISO dates, either may be None). ``automatic``: None is
    allowed and means "looked up for you" (the box is ticked when ``default`` is None).
    """

    name: str
    label: str
    help: str
    kind: str
    default: Any
    low: Any = None
    high: Any = None
    step: float = 1
    decimals: int = 0
    options: tuple[tuple[str, Any], ...] = ()
    automatic: bool = False


def nice_step(low: float, high: float, anchors: tuple[float, ...] = (), whole: bool = False) -> float:
    """A slider step of 1, 2 or 5 times a power of ten giving at least :data:`MIN_STEPS` steps from
    ``low`` to ``high``, on which ``high`` and every anchor (the default) fall where one such step
    allows it (else the step giving at least ``2 * MIN_STEPS`` steps). ``whole``: at least 1.

    >>> nice_step(31.37, 45.94), nice_step(400_000, 480_000, (400_000,), whole=True), nice_step(0, 20, (10,))
    (0.01, 2000, 0.5)
    """
    width = high - low
    if width <= 0:
        return 1
    candidates = sorted((m * 10.0**k for k in range(-6, 9) for m in (1, 2, 5)), reverse=True)
    fitting = [s for s in candidates if s <= width / MIN_STEPS and (not whole or s >= 1)]
    if not fitting:
        return 1

    def on_grid(step: float) -> bool:
        return all(abs((x - low) / step - round((x - low) / step)) < 1e-6 for x in (high, *anchors))

    chosen = next(
        (s for s in fitting if on_grid(s)),
        next((s for s in fitting if s <= width / (2 * MIN_STEPS)), fitting[-1]),
    )
    return int(chosen) if whole else float(f"{chosen:.6g}")


def _decimals(step: float) -> int:
    """Decimals a readout needs to show a value on a grid of ``step``."""
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _span(spec: params.Number | params.Integer, centre: float) -> tuple[float, float, float]:
    """Low, high and step of a slider from none to twice ``centre`` (centre - 1 to centre + 1 at zero),
    within what ``spec`` allows, its ends on the step's grid.

    >>> _span(params.Number(minimum=0.01, maximum=100), 15.0)
    (0.5, 30.0, 0.5)
    """
    half = abs(centre) or 1.0
    low, high = centre - half, centre + half
    if spec.maximum is not None:
        high = min(high, spec.maximum)
    step = nice_step(low, high, (centre,), whole=isinstance(spec, params.Integer))
    if spec.minimum is not None and low <= spec.minimum:
        low = math.ceil(spec.minimum / step - 1e-9) * step
        exclusive = isinstance(spec, params.Number) and spec.exclusive_minimum
        low = low + step if exclusive and low <= spec.minimum else low
    if isinstance(spec, params.Number) and spec.exclusive_maximum and high >= (spec.maximum or math.inf):
        high -= step
    return float(f"{low:.10g}"), float(f"{high:.10g}"), step


def control_for(cls: type, name: str, centre: float | None = None) -> Control:
    """The control of parameter ``name`` of the parameters class ``cls``. ``centre``: the value a
    None-able parameter's slider is centred on (the value looked up at the defaults)."""
    field = next(f for f in params.fields_of(cls) if f.name == name)
    spec: params.Spec = field.metadata["spec"]
    plausible = params.plausible_of(cls, name)
    unit = params.unit_of(cls, name)
    label = params.label_of(cls, name)
    if unit and unit.lower() not in label.lower():
        label += f" ({unit})"
    inner = spec.inner if isinstance(spec, params.Optional) else spec
    common: dict[str, Any] = {
        "name": name,
        "label": label,
        "help": str(field.metadata["help"]),
        "default": field.default,
        "automatic": isinstance(spec, params.Optional),
    }
    if isinstance(inner, params.Choice):
        return Control(kind="choice", options=tuple((inner.say(o), o) for o in inner.options), **common)
    if isinstance(inner, params.IsoDate):
        if plausible is not None and plausible.options:
            days = tuple((_say_day(o), o) for o in plausible.options)
            return Control(kind="choice", options=days, **common)
        first, last = inner.bounds() if inner.bounds is not None else (None, None)
        return Control(kind="date", low=first and first.isoformat(), high=last and last.isoformat(), **common)
    if not isinstance(inner, params.Number | params.Integer):
        raise TypeError(f"parameter {name}: no control for {type(inner).__name__}")
    middle: Any = field.default if field.default is not None else centre
    if middle is None:
        raise ValueError(f"parameter {name}: a None-able parameter needs the value looked up (AUTOMATIC)")
    whole = isinstance(inner, params.Integer)
    if plausible is not None and plausible.varies:
        low, high = float(plausible.low), float(plausible.high)  # type: ignore[arg-type]
        step = nice_step(low, high, (float(middle),), whole=whole)
    else:
        low, high, step = _span(inner, float(middle))
    if whole:
        return Control(kind="int", low=int(low), high=int(high), step=int(step), **common)
    return Control(kind="float", low=low, high=high, step=step, decimals=_decimals(step), **common)


def _is_day(value: Any) -> bool:
    """Whether ``value`` is a date written YYYY-MM-DD."""
    try:
        params.IsoDate().check(value)
    except ValueError:
        return False
    return True


def _say_day(day: str) -> str:
    from alliancelib.analysis import say_date

    return say_date(day)


@dataclass(frozen=True)
class Notebook:
    """A notebook's module and parameters class, as the explorer uses them."""

    name: str
    title: str
    module: ModuleType
    cls: type


def notebook(name: str) -> Notebook:
    """The notebook called ``name`` (as in ``notebooks/``, with or without ``.ipynb``); an
    :class:`~alliancelib.errors.AllianceError` naming the notebooks there are if none is."""
    name = name.removesuffix(".ipynb")
    if name not in notebooks.PARAMS:
        raise AllianceError(f"explore: no notebook {name!r}; notebooks: {', '.join(notebooks.PARAMS)}")
    target = notebooks.PARAMS[name]
    module = importlib.import_module(target.partition(":")[0])
    cls = notebooks.params_class(name)
    assert cls is not None
    path = notebooks.discover().get(name)
    return Notebook(name, notebooks.title(path) if path else name, module, cls)


def looked_up(nb: Notebook, a: Any) -> dict[str, float]:
    """The values the None-able parameters took in analysis ``a`` (:data:`AUTOMATIC`), by name."""
    return {name: float(value_of(a)) for name, value_of in AUTOMATIC.get(nb.name, {}).items()}


def controls(nb: Notebook, automatic_values: Mapping[str, float] | None = None) -> list[Control]:
    """One :class:`Control` per parameter of the notebook, in the parameters cell's order;
    ``automatic_values`` centres the sliders of None-able parameters (the values looked up)."""
    automatic_values = automatic_values or {}
    return [control_for(nb.cls, f.name, automatic_values.get(f.name)) for f in params.fields_of(nb.cls)]


class Explorer:
    """The live what-if view of one notebook. :attr:`widget` is what JupyterLab shows;
    :attr:`controls` holds each parameter's value control by name (:attr:`automatic` the "automatic"
    boxes of None-able parameters); :attr:`findings` (HTML), :attr:`chart` (PNG) and :attr:`status`
    (HTML: empty, or the one-line error) are the outputs; :attr:`last_update_s` is the time the last
    change took and :attr:`timings` its parts (seconds: ``findings_s`` until the findings were sent,
    ``chart_s`` the chart after them); :attr:`charts_drawn` counts the main charts drawn."""

    def __init__(self, name: str, values: Mapping[str, Any] | None = None) -> None:
        import ipywidgets as w

        self.nb = notebook(name)
        defaults = params.defaults(self.nb.cls)
        unknown = sorted(set(values or {}) - set(defaults))
        if unknown:
            raise AllianceError(
                f"explore: {self.nb.name} has no parameter {', '.join(unknown)}; "
                f"parameters: {', '.join(defaults)}"
            )
        start = {**defaults, **(values or {})}
        self.nb.module.validate_params(**start)  # starting values the notebook refuses: its ParameterError
        self._analyses: OrderedDict[Any, Any] = OrderedDict()
        self._charts: OrderedDict[Any, bytes] = OrderedDict()
        self._resolvers = AUTOMATIC.get(self.nb.name, {})
        # the looked-up values at the defaults centre the None-able sliders
        centres = looked_up(self.nb, self._analyse(self.nb.module.validate_params(**defaults)))
        self.specs = controls(self.nb, centres)
        self._syncing = False
        self.last_update_s = 0.0
        self.timings: dict[str, float] = {}
        self.charts_drawn = 0
        self.controls: dict[str, Any] = {}
        self.automatic: dict[str, Any] = {}
        rows = []
        for c in self.specs:
            widget = _value_widget(w, c, centres.get(c.name))
            self.controls[c.name] = widget
            widget.observe(self._on_change, names="value")
            if c.automatic:
                box = w.Checkbox(
                    value=True,
                    description=say("explorer_automatic"),
                    indent=False,
                    tooltip=say("explorer_automatic_tip"),
                    layout=w.Layout(width="110px"),
                )
                box.observe(self._on_automatic, names="value")
                self.automatic[c.name] = box
                rows.append(w.HBox([widget, box]))
            else:
                rows.append(widget)
        reset = w.Button(
            description=say("explorer_reset"),
            tooltip=say("explorer_reset_tip"),
            layout=w.Layout(width="auto"),
        )
        reset.on_click(lambda _b: self.reset())
        self.status = w.HTML(value="")
        self.findings = w.HTML(value="")
        self.chart = w.Image(format="png", layout=w.Layout(width="100%", max_width="900px", height="auto"))
        self._outputs = w.VBox(
            [self.findings, self.chart], layout=w.Layout(flex="1 1 520px", min_width="320px")
        )
        head = w.HTML(
            value=f"<h3 style='margin:4px 0'>{say('explorer_heading', title=html.escape(self.nb.title))}</h3>"
            f"<p style='margin:0 0 6px;color:#444'>{say('explorer_intro')}</p>"
        )
        panel = w.VBox([*rows, reset], layout=w.Layout(flex="0 1 730px", max_height="760px", overflow="auto"))
        self.widget = w.VBox(
            [head, self.status, w.HBox([panel, self._outputs], layout=w.Layout(flex_flow="row wrap"))]
        )
        self._set_values(start)
        self.update()

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, Any]:
        """The parameter values the controls hold (None where "automatic" is ticked; dates as ISO text)."""
        out: dict[str, Any] = {}
        for c in self.specs:
            if c.automatic and self.automatic[c.name].value:
                out[c.name] = None
                continue
            value = self.controls[c.name].value
            out[c.name] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    def _set_values(self, values: Mapping[str, Any]) -> None:
        """Put ``values`` in the controls without updating (the caller updates once)."""
        self._syncing = True
        try:
            for c in self.specs:
                value = values[c.name]
                if c.automatic:
                    self.automatic[c.name].value = value is None
                    self.controls[c.name].disabled = value is None
                    if value is None:
                        continue
                widget = self.controls[c.name]
                if c.kind == "date":
                    widget.value = dt.date.fromisoformat(value) if isinstance(value, str) else value
                elif c.kind in ("float", "int"):
                    widget.min, widget.max = min(widget.min, value), max(widget.max, value)
                    widget.value = value
                else:  # a value the drop-down does not offer (another day) joins its options
                    if value not in [v for _, v in widget.options]:
                        words = _say_day(value) if _is_day(value) else str(value)
                        widget.options = [*widget.options, (words, value)]
                    widget.value = value
        finally:
            self._syncing = False

    def set(self, **values: Any) -> None:
        """Set some controls at once and update once (None ticks a None-able parameter's box)."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise AllianceError(
                f"explore: {self.nb.name} has no parameter {', '.join(unknown)}; "
                f"parameters: {', '.join(self.controls)}"
            )
        self._set_values({**self.values(), **values})
        self.update()

    def reset(self) -> None:
        """Every control back to its default, then one update."""
        self._set_values(params.defaults(self.nb.cls))
        self.update()

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.update()

    def _on_automatic(self, change: Mapping[str, Any]) -> None:
        for name, box in self.automatic.items():
            self.controls[name].disabled = box.value
        if not self._syncing:
            self.update()

    # ------------------------------------------------------------------ computing

    def _analyse(self, p: Any) -> Any:
        """The notebook's analysis at ``p``, kept for the last :data:`KEEP` parameter sets."""
        if p in self._analyses:
            self._analyses.move_to_end(p)
            return self._analyses[p]
        a = self.nb.module.analyse(p)
        self._analyses[p] = a
        if len(self._analyses) > KEEP:
            self._analyses.popitem(last=False)
        return a

    def _chart_png(self, a: Any) -> bytes:
        """The main chart as PNG, drawn again only when a parameter it depends on changed."""
        from alliancelib import charts

        key = tuple(getattr(a.p, n) for n in self.nb.module.MAIN_CHART_PARAMS)
        if key not in self._charts:
            chart = self.nb.module.main_chart(a)
            charts.add_source(chart.figure, chart.source)
            self._charts[key] = quick_png(chart.figure)
            self.charts_drawn += 1
            if len(self._charts) > KEEP:
                self._charts.popitem(last=False)
        self._charts.move_to_end(key)
        return self._charts[key]

    def update(self) -> None:
        """Validate the controls' values, analyse, redraw the findings and the chart; a refused value
        or combination shows its one line in :attr:`status` and dims the last outputs allowed."""
        from alliancelib import findings

        started = time.perf_counter()
        try:
            p = self.nb.module.validate_params(**self.values())
            a = self._analyse(p)
        except AllianceError as exc:
            self.status.value = _error_html(exc)
            self._outputs.layout.opacity = "0.35"
            self.last_update_s = time.perf_counter() - started
            return
        # the box as the notebook shows it, without its "More" links (the sections they point to are
        # in the notebook's report, not beside the explorer)
        items = [dataclasses.replace(f, anchor="") for f in a.findings]
        bundle = findings.findings_bundle(
            self.nb.name, items, since=a.since, news_as_of=a.news_as_of, fx_as_of=a.fx_as_of
        )
        self.findings.value = bundle["text/html"]  # sent to the browser now, before the chart is drawn
        self.status.value = ""
        self._outputs.layout.opacity = "1"
        self._show_looked_up(a)
        shown = time.perf_counter()
        self.chart.value = self._chart_png(a)
        done = time.perf_counter()
        self.timings = {"findings_s": shown - started, "chart_s": done - shown}
        self.last_update_s = done - started

    def _show_looked_up(self, a: Any) -> None:
        """Show, beside each ticked "automatic" box, the value the analysis looked up."""
        self._syncing = True
        try:
            for name, box in self.automatic.items():
                if box.value and name in self._resolvers:
                    widget = self.controls[name]
                    value = float(self._resolvers[name](a))
                    widget.min, widget.max = min(widget.min, value), max(widget.max, value)
                    widget.value = value
        finally:
            self._syncing = False


def quick_png(fig: Any) -> bytes:
    """The figure as PNG for the screen: painted once at the reports' resolution, without the reports'
    tight crop (a second layout pass) and with light compression (about 40 ms less than
    :func:`alliancelib.charts.png_bytes` on a chart of 03)."""
    import io

    from alliancelib import charts

    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=charts.DPI,
        facecolor="white",
        metadata={"Software": None},
        pil_kwargs={"compress_level": 1},
    )
    return buf.getvalue()


def _error_html(exc: Exception) -> str:
    """The error's one line, as the widget shows it."""
    line = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return (
        f'<p class="alliance-explore-error" style="margin:4px 0;padding:6px 10px;background:#fdecea;'
        f'border-left:4px solid #b3261e;color:#5f1410">{html.escape(line)} '
        f"<span style='color:#444'>{say('explorer_error_note')}</span></p>"
    )


def _value_widget(w: Any, c: Control, looked_up: float | None) -> Any:
    """The ipywidgets control of ``c``."""
    style = {"description_width": "300px"}
    layout = w.Layout(width="600px")
    common = {"description": c.label, "tooltip": c.help, "style": style, "layout": layout}
    if c.kind == "choice":
        return w.Dropdown(options=list(c.options), value=c.default, **common)
    if c.kind == "date":
        low = dt.date.fromisoformat(c.low) if c.low else None
        high = dt.date.fromisoformat(c.high) if c.high else None
        kwargs = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
        return w.DatePicker(value=dt.date.fromisoformat(c.default), **kwargs, **common)
    value = c.default if c.default is not None else looked_up
    if c.kind == "int":
        return w.IntSlider(value=value, min=c.low, max=c.high, step=c.step, continuous_update=False, **common)
    return w.FloatSlider(
        value=value,
        min=min(c.low, value),
        max=max(c.high, value),
        step=c.step,
        readout_format=f",.{c.decimals}f",
        continuous_update=False,
        **common,
    )


def explore(name: str, **values: Any) -> Any:
    """The what-if widget of notebook ``name`` (e.g. ``"03_ev_pricing"``), starting at the defaults
    updated by ``values``; show it as a cell's last line. Its :class:`Explorer` is its ``explorer``
    attribute. Starting values the notebook would refuse raise its
    :class:`~alliancelib.errors.ParameterError`, as its parameters cell would."""
    explorer = Explorer(name, values)
    explorer.widget.explorer = explorer
    return explorer.widget
