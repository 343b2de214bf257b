"""The release archive: the package as it is, Parquet copies that round-trip, checksums, Zenodo metadata."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from casekit.analysis.descriptor import read_descriptor, table_resources
from casekit.release import UnsafeOutput, build_release, package_paths, release_name, zenodo_json
from conftest import PACKAGE, REPO, copy_release_files, run_script

ARTICLE_DOI = "10.1136/jitc-2022-005956"
ARROW_TYPES = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(), "boolean": pa.bool_()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict[str, bytes]:
    """The members of an archive built from the real package, by path inside its top folder."""
    path = build_release(PACKAGE, tmp_path_factory.mktemp("dist"))
    top = release_name(PACKAGE) + "/"
    with zipfile.ZipFile(path) as opened:
        names = opened.namelist()
        assert all(name.startswith(top) for name in names), "every entry lies in the one top folder"
        return {name[len(top):]: opened.read(name) for name in names}


@pytest.fixture
def package_copy(tmp_path) -> Path:
    return copy_release_files(tmp_path)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_archive_holds_the_package_files_unchanged(archive):
    expected = package_paths(PACKAGE)
    for required in ("datapackage.json", "README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff", "CHANGELOG.md"):
        assert required in expected
    for resource in read_descriptor(PACKAGE)["resources"]:
        assert resource["path"] in expected and resource["schema"] in expected
    for relative in expected:
        assert archive[relative] == (PACKAGE / relative).read_bytes(), f"{relative} differs in the archive"


def test_every_parquet_file_round_trips_to_the_csv_values_and_schema_types(archive):
    import frictionless

    package = frictionless.Package(str(PACKAGE / "datapackage.json"), basepath=str(PACKAGE))
    parquet_files = {name for name in archive if name.startswith("parquet/")}
    assert parquet_files == {f"parquet/{resource.name}.parquet" for resource in table_resources(PACKAGE)}
    for resource in table_resources(PACKAGE):
        table = pq.read_table(io.BytesIO(archive[f"parquet/{resource.name}.parquet"]), use_threads=False)  # see docs/loading.md
        assert table.column_names == [field["name"] for field in resource.fields]
        for field in resource.fields:
            assert table.schema.field(field["name"]).type == ARROW_TYPES[field.get("type", "string")], \
                f"{resource.name}.{field['name']} has the wrong Parquet type"
        # frictionless reads the CSV independently of the code that wrote the Parquet file.
        expected = [{name: float(value) if isinstance(value, Decimal) else value for name, value in row.items()}
                    for row in package.get_resource(resource.name).read_rows()]
        assert table.to_pylist() == expected, f"parquet/{resource.name}.parquet differs from the CSV"


def test_sha256sums_lists_every_other_file_with_its_hash(archive):
    listed = {}
    for line in archive["SHA256SUMS"].decode("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(archive) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive[name]).hexdigest() == digest, name


def test_zenodo_metadata_agrees_with_citation_cff_and_the_descriptor(archive):
    metadata = json.loads(archive[".zenodo.json"])
    citation = yaml.safe_load((PACKAGE / "CITATION.cff").read_text(encoding="utf-8"))
    descriptor = read_descriptor(PACKAGE)
    assert metadata["upload_type"] == "dataset"
    assert metadata["version"] == descriptor["version"] == str(citation["version"])
    assert metadata["title"] == citation["title"]
    assert metadata["publication_date"] == str(citation["date-released"])
    assert metadata["license"] == citation["license"].lower() == descriptor["licenses"][0]["name"].lower()
    names = [author.get("name") or f"{author['family-names']}, {author['given-names']}" for author in citation["authors"]]
    assert [creator["name"] for creator in metadata["creators"]] == names
    derived = [item for item in metadata["related_identifiers"] if item["relation"] == "isDerivedFrom"]
    cited = [str(reference["doi"]) for reference in citation.get("references", []) if reference.get("doi")]
    assert [(item["identifier"], item["scheme"]) for item in derived] == [(doi, "doi") for doi in cited]
    assert ARTICLE_DOI in cited
    assert any(ARTICLE_DOI in source.get("path", "") for source in descriptor["sources"])


def test_repository_zenodo_json_is_in_step_with_the_release_code(archive):
    regenerate = "python scripts/build_release.py --write-zenodo-json"
    assert (PACKAGE / ".zenodo.json").read_text(encoding="utf-8") == zenodo_json(PACKAGE), \
        f".zenodo.json is stale; regenerate it with `{regenerate}`"
    assert archive[".zenodo.json"] == (PACKAGE / ".zenodo.json").read_bytes()


def test_same_package_gives_the_same_archive(package_copy, tmp_path):
    first = build_release(package_copy, tmp_path / "one").read_bytes()
    second = build_release(package_copy, tmp_path / "two").read_bytes()
    assert first == second


@pytest.mark.parametrize("inside", [".", "data", "schemas", "docs", "data/sub"])
def test_refuses_to_write_among_the_package_files(package_copy, inside):
    before = snapshot(package_copy)
    with pytest.raises(UnsafeOutput):
        build_release(package_copy, package_copy / inside)
    assert snapshot(package_copy) == before


def test_script_writes_under_dist_by_default_and_refuses_data(package_copy):
    script = REPO / "scripts" / "build_release.py"
    result = run_script(script, cwd=package_copy)
    assert result.returncode == 0, result.stderr
    assert (package_copy / "dist" / f"{release_name(package_copy)}.zip").is_file()
    refused = run_script(script, "--output-dir", "data", cwd=package_copy)
    assert refused.returncode == 2 and "part of the package" in refused.stderr
    assert list((package_copy / "data").glob("*.zip*")) == []
