"""A citable, licensed project: one version number (``alliancelib.__version__``, which
``pyproject.toml`` reads) in step with ``CITATION.cff`` and the newest release of ``CHANGELOG.md``;
``CITATION.cff`` is Citation File Format 1.2.0 with its required keys; ``LICENSE`` is the MIT
licence ``pyproject.toml`` declares; the data's licence is stated where a reader looks for it."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import yaml

import alliancelib
from alliancelib.paths import DATA_DIR, ROOT

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", re.M)


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def changelog() -> str:
    return (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def newest_release() -> tuple[str, dt.date]:
    """The version and date of CHANGELOG's first release heading (the newest)."""
    found = RELEASE.search(changelog())
    assert found, "CHANGELOG.md has a release heading '## [x.y.z] - YYYY-MM-DD'"
    return found["version"], dt.date.fromisoformat(found["date"])


def test_the_version_is_written_once_and_pyproject_reads_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "alliancelib.__version__"}
    assert SEMVER.match(alliancelib.__version__)
    source = (ROOT / "alliancelib" / "__init__.py").read_text(encoding="utf-8")
    assert source.count(alliancelib.__version__) == 1  # one literal, nowhere else in the package
    others = [
        p
        for p in (ROOT / "alliancelib").rglob("*.py")
        if p.name != "__init__.py" and f'"{alliancelib.__version__}"' in p.read_text(encoding="utf-8")
    ]
    assert others == []


def test_citation_changelog_and_package_carry_the_same_version() -> None:
    cff = citation()
    version, released = newest_release()
    assert str(cff["version"]) == version == alliancelib.__version__
    assert cff["date-released"] == released  # YAML reads an unquoted date as a date


def test_the_installed_metadata_has_that_version() -> None:
    from importlib import metadata

    assert metadata.version("alliancelib") == alliancelib.__version__


def test_citation_cff_is_cff_1_2_0_with_its_required_keys() -> None:
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    # required by the CFF 1.2.0 schema: authors, cff-version, message, title
    assert isinstance(cff["message"], str) and cff["message"].strip()
    readme_title = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    assert cff["title"] == readme_title
    assert isinstance(cff["authors"], list) and cff["authors"]
    for author in cff["authors"]:  # a person (family-names) or an entity (name), nothing empty
        assert set(author) & {"name", "family-names"} and all(str(v).strip() for v in author.values())
    assert cff["type"] in ("software", "dataset")
    assert cff["license"] == "MIT"
    assert isinstance(cff["date-released"], dt.date)
    assert all(isinstance(k, str) and k.strip() for k in cff["keywords"])
    allowed = {
        "abstract",
        "authors",
        "cff-version",
        "commit",
        "contact",
        "date-released",
        "doi",
        "identifiers",
        "keywords",
        "license",
        "license-url",
        "message",
        "preferred-citation",
        "references",
        "repository",
        "repository-artifact",
        "repository-code",
        "title",
        "type",
        "url",
        "version",
    }
    assert set(cff) <= allowed  # the schema allows no other key


def test_changelog_keeps_a_changelog_layout() -> None:
    text = changelog()
    assert text.startswith("# Changelog\n") and "https://keepachangelog.com/en/1.1.0/" in text
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    assert headings[0] == "Unreleased" and len(headings) >= 2
    releases = RELEASE.findall(text)
    assert [v for v, _ in releases] == headings[1:]
    dates = [d for _, d in releases]
    assert dates == sorted(dates, reverse=True)  # newest first
    generated = {"Findings that moved", "Results that moved", "Facts added, changed or removed"}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        kinds = re.findall(r"^### (.+)$", section, re.M)
        if section.startswith("[Unreleased]") and not kinds:
            continue  # right after a release: nothing noted yet
        assert (
            kinds
            and set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"} | generated
        )
        assert re.search(r"^- \S", section, re.M), section.splitlines()[0]


def test_license_is_the_mit_licence_pyproject_declares() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    assert text.startswith("MIT License\n\nCopyright (c) ")
    assert "The maintainers of the alliance research notebooks" in text.splitlines()[2]
    for clause in (
        "Permission is hereby granted, free of charge, to any person obtaining a copy",
        "The above copyright notice and this permission notice shall be included in all",
        'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR',
    ):
        assert clause in text, clause
    assert citation()["authors"][0]["name"] in text


def test_the_data_licence_is_stated_where_readers_look() -> None:
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-4.0"]
    data_readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    section = data_readme.split("## Licence\n", 1)[1].split("\n## ", 1)[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cite = readme.split("## Licence and how to cite\n", 1)[1].split("\n## ", 1)[0]
    for text in (" ".join(section.split()), " ".join(cite.split())):
        assert "CC BY 4.0" in text and "each source keeps its own terms" in text.lower()
        assert "ECB's terms" in text and "see each source" in text and "MIT licence" in text
    assert f"(version {alliancelib.__version__})" in " ".join(cite.split())
    assert "CITATION.cff" in cite and "CHANGELOG.md" in cite
