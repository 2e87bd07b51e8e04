"""The dashboard puts weighted and unweighted figures side by side only where they differ."""

from __future__ import annotations


def test_weighted_figures_appear_beside_the_plain_ones_only_when_they_differ(app, client, auth, monkeypatch):
    from feedback.services import demo
    from feedback.services.reports import dashboard

    with app.app_context():
        demo.load(900, seed=5)
    app.config["NON_RESPONSE_MIN_V"] = 0.05  # the demo's tier difference (V = 0.08) is weighted for
    auth.as_role("analyst")
    html = client.get("/staff/?by=region").get_data(as_text=True)
    # On the demo the weighted NPS lies within the plain one's reach: one figure, no pair.
    assert 'data-testid="nps-weighted"' not in html and 'data-testid="weighted-cell"' not in html

    real = dashboard.results.build

    def moved(survey, **kwargs):
        data = real(survey, **kwargs)
        twin = data["weighting"]["metrics"]["nps"]
        twin |= {"value": 12.5, "low": 4.0, "high": 21.0, "n_effective": 640.2, "differs": True}
        segment = next(s for s in data["segments"] if "weighted" in s["metrics"]["nps"])
        segment["metrics"]["nps"]["weighted"] |= {
            "value": -33.3,
            "low": -45.0,
            "high": -21.6,
            "differs": True,
        }
        return data

    monkeypatch.setattr(dashboard.results, "build", moved)
    html = client.get("/staff/?by=region").get_data(as_text=True)
    assert 'data-testid="nps-weighted"' in html
    assert "not a fair mix of those invited" in html
    assert "+12.5" in html and "640" in html
    assert html.count('data-testid="weighted-cell"') == 1
    assert "33.3" in html and "the weighted one is the better guide" in html
