"""The dashboards in Chromium (issue 15 item 1): at a desk the leader opens the dashboard,
clicks a bar of a chart and lands on the rows it counts; on a phone the counselor's
dashboard draws its charts (the canvas has ink: its pixels are read back)."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD

from . import everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The centre of a datum's bar in page pixels, asked of the chart ECharts drew (no guessing).
BAR_CENTRE = """([id, index]) => {
  const element = document.getElementById(id);
  const chart = window.echarts.getInstanceByDom(element);
  const option = chart.getOption();
  const value = option.series[0].data[index].value;
  const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [index, value / 2]);
  const box = element.getBoundingClientRect();
  return { x: box.left + x, y: box.top + y, url: option.series[0].data[index].url, value };
}"""

# Pixels of a chart's canvas that are not blank (any alpha), read back from the canvas.
INKED = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
  return inked;
}"""


def test_the_leader_clicks_a_bar_and_lands_on_its_rows(world, live_server, new_page):
    everything.build(world)
    page = new_page(**DESKTOP)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login_as(page, live_server, "L0001", PASSWORD)
    page.click("#panel-dashboards a")
    page.wait_for_url(f"{live_server.url}/dashboards/")
    page.wait_for_selector("#chart-hazards[data-chart-drawn]")
    data = page.evaluate(
        "(id) => window.echarts.getInstanceByDom(document.getElementById(id)).getOption().series[0].data",
        "chart-hazards",
    )
    index = next(i for i, d in enumerate(data) if d["value"] > 0)
    page.screenshot(path="/tmp/dash-leader-desktop.png", full_page=True)
    page.locator("#chart-hazards").scroll_into_view_if_needed()
    bar = page.evaluate(BAR_CENTRE, ["chart-hazards", index])
    page.mouse.click(bar["x"], bar["y"])
    page.wait_for_url(f"{live_server.url}{bar['url']}")
    assert page.url.startswith(f"{live_server.url}/ledgers/findings/?state=")
    rows = page.locator("[data-finding]").count()
    assert rows == bar["value"] >= 1  # exactly the rows the bar counts
    assert not errors, errors


def test_the_counselors_dashboard_draws_its_charts_on_a_phone(world, live_server, new_page):
    everything.build(world)
    phone = new_page(**PHONE)
    errors = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login_as(phone, live_server, "C0001", PASSWORD)
    phone.goto(f"{live_server.url}/dashboards/")
    for key in ("hazards", "night-progress", "coverage-class", "reports-trend"):
        phone.wait_for_selector(f"#chart-{key}[data-chart-drawn]")
        box = phone.locator(f"#chart-{key}").bounding_box()
        assert box["width"] <= 390 and box["height"] >= 150, key
        assert phone.evaluate(INKED, f"chart-{key}") > 500, f"{key}: the canvas is blank"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.screenshot(path="/tmp/dash-counselor-phone.png", full_page=True)
    # and it prints: the print stylesheet hides the navigation and keeps the charts
    phone.emulate_media(media="print")
    assert not phone.locator("#main-nav").is_visible()
    assert phone.locator("#chart-hazards canvas").is_visible()
    assert not errors, errors
