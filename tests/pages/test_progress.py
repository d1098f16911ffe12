"""Counting progress in words: the exact line in kk/ru/en, its plural forms, its rounding, and what is
said when the election gives no station list (the 2023 package: only "Final results")."""

from __future__ import annotations

import pytest

from dashboard.components.progress import progress_text
from dashboard.electoral.progress import Progress

NB = "\u00a0"


@pytest.mark.parametrize(
    ("progress", "lang", "line"),
    [
        (Progress("preliminary", 1234, 10081), "en",
         f"Preliminary · 1,234 of 10,081 polling stations counted (12.2{NB}%)"),
        (Progress("preliminary", 1234, 10081), "ru",
         f"Предварительные итоги · подсчитаны 1{NB}234 из 10{NB}081 избирательного участка (12,2{NB}%)"),
        (Progress("counting", 5, 12), "ru",
         f"Подсчёт голосов · подсчитаны 5 из 12 избирательных участков (41,7{NB}%)"),
        (Progress("counting", 3, 24), "ru",
         f"Подсчёт голосов · подсчитаны 3 из 24 избирательных участков (12,5{NB}%)"),
        (Progress("preliminary", 1234, 10081), "kk",
         f"Алдын ала нәтижелер · 10{NB}081 сайлау учаскесінің 1{NB}234 есептелді (12,2{NB}%)"),
        (Progress("counting", 0, 1), "en", f"Counting · 0 of 1 polling station counted (0.0{NB}%)"),
        (Progress("final", 61, 61), "en", f"Final · 61 of 61 polling stations counted (100.0{NB}%)"),
    ],
)
def test_progress_line_in_each_language(progress, lang, line):
    assert progress_text(progress, lang) == line


def test_a_missing_station_never_reads_100_percent():
    # 10,080 / 10,081 = 99.990 %: rounded the usual way "100.0 %", which would hide the missing station
    assert progress_text(Progress("counting", 10080, 10081), "en").endswith(f"(99.9{NB}%)")
    assert progress_text(Progress("counting", 10080, 10081), "ru").endswith(f"(99,9{NB}%)")


@pytest.mark.parametrize(
    ("status", "en", "ru"),
    [
        ("final", "Final results", "Окончательные итоги"),
        ("preliminary", "Preliminary results", "Предварительные итоги"),
        ("counting", "Counting in progress: figures are partial", "Идёт подсчёт голосов: данные неполные"),
    ],
)
def test_without_a_station_list_only_the_status_is_said(status, en, ru):
    p = Progress(status, None, None)
    assert progress_text(p, "en") == en
    assert progress_text(p, "ru") == ru
    assert "station" not in progress_text(p, "en")
