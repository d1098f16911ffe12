"""The map of the 20 regions and cities: ``mode=leading|party|turnout|against_all``, ``party``,
``results=mazhilis|maslikhat`` (as the home map), ``time`` (a report time: the turnout page's map)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.boundaries import for_election
from dashboard.components import compute, ui
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.figures.common import time_label
from dashboard.figures.maps import MODES, apply_map_patch, choropleth_map, map_patch_values
from dashboard.regions import region_keys

from . import turnout as turnout_chart
from .base import figure_title, refuse, with_exact
from .labels import LABEL_LINE_CHARS, map_label  # noqa: F401  (the label rule lives in labels.py)

PARAMS = ("mode", "party", "results", "time")
SOURCES = ("mazhilis", "maslikhat")
#: The trace of region names (the embed hides it where the frame is too narrow for them).
LABELS_TRACE = "region_labels"


# ---------------------------------------------------------------- the home map's state


def lead_kind(election) -> str:
    """The kind of the contest the home map shows (``compute.lead_key``)."""
    key = compute.lead_key(election)
    return election.contest(key).kind if compute.has_contest(election, key) else "party_list"


def modes(election) -> tuple[str, ...]:
    """The map's modes for its contest's kind: "against all" only where the ballot has that line."""
    return tuple(m for m in MODES if m != "against_all" or lead_kind(election) != "referendum")


def options(election) -> tuple[str, ...]:
    """The options a map of "an option's share" may show: the contest's parties, candidates or answers."""
    key = compute.lead_key(election)
    return election.options(key) if compute.has_contest(election, key) else election.party_keys


def default_mode(election) -> str:
    leading = compute.map_values(election, "leading", "mazhilis")
    if lead_kind(election) == "referendum":  # the yes share around half says more than "yes leads"
        return "party" if compute.reported_count(leading) else "turnout"
    return "leading" if compute.reported_count(leading) else "turnout"


def default_party(election) -> str | None:
    key = compute.lead_key(election)
    if compute.has_contest(election, key):
        if election.contest(key).kind == "referendum":
            return "yes"
        s = compute.summary(election, key)
        for p in s.parties:
            if p.votes is not None:
                return p.party
    keys = options(election)
    return keys[0] if keys else None


def sources(election) -> tuple[str, ...]:
    """The results the map can show: the election's own contest, and the maslikhats when it has them."""
    has_maslikhats = any(c.body == "maslikhat" for c in election.contests)
    return SOURCES if has_maslikhats else SOURCES[:1]


def resolve_state(election, mode=None, party=None, results=None) -> dict:
    # the defaults are memoised per election: every cached request resolves its state (fastcache)
    mode = mode if mode in modes(election) else compute.memo(election, "mazhilis-default-mode", default_mode)
    party = (
        party
        if party in options(election)
        else compute.memo(election, "mazhilis-default-party", default_party)
    )
    results = results if results in sources(election) else "mazhilis"
    return {"mode": mode, "party": party, "results": results}


def home_state(election, mode=None, party=None, results=None) -> dict:
    """The home map's state, defaults removed (the party stays even when the map shows no party's
    share: the home page's hidden party picker shows it)."""
    state = resolve_state(election, mode, party, results)
    default = compute.memo(election, "mazhilis-default-state", resolve_state)
    return {k: v for k, v in state.items() if v != default[k]}


def map_changes(election, state: dict, lang: str):
    """(values, patch changes) of the home map for a resolved state."""
    mode, source = state["mode"], state["results"]
    values = compute.map_values(election, mode, source, state["party"])
    tlabel = None
    if mode == "turnout":
        t, _vals = compute.latest_region_turnout(election)
        tlabel = time_label(t, lang) if t else None
    changes = map_patch_values(
        values, mode=mode, parties=map_options(election, source), lang=lang, party=state["party"],
        time_label=tlabel, incomplete=compute.map_incomplete(election, mode, source, state["party"]),
        **kind_map_labels(election, source, state, lang), units=for_election(election),
    )
    return values, changes


def map_options(election, source: str) -> tuple:
    """Whatever the map may colour by: the parties (and a maslikhat's), or the contest's candidates or
    answers."""
    if source != "mazhilis" or lead_kind(election) == "party_list":
        return election.parties
    return tuple(election.option(k) for k in options(election))


def kind_map_labels(election, source: str, state: dict, lang: str) -> dict:
    """What a map of a president's or a referendum's results says and draws differently: "Leading
    candidate" / "Majority answer", and the yes share on a diverging scale centred at 50 %."""
    from dashboard.i18n import translator

    kind = lead_kind(election) if source == "mazhilis" else "party_list"
    _ = translator(lang)
    if kind == "presidential":
        return {"leading_label": _("Leading candidate")}  # of the valid votes, as published
    if kind == "referendum":
        centre = (50.0, election.option("no").colour) if state["party"] == "yes" else None
        return {"leading_label": _("Majority answer"), "centre": centre, "of_took_part": True}
    return {}


def unit_from_click(click) -> str | None:
    """The region key of a click on the map: a polygon's location, or a city marker's customdata."""
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    for key in ("location", "customdata"):
        value = point.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value in region_keys():  # any set's key: the page checks its own
            return value
    return None


# ---------------------------------------------------------------- the chart


def check(election, mode=None, party=None, results=None, time=None) -> None:
    for name, value, known in (("mode", mode, modes(election)), ("party", party, options(election)),
                               ("results", results, sources(election))):
        if value is not None and value not in known:
            refuse(name, value, "one of " + ", ".join(map(str, known)))
    if time is not None and not turnout_chart.known_time(election, time):
        refuse("time", time, "a report time of this election (e.g. 18:10 or final)")


def state(election, mode=None, party=None, results=None, time=None) -> dict:
    out = home_state(election, mode, party, results)
    resolved = resolve_state(election, mode, party, results)
    # a time turns the map into the turnout page's map at that time (even the default time)
    if resolved["mode"] == "turnout" and time and turnout_chart.has_times(election):
        out["time"] = turnout_chart.resolve_time(election, time)
    return out


def params(election, state: dict) -> dict:
    """The URL parameters of a state: the mode always, the party of a party map, the source of a results
    map, the time label of a turnout map at a time."""
    resolved = resolve_state(election, state.get("mode"), state.get("party"), state.get("results"))
    out = {"mode": resolved["mode"]}
    if resolved["mode"] == "party":
        out["party"] = resolved["party"]
    if resolved["results"] != "mazhilis" and resolved["mode"] != "turnout":
        out["results"] = resolved["results"]
    if state.get("time"):
        out["time"] = time_label(state["time"], "en")
    return out


def full_view(lang: str, state: dict, params: dict) -> str:
    if state.get("time"):
        return href("/turnout", lang, time=params["time"])
    return href("/", lang, **params)


def values_and_changes(election, lang: str, state: dict):
    if state.get("time"):
        return turnout_chart.map_changes(election, state["time"], lang)
    resolved = resolve_state(election, state.get("mode"), state.get("party"), state.get("results"))
    return map_changes(election, resolved, lang)


def figure(election, lang: str, state: dict):
    _values, changes = values_and_changes(election, lang, state)
    fig = choropleth_map(
        {}, mode="turnout", geojson_url=ui.geojson_url(election), parties=election.parties, lang=lang,
        units=for_election(election),
    )
    fig = go.Figure(apply_map_patch(fig.to_plotly_json(), changes))
    return finish(with_region_labels(fig, lang, for_election(election)), election, lang)


def with_region_labels(fig, lang: str, units=None):
    """Region names at their label points (not the three cities: their markers carry their names in the
    hover and would crowd the labels around them)."""
    from dashboard.figures.maps import CITY_KEYS
    from dashboard.geodata import label_points

    boundaries = None if units is None else units.key
    points = {k: p for k, p in label_points(boundaries).items() if k not in CITY_KEYS}
    fig.add_trace(
        go.Scattergeo(
            name=LABELS_TRACE,
            lon=[p[0] for p in points.values()],
            lat=[p[1] for p in points.values()],
            text=[map_label(k, lang, units) for k in points],
            mode="text",
            textfont={"size": 10, "color": "#222222"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return fig


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per region or city: ``unit, unit_name`` and the value the map colours it by
    (``leading_party``, ``share_pct`` with ``party``, ``turnout_pct`` with ``time``, or
    ``against_all_share_pct``; a percentage rounded as printed, with its ``_exact`` beside it); empty
    cells are not reported."""
    values, _changes = values_and_changes(election, lang, state)
    resolved = resolve_state(election, state.get("mode"), state.get("party"), state.get("results"))
    mode = resolved["mode"]
    column = {"leading": "leading_party", "party": "share_pct", "turnout": "turnout_pct"}.get(
        mode, "against_all_share_pct"
    )
    units = for_election(election)
    keys = list(units.unit_keys())  # the units of the election's day
    out = pd.DataFrame({"unit": keys, "unit_name": [units.unit_name(k, lang) for k in keys]})
    if mode == "party":
        out["party"] = resolved["party"]
    raw = [compute.clean(values.get(k)) for k in keys]
    out[column] = raw if mode == "leading" else pd.to_numeric(pd.Series(raw, dtype="object"), errors="coerce")
    if mode == "turnout":
        t = state.get("time") or compute.latest_region_turnout(election)[0]
        out.insert(0, "time", t)
    return out if mode == "leading" else with_exact(out, column)


def title(election, lang: str, state: dict) -> str:
    return figure_title(figure(election, lang, state))
