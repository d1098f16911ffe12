"""Build the embedded 2023 package (dashboard/data/kz-2023-03-19/) from the published figures in sources/2023/.

    python tools/convert_2023.py [--out DIR]

Rules: every figure keeps its source URL (sources.csv); nothing is invented — a figure that was not found
stays empty ("not reported"), never zero; nothing is derived except where a sources.csv note says so.
The output is deterministic: running the script again writes identical bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from dashboard.electoral.seats import allocate_seats  # noqa: E402
from dashboard.model import (  # noqa: E402
    COMPOSITION_COLUMNS,
    DISTRICT_COLUMNS,
    FINAL,
    RESULT_BASE_COLUMNS,
    SOURCE_COLUMNS,
    TURNOUT_COLUMNS,
    Contest,
    Election,
    Party,
)
from dashboard.regions import NATIONAL, region_keys  # noqa: E402
from dashboard.store.write import write_package  # noqa: E402

SOURCES = ROOT / "sources" / "2023"
OUT = ROOT / "dashboard" / "data" / "kz-2023-03-19"

ELECTION_ID = "kz-2023-03-19"
NAMES = {
    "kk": "Парламент Мәжілісінің және мәслихаттардың депутаттарын сайлау, 2023 жылғы 19 наурыз",
    "ru": "Выборы депутатов Мажилиса Парламента и маслихатов, 19 марта 2023 года",
    "en": "Elections to the Mazhilis and maslikhats, 19 March 2023",
}

#: Okabe–Ito, colour-blind safe; the same colour for a party everywhere in the project.
COLOURS = {
    "amanat": "#0072B2",
    "auyl": "#E69F00",
    "respublica": "#CC79A7",
    "ak_zhol": "#F0E442",
    "qhp": "#D55E00",
    "osdp": "#56B4E9",
    "baytaq": "#009E73",
}

#: Parties known to have run on a maslikhat's party-list ballot although their votes were not found.
#: Kyzylorda: Ak Zhol and Baytaq ran (the published percentages of the other four sum to 78.9 %), but
#: their votes and the "against all" count are missing, so the contest is incomplete.
RAN_BUT_NOT_REPORTED = {"kyzylorda": ("ak_zhol", "baytaq")}

MAZHILIS_PL = "mazhilis_party_list"
MAZHILIS_SM = "mazhilis_single_mandate"

NOTES = {
    "en": (
        "Published figures gathered from the Central Election Commission's statements as reported by "
        "Kazinform, Astana Times, Vlast, territorial election commissions and Wikipedia; every figure's source is in "
        "sources.csv and anything not found is shown as not reported. Known disagreements: national turnout "
        "was 54.19% in the CEC's 22:10 preliminary release and 54.21% as reported after the final count "
        "(both kept, labelled). The Mazhilis's 29 single-mandate seats: 22 Amanat and 7 self-nominated, as "
        "stated by the CEC deputy chair (electionguide.org shows OSDP 5 and 6 self-nominated). Astana "
        "maslikhat: one outlet prints People's Party 5.12% and Ak Zhol 19.96%; the votes give 5.50% and "
        "16.96% (used). Turnout at 18:10: one outlet prints Turkistan 41.07% and Ulytau 63.63%; the CEC "
        "release gives 51.07% and 58.63% (used). Percentages are of the votes for parties and against all "
        "together, not of voters who took part. Regional registered-voter counts published before election day "
        "or for single-mandate districts are not used as results; only the maslikhat protocols' counts are, "
        "in the maslikhat rows. Kyzylorda's maslikhat lacks Ak Zhol's and Baytaq's votes and Kostanay's "
        "lacks the against-all count, so no seats are computed for them."
    ),
    "ru": (
        "Опубликованные данные из сообщений Центральной избирательной комиссии (по материалам Казинформа, "
        "Astana Times, Vlast, территориальных избирательных комиссий и Википедии); источник каждого показателя указан в "
        "sources.csv, ненайденные данные показаны как «не опубликовано». Известные расхождения: явка по "
        "стране — 54,19% в предварительном сообщении ЦИК на 22:10 и 54,21% после окончательного подсчёта "
        "(приведены обе с пометками). 29 мандатов Мажилиса по одномандатным округам: 22 у Amanat и 7 у "
        "самовыдвиженцев по заявлению заместителя председателя ЦИК (electionguide.org указывает ОСДП 5 и 6 "
        "самовыдвиженцев). Маслихат Астаны: одно издание приводит Народную партию 5,12% и «Ак жол» 19,96%; по "
        "голосам — 5,50% и 16,96% (используются). Явка на 18:10: одно издание приводит Туркестанскую "
        "область 41,07% и Улытау 63,63%; в сообщении ЦИК — 51,07% и 58,63% (используются). Проценты "
        "считаются от суммы голосов за партии и «против всех», а не от числа принявших участие в голосовании. "
        "Численность избирателей областей до дня выборов и по одномандатным округам не используется как "
        "результат; используются только данные протоколов маслихатов, в строках маслихатов. У маслихата "
        "Кызылординской области нет голосов «Ак жол» и «Байтак», у Костанайской — числа голосов «против "
        "всех», поэтому мандаты для них не рассчитываются."
    ),
    "kk": (
        "Орталық сайлау комиссиясының хабарламаларынан алынған жарияланған деректер (Қазинформ, Astana "
        "Times, Vlast, аумақтық сайлау комиссиялары және Уикипедия бойынша); әр көрсеткіштің дереккөзі "
        "sources.csv файлында, табылмаған деректер «жарияланбаған» деп көрсетіледі. Белгілі "
        "айырмашылықтар: ел бойынша сайлаушылардың келуі ОСК-ның 22:10 жағдай бойынша алдын ала хабарында 54,19%, "
        "түпкілікті санаудан кейін 54,21% (екеуі де белгіленіп берілген). Мәжілістің бір мандатты 29 "
        "округі: ОСК төрағасының орынбасары мәлімдегендей 22 Amanat және 7 өзін-өзі ұсынған депутат "
        "(electionguide.org ЖСДП-ға 5 және 6 өзін-өзі ұсынған деп көрсетеді). Астана мәслихаты: бір басылым Халық "
        "партиясына 5,12% және «Ақ жолға» 19,96% береді; дауыстар бойынша 5,50% және 16,96% (қолданылады). "
        "18:10 жағдай бойынша сайлаушылардың келуі: бір басылым Түркістан облысына 41,07% және Ұлытауға 63,63% береді; ОСК хабарында "
        "51,07% және 58,63% (қолданылады). Пайыздар партияларға және «бәріне қарсы» берілген "
        "дауыстардың жиынтығынан есептеледі, дауыс беруге қатысқандардан емес. Облыстардың сайлау күніне дейінгі және бір "
        "мандатты округтер бойынша сайлаушылар саны нәтиже ретінде қолданылмайды; тек мәслихат "
        "хаттамаларының деректері мәслихат жолдарында қолданылады. Қызылорда облысы мәслихатында «Ақ жол» "
        "мен «Байтақтың» дауыстары, Қостанай облысында «бәріне қарсы» дауыстар саны жоқ, сондықтан "
        "олар үшін мандаттар есептелмейді."
    ),
}


def _read(name: str) -> list[dict[str, str]]:
    with open(SOURCES / name, encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _int(text: str) -> int | None:
    return int(text) if text else None


def _urls(*texts: str) -> str:
    """Join one or more ' ; '-separated URL lists, without duplicates, in order."""
    seen: list[str] = []
    for text in texts:
        for url in text.split(" ; "):
            url = url.strip()
            if url and url not in seen:
                seen.append(url)
    return " ; ".join(seen)


class _Sources:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, file, source_url, *, contest="", unit="", time="", field="", note=""):
        self.rows.append(
            dict(
                file=file,
                contest=contest,
                unit=unit,
                time=time,
                field=field,
                source_url=source_url,
                note=note,
            )
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(SOURCE_COLUMNS), dtype="string")


def parties() -> tuple[Party, ...]:
    out = []
    for r in _read("parties.csv"):
        out.append(
            Party(
                key=r["key"],
                short={"kk": r["short_kk"], "ru": r["short_ru"], "en": r["short_en"]},
                names={"kk": r["name_kk"], "ru": r["name_ru"], "en": r["name_en"]},
                colour=COLOURS[r["key"]],
            )
        )
    return tuple(out)


def _maslikhat_ballots(party_keys: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Parties on each maslikhat list ballot, where the sources show it (else: not stated = all parties)."""
    on_ballot: dict[str, set[str]] = {}
    for r in _read("maslikhat_party_list_results.csv"):
        if r["party"] != "against_all":
            on_ballot.setdefault(r["maslikhat"], set()).add(r["party"])
    for unit, extra in RAN_BUT_NOT_REPORTED.items():
        on_ballot.setdefault(unit, set()).update(extra)
    return {unit: tuple(p for p in party_keys if p in keys) for unit, keys in on_ballot.items()}


def build_election() -> Election:
    party_list = parties()
    party_keys = tuple(p.key for p in party_list)
    src = _Sources()

    national = {r["party"]: r for r in _read("mazhilis_party_list_national.csv")}
    totals = {r["figure"]: r for r in _read("mazhilis_national_totals.csv")}
    seats_rows = {r["party"]: r for r in _read("mazhilis_seats.csv")}
    sizes = {r["maslikhat"]: r for r in _read("maslikhat_sizes.csv")}

    # --- contests ------------------------------------------------------------------------------------
    total_list = sum(_int(r["list_seats"]) or 0 for r in seats_rows.values())
    total_sm = sum(_int(r["single_mandate_seats"]) or 0 for r in seats_rows.values())
    assert (total_list, total_sm) == (69, 29), (total_list, total_sm)
    assert _int(totals["seats_total"]["value"]) == total_list + total_sm
    contests = [
        Contest(MAZHILIS_PL, "mazhilis", "party_list", NATIONAL, 69, 5.0),
        Contest(MAZHILIS_SM, "mazhilis", "single_mandate", NATIONAL, 29, 5.0),
    ]
    src.add(
        "election.json",
        totals["seats_total"]["source_url"],
        contest=MAZHILIS_PL,
        field="seats",
        note="98 seats: 69 by party list, 29 in single-mandate districts",
    )
    src.add(
        "election.json",
        totals["seats_total"]["source_url"],
        contest=MAZHILIS_SM,
        field="seats",
        note="98 seats: 69 by party list, 29 in single-mandate districts",
    )
    ballots = _maslikhat_ballots(party_keys)
    for unit in region_keys():
        size = sizes.get(unit, {})
        list_seats = _int(size.get("list_seats", ""))
        sm_seats = _int(size.get("single_mandate_seats", ""))
        pl_key, sm_key = f"maslikhat_{unit}_party_list", f"maslikhat_{unit}_single_mandate"
        contests.append(
            Contest(pl_key, "maslikhat", "party_list", unit, list_seats, 5.0, ballots.get(unit, ()))
        )
        contests.append(Contest(sm_key, "maslikhat", "single_mandate", unit, sm_seats, 5.0))
        if size:
            whole = _int(size["total_seats"])
            note = f"whole maslikhat: {whole} seats" if whole is not None else "whole maslikhat: not reported"
            if list_seats is None and sm_seats is None:
                note += "; the split between party-list and single-mandate seats was not reported"
            src.add("election.json", size["source_url"], contest=pl_key, field="seats", note=note)
            src.add("election.json", size["source_url"], contest=sm_key, field="seats", note=note)
        if unit in RAN_BUT_NOT_REPORTED:
            missing = ", ".join(RAN_BUT_NOT_REPORTED[unit])
            url = next(
                r["source_url"] for r in _read("maslikhat_party_list_results.csv") if r["maslikhat"] == unit
            )
            src.add(
                "election.json",
                url,
                contest=pl_key,
                field="parties",
                note=f"{missing} ran but their votes were not found: the contest is incomplete",
            )

    # --- results.csv ---------------------------------------------------------------------------------
    results: list[dict] = []

    def empty_row(contest: str, unit: str) -> dict:
        return dict.fromkeys(RESULT_BASE_COLUMNS + party_keys) | {"contest": contest, "unit": unit}

    row = empty_row(MAZHILIS_PL, NATIONAL)
    row["registered"] = _int(totals["registered"]["value"])
    row["took_part"] = _int(totals["ballots_issued"]["value"])
    row["against_all"] = _int(national["against_all"]["votes"])
    for p in party_keys:
        row[p] = _int(national[p]["votes"])
    counted = sum(row[p] for p in party_keys) + row["against_all"]
    assert counted == _int(totals["votes_counted_party_list"]["value"]), counted
    results.append(row)
    src.add(
        "results.csv",
        totals["registered"]["source_url"],
        contest=MAZHILIS_PL,
        unit=NATIONAL,
        field="registered",
        note=totals["registered"]["note"],
    )
    src.add(
        "results.csv",
        totals["ballots_issued"]["source_url"],
        contest=MAZHILIS_PL,
        unit=NATIONAL,
        field="took_part",
        note="ballots issued (" + totals["ballots_issued"]["note"] + "); 6,521,860 / 12,035,578 = 54.19%, "
        "the CEC's 22:10 turnout; the 54.21% reported after the final count has no published ballots figure",
    )
    src.add(
        "results.csv",
        totals["votes_counted_party_list"]["source_url"],
        contest=MAZHILIS_PL,
        unit=NATIONAL,
        field="invalid",
        note="not reported: no invalid-ballot count was published; it is not derived from ballots issued "
        "minus votes counted (6,366,441), which need not be the same thing",
    )
    for p in (*party_keys, "against_all"):
        src.add(
            "results.csv",
            national[p]["source_url"],
            contest=MAZHILIS_PL,
            unit=NATIONAL,
            field=p,
            note=f"published {national[p]['percent_published']}% of votes counted (party votes + against all)",
        )

    turnout_m = {r["maslikhat"]: r for r in _read("maslikhat_turnout.csv")}
    registered_by_region = {r["unit"]: r for r in _read("registered_by_region.csv")}
    votes_m: dict[str, dict[str, dict]] = {}
    for r in _read("maslikhat_party_list_results.csv"):
        votes_m.setdefault(r["maslikhat"], {})[r["party"]] = r
    for unit in region_keys():
        if unit not in votes_m and unit not in turnout_m:
            continue
        key = f"maslikhat_{unit}_party_list"
        row = empty_row(key, unit)
        t = turnout_m.get(unit)
        if t:
            row["registered"], row["took_part"] = _int(t["registered"]), _int(t["took_part"])
            rr = registered_by_region.get(unit)
            also = rr["source_url"] if rr and "MASLIKHAT" in rr["kind_of_figure"] else ""
            for fld in ("registered", "took_part"):
                if row[fld] is not None:
                    src.add(
                        "results.csv",
                        _urls(t["source_url"], also),
                        contest=key,
                        unit=unit,
                        field=fld,
                        note="maslikhat protocol, same election day",
                    )
        for p, r in votes_m.get(unit, {}).items():
            row[p] = _int(r["votes"])
            note = f"published {r['percent_published']}%" if r["percent_published"] else ""
            src.add("results.csv", r["source_url"], contest=key, unit=unit, field=p, note=note)
        if unit in votes_m and "against_all" not in votes_m[unit]:
            url = next(iter(votes_m[unit].values()))["source_url"]
            src.add(
                "results.csv",
                url,
                contest=key,
                unit=unit,
                field="against_all",
                note="not reported in the published result",
            )
        results.append(row)
    left_out = sorted(u for u, r in registered_by_region.items() if "MASLIKHAT" not in r["kind_of_figure"])
    src.add(
        "results.csv",
        "",
        field="registered",
        note="registered voters per region from sources/2023/registered_by_region.csv are used only where "
        "they come from a maslikhat protocol, and only in maslikhat rows; left out (pre-election counts, "
        "voter register of 1 January, single-mandate district electorates — not results of this vote): "
        + ", ".join(left_out),
    )
    results_df = pd.DataFrame(results, columns=list(RESULT_BASE_COLUMNS + party_keys))
    for col in RESULT_BASE_COLUMNS[2:] + party_keys:
        results_df[col] = results_df[col].astype("Int64")
    results_df[["contest", "unit"]] = results_df[["contest", "unit"]].astype("string")

    # --- turnout.csv ---------------------------------------------------------------------------------
    reports = _read("turnout_reports.csv")
    turnout = [
        {
            "time": r["time"],
            "unit": r["unit"],
            "registered": None,
            "took_part": None,
            "turnout_pct": float(r["turnout_pct"]),
        }
        for r in reports
    ]
    by_time: dict[str, list[str]] = {}
    for r in reports:
        urls = by_time.setdefault(r["time"], [])
        if r["source_url"] not in urls:
            urls.append(r["source_url"])
    for time, urls in by_time.items():
        if len(urls) == 1:
            src.add("turnout.csv", urls[0], time=time, field="turnout_pct", note="CEC interim turnout")
        else:
            for r in reports:
                if r["time"] == time:
                    src.add("turnout.csv", r["source_url"], time=time, unit=r["unit"], field="turnout_pct")
    final = totals["turnout_pct_final"]
    turnout.append(
        {
            "time": FINAL,
            "unit": NATIONAL,
            "registered": None,
            "took_part": None,
            "turnout_pct": float(final["value"]),
        }
    )
    src.add(
        "turnout.csv",
        final["source_url"],
        time=FINAL,
        unit=NATIONAL,
        field="turnout_pct",
        note="reported after the final count; 22:10 preliminary was 54.19",
    )
    turnout_df = pd.DataFrame(turnout, columns=list(TURNOUT_COLUMNS))
    turnout_df[["time", "unit"]] = turnout_df[["time", "unit"]].astype("string")
    turnout_df[["registered", "took_part"]] = turnout_df[["registered", "took_part"]].astype("Int64")
    turnout_df["turnout_pct"] = turnout_df["turnout_pct"].astype("Float64")

    # --- districts.csv -------------------------------------------------------------------------------
    districts = []
    for r in _read("mazhilis_single_mandate_districts.csv"):
        districts.append(
            {
                "contest": MAZHILIS_SM,
                "district": r["district"],
                "unit": r["unit"] or None,
                "winner": r["winner"] or None,
                "party": r["party"] or None,
            }
        )
        if r["source_url"]:
            note = f"district {r['district']}"
            if r["electorate"]:
                note += f"; electorate {int(r['electorate']):,} (not a result of this vote; not used)"
            src.add(
                "districts.csv",
                r["source_url"],
                contest=MAZHILIS_SM,
                unit=r["unit"],
                field="district",
                note=note,
            )
    districts_df = pd.DataFrame(districts, columns=list(DISTRICT_COLUMNS), dtype="string")

    # --- composition.csv -----------------------------------------------------------------------------
    composition = []
    for p, r in seats_rows.items():
        if r["list_seats"]:
            composition.append({"contest": MAZHILIS_PL, "party": p, "seats": _int(r["list_seats"])})
    for p, r in seats_rows.items():
        if r["single_mandate_seats"] and _int(r["single_mandate_seats"]) > 0:
            composition.append({"contest": MAZHILIS_SM, "party": p, "seats": _int(r["single_mandate_seats"])})
            src.add("composition.csv", r["source_url"], contest=MAZHILIS_SM, field=p, note=r["note"])
    src.add(
        "composition.csv",
        seats_rows["amanat"]["source_url"] + " ; " + seats_rows["auyl"]["source_url"],
        contest=MAZHILIS_PL,
        note="the CEC's published allocation of the 69 list seats",
    )
    composition += _almaty_single_mandate(src, results_df, party_keys, contests)
    composition_df = pd.DataFrame(composition, columns=list(COMPOSITION_COLUMNS))
    composition_df[["contest", "party"]] = composition_df[["contest", "party"]].astype("string")
    composition_df["seats"] = composition_df["seats"].astype("Int64")

    return Election(
        id=ELECTION_ID,
        date="2023-03-19",
        names=NAMES,
        parties=party_list,
        contests=tuple(contests),
        results=results_df,
        turnout=turnout_df,
        districts=districts_df,
        composition=composition_df,
        sources=src.frame(),
        simulated=False,
        notes=NOTES,
    )


def _almaty_single_mandate(src: _Sources, results_df, party_keys, contests) -> list[dict]:
    """Almaty city: only the *whole* maslikhat's composition was published (42 seats by party).

    It is not a per-contest figure. The single-mandate seats are derived as whole assembly minus the 21
    list seats computed from Almaty's complete party-list votes — used only if every difference is
    non-negative and they add up to the 21 single-mandate seats; the derivation is stated in sources.csv.
    """
    rows = [r for r in _read("maslikhat_composition.csv") if r["maslikhat"] == "almaty"]
    whole = {r["party"]: _int(r["total_seats"]) for r in rows}
    pl = next(c for c in contests if c.key == "maslikhat_almaty_party_list")
    sm = next(c for c in contests if c.key == "maslikhat_almaty_single_mandate")
    res = results_df[results_df["contest"] == pl.key].iloc[0]
    ballot = pl.parties or party_keys
    votes = {p: int(res[p]) for p in ballot}
    computed = allocate_seats(
        votes, pl.seats, threshold=pl.threshold_pct / 100, against_all=int(res["against_all"])
    )
    derived = {p: n - computed.get(p, 0) for p, n in whole.items()}
    whole_text = ", ".join(f"{p} {n}" for p, n in whole.items())
    ok = (
        set(computed) - {p for p, n in computed.items() if n == 0} <= set(whole)
        and all(n >= 0 for n in derived.values())
        and sum(derived.values()) == sm.seats
        and sum(whole.values()) == pl.seats + sm.seats
    )
    if not ok:
        src.add(
            "composition.csv",
            rows[0]["source_url"],
            contest=sm.key,
            note=f"whole maslikhat as seated (published): {whole_text}; not split by contest",
        )
        return []
    src.add(
        "composition.csv",
        rows[0]["source_url"],
        contest=sm.key,
        note=f"DERIVED: the whole maslikhat as seated (published): {whole_text}; minus the 21 list seats "
        "computed from the published list votes ("
        + ", ".join(f"{p} {n}" for p, n in computed.items() if n)
        + "); not a published per-contest figure",
    )
    return [{"contest": sm.key, "party": p, "seats": n} for p, n in derived.items() if n > 0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    out = write_package(build_election(), args.out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
