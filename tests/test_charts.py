"""Charts show every challenge with its whole name, count axes get whole distinct ticks, and
an empty chart says so instead of drawing an axis."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from crunchtime import charts
from tests import factories
from tests.helpers import fr, text


@pytest.mark.parametrize("largest, expected", [
    (0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (4, [0, 1, 2, 3, 4]),
    (17, [0, 5, 10, 15, 20]), (100, [0, 50, 100]), (1700, [0, 500, 1000, 1500, 2000]),
])
def test_count_axes_have_whole_distinct_ticks(largest, expected):
    assert charts.axis_ticks(largest) == expected


def test_no_axis_ever_repeats_a_tick_or_shows_a_fraction():
    for largest in range(0, 2001):
        ticks = charts.axis_ticks(largest)
        assert all(isinstance(tick, int) for tick in ticks)
        assert len(set(ticks)) == len(ticks) and ticks[-1] >= largest and len(ticks) <= 6


def test_bars_share_one_scale_ending_on_a_tick_and_zeros_are_empty():
    chart = charts.horizontal_bars([("A", 3), ("B", 6)], marks=[6, 12])
    assert chart.scale_max == 15 and not chart.empty
    assert [bar.share for bar in chart.bars] == [20.0, 40.0]
    assert [bar.mark_share for bar in chart.bars] == [40.0, 80.0]
    assert charts.horizontal_bars([("A", 0), ("B", 0)]).empty
    assert charts.horizontal_bars([]).empty
    assert not charts.horizontal_bars([("A", 0)], marks=[6]).empty


def test_the_demand_chart_names_every_challenge_in_full():
    from crunchtime.views.live.cockpit.charts import demand

    rows = [SimpleNamespace(code=f"C{i:03d}", title=f"Un défi au titre particulièrement long {i}",
                            organisation="Communauté d'agglomération du Grand Belfort",
                            first_choices=i % 9, capacity=12, pressure=(i % 9) / 12)
            for i in range(61)]
    chart = demand(SimpleNamespace(demand=rows))
    assert len(chart.bars) == 61
    assert chart.bars[0].label == ("C008 Un défi au titre particulièrement long 8 · "
                                   "Communauté d'agglomération du Grand Belfort")


def test_an_empty_edition_says_no_data_instead_of_an_axis(db, edition, organizer, as_user):
    page = text(as_user(organizer).get("/organizer/cockpit/panels"))
    registrations = page[page.index('id="chart-registrations-title"'):]
    registrations = registrations[:registrations.index("</figure>")]
    assert fr("No data yet.") in registrations and "chart-axis" not in registrations
    assert page.count(f'<p class="chart-empty">{fr("No data yet.")}</p>') >= 3


def test_the_dashboard_demand_chart_lists_every_challenge_in_a_named_scroll_region(
        db, organizer, as_user):
    edition = factories.edition(phase="preferences")
    for i in range(30):
        factories.challenge(edition, title=f"Hydrogène vert pour la ligne de bus numéro {i}")
    page = text(as_user(organizer).get("/organizer/cockpit/panels"))
    demand = page[page.index('id="chart-demand-title"'):]
    demand = demand[:demand.index("</figure>")]
    assert re.search(r'class="bar-chart-wrap chart-scroll" tabindex="0" role="region" '
                     r'aria-labelledby="chart-demand-title"', demand)
    assert demand.count('<th scope="row">') == 30
    assert "Hydrogène vert pour la ligne de bus numéro 29 · " in demand
    assert fr("No data yet.") not in demand  # seats alone are worth drawing


def test_the_demand_page_draws_a_bar_for_every_challenge(db, organizer, as_user):
    edition = factories.edition(phase="preferences")
    for i in range(30):
        factories.challenge(edition, title=f"Défi numéro {i} au titre complet", teams_wanted=2)
    page = text(as_user(organizer).get("/organizer/demand"))
    assert page.count('<rect class="bar-fill" data-field="bar"') == 30
    assert 'style="' not in page[page.index('id="demand-table"'):]  # the CSP forbids them
    assert "Défi numéro 29 au titre complet" in page
    assert 'tabindex="0" role="region" aria-labelledby="demand-title"' in page
