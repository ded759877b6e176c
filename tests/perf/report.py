"""One table of figures for ``make perf``: every benchmark calls ``row(...)``; the rows are
printed as they come and again, together, at the end of the run (see conftest.py)."""
ROWS: list[tuple[str, str, str, str]] = []


def row(benchmark: str, figure, unit: str, goal: str = "") -> None:
    if isinstance(figure, float):
        figure = f"{figure:,.2f}" if figure < 100 else f"{figure:,.0f}"
    elif isinstance(figure, int):
        figure = f"{figure:,}"
    ROWS.append((benchmark, str(figure), unit, goal))
    print(f"{benchmark} | {figure} | {unit} | {goal}", flush=True)


def table() -> str:
    if not ROWS:
        return ""
    head = ("benchmark", "figure", "unit", "goal")
    widths = [max(len(r[i]) for r in [head, *ROWS]) for i in range(4)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, widths)),
             "-|-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in ROWS]
    return "\n".join(lines)
