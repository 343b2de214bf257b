"""The curators' command refreshes hash and bytes after an edit, and touches nothing else."""
from conftest import REPO, run_script


def refresh(package):
    """`python scripts/refresh_hashes.py` in the copy, run in this process."""
    return run_script(REPO / "scripts" / "refresh_hashes.py", cwd=package.root)


def test_refresh_on_an_unchanged_package_changes_nothing(package):
    before = package.snapshot()
    result = refresh(package)
    assert result.returncode == 0 and "already up to date" in result.stdout
    assert package.snapshot() == before


def test_an_edit_fails_validation_until_the_hashes_are_refreshed(package):
    package.set_cell("drugs", "quetiapine", "drug_class", "antipsychotic (atypical)", refresh_hashes=False)
    assert package.run_main().returncode == 1
    result = refresh(package)
    assert result.returncode == 0 and result.stdout.strip() == "updated: drugs"
    assert package.run_main().returncode == 0


def test_refresh_refuses_a_path_outside_the_package(package):
    descriptor = package.descriptor()
    descriptor["resources"][0]["path"] = "../outside.csv"
    package.write_descriptor(descriptor)
    result = refresh(package)
    assert result.returncode == 2 and "Traceback" not in result.stderr
