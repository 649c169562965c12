"""Report figures as base64 PNG (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

BLUE, ORANGE, GREY = "#2f6db5", "#e07b39", "#888888"


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def histograms(series: dict[str, list[float]], title: str, xlabel: str) -> str | None:
    """Overlaid histograms over [0, 1] of per-letter values."""
    series = {name: values for name, values in series.items() if values}
    if not series:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    for (name, values), color in zip(series.items(), (BLUE, ORANGE, GREY)):
        ax.hist(values, bins=20, range=(0, 1), alpha=0.6, label=name, color=color)
    ax.set(title=title, xlabel=xlabel, ylabel="letters", xlim=(0, 1))
    ax.legend()
    return _png(fig)


def top_n_overlap(overlap: dict[str, float | None]) -> str | None:
    points = [(int(n), v) for n, v in overlap.items() if v is not None]
    if not points:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    ax.plot([n for n, _ in points], [v for _, v in points], marker="o", color=BLUE)
    ax.set(title="Top-N content-word overlap, original vs synthetic (mean per letter)", xlabel="N",
           ylabel="overlap", ylim=(0, 1.05), xscale="log")
    ax.set_xticks([n for n, _ in points], [str(n) for n, _ in points])
    return _png(fig)


def paired_bars(groups: dict[str, tuple[float | None, float | None]], labels: tuple[str, str], title: str,
                ylim: tuple[float, float] | None = None) -> str | None:
    """Two bars per group on one axis (values of one scale, e.g. precision/recall/F1)."""
    groups = {k: v for k, v in groups.items() if None not in v}
    if not groups:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    positions = range(len(groups))
    ax.bar([p - 0.2 for p in positions], [v[0] for v in groups.values()], width=0.4, label=labels[0], color=BLUE)
    ax.bar([p + 0.2 for p in positions], [v[1] for v in groups.values()], width=0.4, label=labels[1], color=ORANGE)
    ax.set_xticks(list(positions), list(groups))
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_title(title)
    ax.legend()
    return _png(fig)


def paired_panels(groups: dict[str, tuple[float | None, float | None]], labels: tuple[str, str], title: str) -> str | None:
    """One small panel per group, each on its own scale (readability scores differ in range)."""
    groups = {k: v for k, v in groups.items() if None not in v}
    if not groups:
        return None
    fig, axes = plt.subplots(1, len(groups), figsize=(2.6 * len(groups), 3.2), squeeze=False)
    for ax, (name, (first, second)) in zip(axes[0], groups.items()):
        bars = ax.bar(labels, [first, second], color=[BLUE, ORANGE])
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.margins(y=0.15)
    fig.suptitle(title)
    return _png(fig)


def tradeoff(points: list[dict], x: str, y: str, xlabel: str, ylabel: str, title: str) -> str | None:
    """Fidelity against diversity, one line per strategy, each point labelled with its mask ratio."""
    points = [p for p in points if p.get(x) is not None and p.get(y) is not None]
    if not points:
        return None
    fig, ax = plt.subplots(figsize=(6.8, 4.4))
    strategies = sorted({p["strategy"] for p in points})
    for strategy, color in zip(strategies, (BLUE, ORANGE, "#3a9a5b", GREY)):
        line = sorted((p for p in points if p["strategy"] == strategy), key=lambda p: p["ratio"])
        ax.plot([p[x] for p in line], [p[y] for p in line], marker="o", color=color, label=strategy)
        for p in line:
            ax.annotate(f"{p['ratio']:.1f}", (p[x], p[y]), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(title="strategy (labels: mask ratio)")
    return _png(fig)
