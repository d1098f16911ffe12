"""Render the built map to a PNG to look at: ``python -m dashboard.geodata.preview [OUT.png]``.

Every unit gets its own colour from a qualitative palette (so a missing region or a white crack along a
border shows at once), thin white borders, and a marker with a label at each city's point. Uses kaleido
(Chromium) and the local base-map TopoJSON, so nothing is fetched from the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.geodata import FEATURE_ID_KEY, GEODATA_DIR, TOPOJSON_DIR, city_points, load_geojson
from dashboard.regions import region, region_keys


def figure(lang: str = "en"):
    import plotly.express as px
    import plotly.graph_objects as go

    keys = list(region_keys())
    palette = px.colors.qualitative.Alphabet
    fig = go.Figure(
        go.Choropleth(
            geojson=load_geojson(),
            featureidkey=FEATURE_ID_KEY,
            locations=keys,
            z=list(range(len(keys))),
            colorscale=[[i / (len(keys) - 1), palette[i % len(palette)]] for i in range(len(keys))],
            showscale=False,
            marker_line_color="white",
            marker_line_width=0.6,
            text=[region(k).name(lang) for k in keys],
            hoverinfo="text",
        )
    )
    cities = city_points()
    fig.add_trace(
        go.Scattergeo(
            lon=[p[0] for p in cities.values()],
            lat=[p[1] for p in cities.values()],
            customdata=list(cities),
            text=[region(k).name(lang) for k in cities],
            mode="markers+text",
            textposition="middle right",
            marker=dict(size=11, color="black", line=dict(color="white", width=1.5)),
            textfont=dict(size=12, color="black"),
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_geos(
        fitbounds="locations",
        showland=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showcoastlines=False,
        showframe=False,
        showsubunits=False,
        projection_type="equirectangular",  # fitbounds leaves mercator/conic maps small
        showcountries=True,
        countrycolor="#444",
    )
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=0), width=800, height=420, paper_bgcolor="white")
    return fig


def main(argv: list[str] | None = None) -> int:
    import plotly.io as pio

    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else GEODATA_DIR / "preview.png"
    pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    figure().write_image(out, scale=1)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
