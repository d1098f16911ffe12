"""Screenshots of every page, as a citizen sees them: desktop (1366 px) and phone (390 px).

    python -m dashboard serve --port 8070 &            # the embedded 2023 data
    python tools/screenshots.py http://127.0.0.1:8070 screenshots/

Uses Debian's chromium through selenium with phone emulation (plain ``chromium --screenshot`` lays pages
out at no less than 500 px, which hides what a 390 px phone shows). Full-page height is captured.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from selenium import webdriver

VIEWS = {
    "front": "/?lang={lang}",
    "archive": "/archive?lang={lang}",
    "mazhilis-2023": "/e/kz-2023-03-19/?lang={lang}",
    "president-2022": "/e/kz-2022-11-20/?lang={lang}",
    "region": "/e/kz-2023-03-19/region/almaty?lang={lang}",
    "turnout": "/e/kz-2026-03-15/turnout?lang={lang}",
    "maslikhats": "/e/kz-2023-03-19/maslikhats?lang={lang}&region=astana",
    "embed-map": "/e/kz-2023-03-19/embed/map?lang={lang}&mode=turnout",
    "observers": "/e/kz-2023-03-19/observers?lang={lang}",
}
WIDTHS = {"desktop": 1366, "phone": 390}


def driver(width: int) -> webdriver.Chrome:
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        opts.add_argument(flag)
    if width < 500:
        opts.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": 844, "pixelRatio": 1.0}}
        )
    else:
        opts.add_argument(f"--window-size={width},900")
    return webdriver.Chrome(options=opts)


def main(base: str, out: str, lang: str = "en") -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    for kind, width in WIDTHS.items():
        d = driver(width)
        try:
            for name, path in VIEWS.items():
                d.get(base + path.format(lang=lang))
                time.sleep(6)  # Dash renders the page and plotly draws the charts
                height = d.execute_script("return document.documentElement.scrollHeight")
                overflow = d.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                d.set_window_size(width, min(height + 40, 6000)) if width >= 500 else None
                if width < 500:
                    d.execute_cdp_cmd(
                        "Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": min(height, 6000), "deviceScaleFactor": 1, "mobile": True},
                    )
                target = Path(out) / f"{kind}-{name}-{lang}.png"
                d.save_screenshot(str(target))
                print(f"{target}: {width} px wide, page {height} px tall, horizontal overflow {overflow} px")
        finally:
            d.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "screenshots", *(sys.argv[3:4]))
