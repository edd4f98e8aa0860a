"""The project stands alone: its files point only at its own documentation (docs/), and every
relative link in its Markdown pages leads to a file that exists.

A clone has nothing beside the repository, so a pointer to a folder next to it, or to a
document that only lived there, is a dead end for whoever reads it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Built from pieces, so that this file does not contain what it looks for.
FORBIDDEN = (
    "../" + "shared",
    "PRODUCT" + ".md",
    "BENCH" + "MARKS.md",
    "STYLE" + ".md",
)

# Folders never part of the project's own files, when git cannot list them.
_SKIPPED_DIRS = {".git", ".venv", "__pycache__", "node_modules", "test-artifacts", "instance"}
_SKIPPED_PATHS = {Path("bench", "results")}

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def project_files(root: Path = ROOT) -> list[Path]:
    """Every file of the project: tracked or new (not ignored) when git can tell, else a walk."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        found = []
        for folder, dirs, files in os.walk(root):
            here = Path(folder).relative_to(root)
            dirs[:] = [
                d
                for d in dirs
                if d not in _SKIPPED_DIRS
                and not d.endswith((".egg-info", "_cache"))
                and here / d not in _SKIPPED_PATHS
            ]
            found.extend(Path(folder) / name for name in files)
        return sorted(found)
    names = [name for name in listed.decode("utf-8").split("\0") if name]
    return [root / name for name in names if (root / name).is_file()]


def forbidden_mentions(root: Path = ROOT) -> list[str]:
    """A "path:line: text" for each line of a project file that points outside the project."""
    needles = [needle.encode() for needle in FORBIDDEN]
    found = []
    for path in project_files(root):
        content = path.read_bytes()
        if not any(needle in content for needle in needles):
            continue
        for number, line in enumerate(content.splitlines(), 1):
            if any(needle in line for needle in needles):
                text = line.decode("utf-8", "replace").strip()
                found.append(f"{path.relative_to(root)}:{number}: {text}")
    return found


def markdown_pages(root: Path = ROOT) -> list[Path]:
    pages = [root / "README.md", root / "bench" / "README.md"]
    pages += sorted((root / "docs").glob("*.md"))
    return [page for page in pages if page.is_file()]


def relative_links(page: Path) -> list[str]:
    """The targets of the Markdown links of `page` that name a file of the repository (no
    scheme, not a bare #anchor), outside code blocks and code spans."""
    text = _CODE_SPAN.sub("", _FENCE.sub("", page.read_text(encoding="utf-8")))
    targets = []
    for target in _LINK.findall(text):
        if _SCHEME.match(target) or target.startswith(("#", "//")):
            continue
        targets.append(target)
    return targets


def broken_links(root: Path = ROOT) -> list[str]:
    """A "page: target" for each relative link that leads to no file or folder of the project."""
    broken = []
    for page in markdown_pages(root):
        for target in relative_links(page):
            path = target.split("#", 1)[0].split("?", 1)[0]
            resolved = (page.parent / path).resolve()
            inside = resolved == root or root in resolved.parents
            if not inside or not resolved.exists():
                broken.append(f"{page.relative_to(root)}: {target}")
    return broken


def test_no_file_points_outside_the_project():
    assert forbidden_mentions() == []


def test_every_relative_link_in_the_documentation_leads_to_a_file():
    assert broken_links() == []


def test_the_documentation_exists_and_the_readme_leads_to_it():
    for name in ("README.md", "domain.md", "benchmarks.md"):
        assert (ROOT / "docs" / name).is_file(), name
    readme_links = relative_links(ROOT / "README.md")
    assert "docs/domain.md" in readme_links
    assert "docs/benchmarks.md" in readme_links
    index_links = relative_links(ROOT / "docs" / "README.md")
    assert {"domain.md", "benchmarks.md"} <= set(index_links)


def test_the_checks_catch_a_pointer_outside_and_a_dead_link(tmp_path):
    """The checks themselves: a project with a stray pointer and a dead link is caught."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "rules.py").write_text(f'"""See {FORBIDDEN[1]}."""\n', encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "Read [the domain](docs/domain.md), [gone](docs/gone.md), "
        f"[outside]({FORBIDDEN[0]}/x.md), [site](https://example.org) and "
        "`[code](nowhere.md)`.\n\n```\n[fenced](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "domain.md").write_text("[back](../README.md#top)\n", encoding="utf-8")
    assert forbidden_mentions(tmp_path) == [
        f"README.md:1: Read [the domain](docs/domain.md), [gone](docs/gone.md), "
        f"[outside]({FORBIDDEN[0]}/x.md), [site](https://example.org) and "
        "`[code](nowhere.md)`.",
        f'app/rules.py:1: """See {FORBIDDEN[1]}."""',
    ]
    assert broken_links(tmp_path) == [
        "README.md: docs/gone.md",
        f"README.md: {FORBIDDEN[0]}/x.md",
    ]
