"""The curators' version command writes the new version everywhere, and the release check holds it to the changelog."""
import yaml

from conftest import REPO, run_script


def set_version(package, *args):
    """`python scripts/set_version.py ARGS --root COPY`, run in this process."""
    return run_script(REPO / "scripts" / "set_version.py", *args, "--root", str(package.root), cwd=package.root)


def test_new_version_is_written_and_waits_for_its_changelog_entry(package):
    current = package.descriptor()["version"]
    major, minor, _ = map(int, current.split("."))
    new = f"{major}.{minor + 1}.0"
    assert set_version(package, new).returncode == 0
    assert package.descriptor()["version"] == new
    assert yaml.safe_load((package.root / "CITATION.cff").read_text())["version"] == new
    result = package.run_main()
    assert result.returncode == 1 and "release-integrity" in result.stdout
    changelog = package.root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(f"## [{current}]", f"## [{new}] - 2026-12-01\n\n## [{current}]", 1))
    assert package.run_main().returncode == 0


def test_a_version_that_is_not_newer_is_refused(package):
    before = package.snapshot()
    result = set_version(package, package.descriptor()["version"])
    assert result.returncode == 2 and "not newer" in result.stderr
    assert package.snapshot() == before
