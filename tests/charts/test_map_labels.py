"""The region names printed on the map (embeds, images): short enough not to run into each other on a
700 px embed, and never confusable with a city."""

from __future__ import annotations

import pytest

from dashboard.charts.map import LABELS_TRACE, map_label, with_region_labels


@pytest.mark.parametrize(("key", "lang", "label"), [
    ("kostanay", "ru", "Костанайская"),            # «… область» ran into «Акмолинская область»
    ("akmola", "kk", "Ақмола"),
    ("abai", "ru", "Абай"),                        # «область Абай»: the word first
    ("north_kazakhstan", "ru", "Северо-<br>Казахстанская"),
    ("east_kazakhstan", "kk", "Шығыс<br>Қазақстан"),
    ("west_kazakhstan", "en", "West<br>Kazakhstan"),
    ("almaty_region", "en", "Almaty<br>Region"),   # "Almaty" alone is the city's name
    ("almaty_region", "kk", "Алматы<br>облысы"),
    ("almaty_region", "ru", "Алматинская"),        # no city is called that
])
def test_map_labels(key, lang, label):
    assert map_label(key, lang) == label


def test_the_map_prints_the_short_labels_of_the_17_regions():
    import plotly.graph_objects as go

    fig = with_region_labels(go.Figure(), "ru")
    (labels,) = [t for t in fig.data if t.name == LABELS_TRACE]
    assert len(labels.text) == 17 and "Костанайская" in labels.text
    assert not any("область" in t for t in labels.text)
