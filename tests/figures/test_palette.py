"""The party palette stays distinguishable for colour-blind readers: simulated protanopia and deuteranopia
(Machado, Oliveira & Fernandes 2009, severity 1.0, applied in linear RGB) keep every two parties of the
2023 election — and "against all" — at least MIN_DELTA_E apart (CIE76 ΔE in CIELAB), as they are for
normal vision."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

#: Machado et al. (2009), Table 2, severity 1.0.
MACHADO = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}
#: Two colours closer than this are easily confused in a legend or on adjacent map regions; ~2.3 is a
#: just-noticeable difference.
MIN_DELTA_E = 12.0


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    rgb = np.clip(linear_rgb, 0.0, 1.0)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_as(hex_colour: str, vision: str) -> np.ndarray:
    return _lab(MACHADO[vision] @ _linear(hex_colour))


def closest_pair(colours: dict[str, str], vision: str) -> tuple[float, str, str]:
    return min(
        (float(np.linalg.norm(seen_as(a, vision) - seen_as(b, vision))), ka, kb)
        for (ka, a), (kb, b) in itertools.combinations(colours.items(), 2)
    )


@pytest.fixture(scope="module")
def palette():
    from dashboard.figures.common import AGAINST_ALL_COLOUR
    from dashboard.store.embedded import embedded_election

    parties = {p.key: p.colour for p in embedded_election().parties}
    assert len(parties) >= 7
    return {**parties, "against_all": AGAINST_ALL_COLOUR}


def test_the_simulation_confuses_red_and_green():
    """The check can fail: a brown and an olive green far apart for normal vision collapse for both."""
    red_green = {"brown": "#a05000", "olive": "#507000"}
    assert closest_pair(red_green, "normal")[0] > 40
    assert closest_pair(red_green, "protanopia")[0] < MIN_DELTA_E
    assert closest_pair(red_green, "deuteranopia")[0] < MIN_DELTA_E
    # plotly's default red and green: apart for protanopes, confused by deuteranopes
    assert closest_pair({"red": "#d62728", "green": "#2ca02c"}, "deuteranopia")[0] < MIN_DELTA_E


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia"])
def test_party_colours_stay_apart(palette, vision):
    distance, a, b = closest_pair(palette, vision)
    assert distance >= MIN_DELTA_E, f"{a} and {b} are {distance:.1f} apart for {vision}"
