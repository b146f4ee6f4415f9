"""A small document model that the Markdown and Word writers both render."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Chart", "Document", "Section", "Table"]


@dataclass
class Table:
    """A captioned table of already formatted cells."""

    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """A picture file with its caption."""

    caption: str
    path: Path


@dataclass
class Section:
    """A numbered part of the document."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Document:
    """Title, issuer line and sections."""

    title: str
    issuer: str
    sections: list[Section] = field(default_factory=list)
    as_of: str = ""  # 数据截至 …: the data the document was computed from

    def to_markdown(self) -> str:
        """Render as Markdown (tables as pipe tables, charts as image links)."""
        lines = [f"# {self.title}", "", self.issuer, ""]
        if self.as_of:
            lines += [f"*{self.as_of}*", ""]
        for s in self.sections:
            lines += [f"## {s.heading}", ""]
            for p in s.paragraphs:
                lines += [p, ""]
            for t in s.tables:
                lines += [f"**{t.caption}**", ""]
                lines.append("| " + " | ".join(t.header) + " |")
                lines.append("|" + "|".join("---" for _ in t.header) + "|")
                lines += ["| " + " | ".join(r) + " |" for r in t.rows]
                lines.append("")
            for c in s.charts:
                lines += [f"![{c.caption}]({c.path.name})", ""]
        return "\n".join(lines)
