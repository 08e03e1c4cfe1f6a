"""Charts that cannot mislead (issue 21): headings follow every switch, one finding per
chart, groups plotted only where eligible and with their n, Danish formatting as a kind.
Pure tests on the hand-made data and small frames; no server, no browser."""

from __future__ import annotations

from dataclasses import replace

from dashboard import charts, formatting


def _drawn(tiny_view, page: str, **view_fields):
    con, view = tiny_view
    return charts.read(charts.on(page), replace(view, **view_fields), on=con).draw()


def test_revenue_findings_follow_the_vat_switch(tiny_view):
    ex = _drawn(tiny_view, "Økonomi")
    incl = _drawn(tiny_view, "Økonomi", incl_vat=True)
    for key in ("revenue-by-format", "revenue-by-session", "revenue-over-time"):
        assert "ekskl. moms" in ex[key].finding, key
        assert "inkl. moms" in incl[key].finding and "ekskl." not in incl[key].finding, key
    # the sums the heading states are the incl. VAT sums the bars draw
    data = incl["revenue-by-format"].data
    assert formatting.kroner(data["revenue_incl_vat"].sum()) in incl["revenue-by-format"].finding
    assert formatting.kroner(data["revenue_ex_vat"].sum()) in ex["revenue-by-format"].finding


def test_every_chart_of_a_page_has_its_own_finding(tiny_view):
    for page in {chart.page for chart in charts.CHARTS}:
        findings = [d.finding for d in _drawn(tiny_view, page).values()]
        assert len(findings) == len(set(findings)), (page, findings)
