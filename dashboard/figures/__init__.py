"""Pure figure builders: data in, ``plotly.graph_objects.Figure`` out (no Dash imports).

Every figure carries a title in its language, ``layout.separators`` for that language and, in
``layout.meta``, a text alternative and the data table it shows (``figure_table``/``figure_alt``).
"""

from dashboard.figures.common import (
    AGAINST_ALL_COLOUR,
    INDEPENDENT_COLOUR,
    MAP_NOT_REPORTED_COLOUR,
    NOT_REPORTED_COLOUR,
    apply_simulated_banner,
    figure_alt,
    figure_table,
    has_simulated_banner,
    separators,
)
from dashboard.figures.hemicycle import hemicycle, seat_positions
from dashboard.figures.maps import apply_map_patch, choropleth_map, leading_colorscale, map_patch_values
from dashboard.figures.maslikhat import maslikhat_overview
from dashboard.figures.parties import party_shares_bar, results_table_columns, results_table_data
from dashboard.figures.turnout import turnout_lines, turnout_ranking, turnout_small_multiples

__all__ = [
    "AGAINST_ALL_COLOUR",
    "INDEPENDENT_COLOUR",
    "MAP_NOT_REPORTED_COLOUR",
    "NOT_REPORTED_COLOUR",
    "apply_map_patch",
    "apply_simulated_banner",
    "choropleth_map",
    "figure_alt",
    "figure_table",
    "has_simulated_banner",
    "hemicycle",
    "leading_colorscale",
    "map_patch_values",
    "maslikhat_overview",
    "party_shares_bar",
    "results_table_columns",
    "results_table_data",
    "seat_positions",
    "separators",
    "turnout_lines",
    "turnout_ranking",
    "turnout_small_multiples",
]
