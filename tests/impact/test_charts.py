from advocacy import charts


def test_gridlines_are_round_whole_numbers():
    assert charts.nice_max(0) == 4 and charts.nice_max(4) == 4
    assert charts.nice_max(5) == 8 and charts.nice_max(9) == 12 and charts.nice_max(11) == 12 and charts.nice_max(13) == 20
    assert charts.nice_max(1234) == 2000 and charts.nice_max(401) == 800


def test_stacked_bars_reach_their_totals():
    c = charts.bar_chart(["a", "b"], [("x", [1, 2]), ("y", [3, 0])], title="t")
    base = c["base"]
    plot_h = base - charts.TOP
    top_of_a = min(b["y"] for b in c["bars"] if b["tip"].startswith("a"))
    assert abs((base - top_of_a) - plot_h * 4 / 4) < 0.01  # 1 + 3 = 4 = the axis maximum
    assert [b["cls"] for b in c["bars"]] == ["s0", "s1", "s0"]  # the zero value draws nothing
