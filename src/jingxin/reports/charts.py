"""Charts for documents, drawn with matplotlib in a CJK font (never as empty boxes)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jingxin.errors import ConfigError

__all__ = ["bar_chart", "cjk_font"]

_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
)


@cache
def cjk_font() -> str:
    """The name of an installed font that covers Chinese.

    Raises
    ------
    ConfigError
        When none is installed, with the command that installs one.
    """
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for c in _CANDIDATES:
        if c in names:
            return c
    raise ConfigError(
        "未找到中文字体，图表中的汉字将无法显示。请安装 Noto CJK 字体："
        "sudo apt-get install fonts-noto-cjk（安装后重新运行）。"
    )


def bar_chart(
    path: Path,
    title: str,
    labels: list[str],
    values: list[float],
    unit: str,
    reference: float | None = None,
    reference_label: str = "",
) -> Path:
    """A bar chart with value labels and an optional reference line, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    plt.rcParams["font.family"] = [font]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=150)
    bars = ax.bar(labels, values, color="#2f5597")
    for b, v in zip(bars, values, strict=True):
        ax.annotate(
            f"{v:.1f}",
            (b.get_x() + b.get_width() / 2, b.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    if reference is not None:
        ax.axhline(reference, color="#c00000", linewidth=1, linestyle="--")
        ax.annotate(
            f"{reference_label} {reference:.1f}",
            (len(labels) - 0.5, reference),
            ha="right",
            va="bottom",
            color="#c00000",
            fontsize=9,
        )
    ax.set_title(title, fontsize=12)
    ax.set_ylabel(unit)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
