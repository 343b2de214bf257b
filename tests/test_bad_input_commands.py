"""Every command in scripts/ keeps the validator's promises on hostile input (issue 18).

Reads go through one safe reader (regular files inside the root, bounded), writes through one
safe writer (atomic, never through a link, never over a package file, names from checked
identifiers); every failure is one line and a documented exit code. Each test is one attack.
Subprocesses only where the process is what is tested: signals, closed or full standard
output, a library missing at import time.
"""
from __future__ import annotations

import contextlib
import errno
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import PACKAGE, PACKAGE_TEXTS, REPO, copy_release_files
from process_usage import run_measured

CASE = "baur-2022-jitc-1"
TABLE_COMMANDS = {  # command -> arguments that make it read the tables and write one build product
    "build_sqlite": ["--output", "{out}/case.sqlite"],
    "build_data_dictionary": ["--output", "{out}/dictionary.md"],
    "draw_clinical_course": ["--output-dir", "{out}/figures"],
    "build_release": ["--output-dir", "{out}/dist"],
}


def script(name: str):
    spec = importlib.util.spec_from_file_location(f"command_{name}", REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def no_hang(seconds: int = 60):
    """Fail instead of hanging the suite if an attack made the command wait (a FIFO opened for reading)."""
    def give_up(signum, frame):
        raise AssertionError(f"the command did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(name: str, argv: list[str], capsys, out: Path | None = None) -> tuple[int, str]:
    argv = [arg.format(out=out) for arg in argv]
    with no_hang():
        code = script(name).main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def one_line(err: str, words: str) -> None:
    assert len(err.strip().splitlines()) == 1 and words in err, err


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): (path.read_bytes() if not path.is_symlink() else b"-> link")
            for path in sorted(folder.rglob("*")) if path.is_file() or path.is_symlink()}


@pytest.fixture
def release_package(tmp_path) -> Path:
    return copy_release_files(tmp_path)


# --- the shared reader -------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TABLE_COMMANDS))
@pytest.mark.parametrize("planted", ["datapackage.json", "schemas/drugs.schema.json", "data/drugs.csv"])
def test_a_fifo_in_the_package_is_refused_without_waiting(release_package, tmp_path, capsys, name, planted):
    (release_package / planted).unlink()
    os.mkfifo(release_package / planted)
    code, err = run(name, ["--root", str(release_package), *TABLE_COMMANDS[name]], capsys, tmp_path / "out")
    assert code in (1, 2)
    one_line(err, "regular file")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["build_sqlite", "draw_clinical_course", "build_data_dictionary"])
@pytest.mark.parametrize("planted, target", [
    ("data/drugs.csv", "/dev/zero"),
    ("schemas/drugs.schema.json", "outside.json"),
])
def test_a_symlink_out_of_the_package_is_not_followed(package, tmp_path, capsys, name, planted, target):
    outside = Path(target) if target.startswith("/") else tmp_path / target
    if not outside.exists():
        outside.write_bytes((package.root / planted).read_bytes())
    (package.root / planted).unlink()
    os.symlink(outside, package.root / planted)
    code, err = run(name, ["--root", str(package.root), *TABLE_COMMANDS[name]], capsys, tmp_path / "out")
    assert code == 2
    one_line(err, "outside the package root")


def test_a_descriptor_path_to_a_device_is_refused(package, tmp_path, capsys):
    descriptor = package.descriptor()
    descriptor["resources"][0]["path"] = "../../../../../../dev/zero"
    package.write_descriptor(descriptor)
    code, err = run("build_sqlite", ["--root", str(package.root), *TABLE_COMMANDS["build_sqlite"]], capsys, tmp_path)
    assert code == 2
    one_line(err, "climbs out of the package root")


# --- the shared writer -------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_a_figure_file_symlinked_to_the_descriptor_is_not_written_through(package, capsys, monkeypatch, suffix):
    figures = package.root / "figures"
    figures.mkdir()
    os.symlink("../datapackage.json", figures / f"clinical-course-{CASE}.{suffix}")
    before = package.snapshot()
    monkeypatch.chdir(package.root)
    code, err = run("draw_clinical_course", ["--output-dir", "figures"], capsys)
    assert code == 2
    one_line(err, "datapackage.json")
    assert package.snapshot() == before
    assert (figures / f"clinical-course-{CASE}.{suffix}").is_symlink()


@pytest.mark.parametrize("case_id", ["../../escaped", "a/b", ".hidden", "x\ny"])
def test_a_case_id_cannot_name_a_file_outside_the_output_folder(package, tmp_path, capsys, case_id):
    rows = package.read_rows("cases")
    rows[0]["case_id"] = case_id
    package.write_rows("cases", rows)
    package.refresh_hashes()
    before = files_under(tmp_path)
    code, err = run("draw_clinical_course", ["--root", str(package.root), "--output-dir", str(tmp_path / "out" / "f")],
                    capsys)
    assert code == 2
    one_line(err, "cannot name a file")
    assert files_under(tmp_path) == before


def test_the_dictionary_check_does_not_wait_on_a_fifo_output(package, tmp_path, capsys):
    os.mkfifo(tmp_path / "dictionary.md")
    code, err = run("build_data_dictionary", ["--root", str(package.root), "--check", "--output",
                                              str(tmp_path / "dictionary.md")], capsys)
    assert code == 2
    one_line(err, "not a regular file")


def test_the_shared_writer_refuses_a_symlink_and_leaves_no_temporary_file(tmp_path):
    from casekit.safety import UnsafePath, write_atomically

    target = tmp_path / "target.txt"
    target.write_text("keep\n")
    os.symlink(target, tmp_path / "link.txt")
    with pytest.raises(UnsafePath):
        write_atomically(tmp_path / "link.txt", b"overwritten")
    assert target.read_text() == "keep\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.txt", "target.txt"]


def test_the_shared_writer_on_a_full_disk_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from casekit.safety import write_atomically

    target = tmp_path / "target.txt"
    target.write_text("keep\n")
    monkeypatch.setattr(os, "write", _full_disk)
    with pytest.raises(OSError):
        write_atomically(target, b"new content")
    assert target.read_text() == "keep\n"
    assert [path.name for path in tmp_path.iterdir()] == ["target.txt"]


def _full_disk(descriptor, data):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_build_sqlite_on_a_full_disk_ends_in_one_line(package, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, "write", _full_disk)
    code, err = run("build_sqlite", ["--root", str(package.root), "--output", str(tmp_path / "out" / "case.sqlite")],
                    capsys)
    assert code == 2
    one_line(err, "No space left on device")
    assert list((tmp_path / "out").iterdir()) == []


# --- build_release -----------------------------------------------------------------------------

def test_build_release_refuses_a_package_the_validator_rejects(release_package, tmp_path, capsys):
    from conftest import PackageCopy

    copy = PackageCopy(release_package)
    copy.set_cell("drugs", "dasatinib", "atc_code", "not-a-code")
    code, err = run("build_release", ["--root", str(release_package), "--output-dir", str(tmp_path / "dist")], capsys)
    assert code == 1
    one_line(err, "the validator does not accept the package")
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("key, value", [("name", "../../escaped"), ("version", "1.0.0/../../../escaped"),
                                        ("name", "a/b"), ("version", "../1.0.0")])
def test_release_names_are_checked_before_they_name_a_file_or_entry(release_package, tmp_path, key, value):
    from casekit.release import build_release
    from casekit.safety import UnsafePath

    descriptor = json.loads((release_package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor[key] = value
    (release_package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    before = files_under(tmp_path)
    with pytest.raises(UnsafePath):
        build_release(release_package, tmp_path / "dist", validate=False)  # the validator is tested above
    assert files_under(tmp_path) == before


def test_release_entries_all_lie_in_the_top_folder(release_package, tmp_path):
    from casekit.release import build_release, release_name

    archive = build_release(release_package, tmp_path / "dist", validate=False)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
    top = release_name(release_package) + "/"
    assert names and all(name.startswith(top) and ".." not in name.split("/") for name in names)


def test_a_leftover_partial_symlink_is_never_followed(release_package, tmp_path):
    from casekit.release import build_release, release_name

    dist = tmp_path / "dist"
    dist.mkdir()
    descriptor = (release_package / "datapackage.json").read_bytes()
    for leftover in (f"{release_name(release_package)}.zip.partial", f".{release_name(release_package)}.zip.tmp"):
        os.symlink(release_package / "datapackage.json", dist / leftover)
    archive = build_release(release_package, dist, validate=False)
    assert zipfile.is_zipfile(archive)
    assert (release_package / "datapackage.json").read_bytes() == descriptor


def test_an_archive_symlinked_to_a_package_file_is_refused(release_package, tmp_path):
    from casekit.release import build_release, release_name
    from casekit.safety import UnsafePath

    dist = tmp_path / "dist"
    dist.mkdir()
    os.symlink(release_package / "README.md", dist / f"{release_name(release_package)}.zip")
    readme = (release_package / "README.md").read_bytes()
    with pytest.raises(UnsafePath):
        build_release(release_package, dist, validate=False)
    assert (release_package / "README.md").read_bytes() == readme


def test_zenodo_json_is_not_written_through_a_symlink(release_package, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    os.symlink(victim, release_package / ".zenodo.json")
    code, err = run("build_release", ["--root", str(release_package), "--output-dir", str(tmp_path / "dist"),
                                      "--write-zenodo-json"], capsys)
    assert code == 2
    one_line(err, "not a regular file")
    assert victim.read_text() == "keep\n"


# --- set_version -------------------------------------------------------------------------------

def test_set_version_on_a_full_disk_writes_nothing_and_says_so(package, capsys, monkeypatch):
    before = package.snapshot()
    monkeypatch.setattr(os, "write", _full_disk)
    code, err = run("set_version", ["9.0.0", "--root", str(package.root)], capsys)
    assert code == 2
    one_line(err, "nothing was written")
    assert package.snapshot() == before
    assert not [path for path in package.root.iterdir() if path.name.endswith(".tmp")]


def _failing_replace(fail_at: int, and_after: bool = False):
    """os.replace that fails at its fail_at-th call (and every later one with and_after), as a broken disk would."""
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == fail_at or (and_after and len(calls) > fail_at):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        return real(source, target)
    return replace


def test_set_version_puts_back_a_file_it_replaced_when_a_later_one_fails(package, capsys, monkeypatch):
    before = package.snapshot()
    monkeypatch.setattr(os, "replace", _failing_replace(2))  # datapackage.json replaced, CITATION.cff fails
    code, err = run("set_version", ["9.0.0", "--root", str(package.root)], capsys)
    assert code == 2
    one_line(err, "nothing was written")
    assert package.snapshot() == before


def test_set_version_never_says_nothing_was_written_after_it_changed_the_descriptor(package, capsys, monkeypatch):
    monkeypatch.setattr(os, "replace", _failing_replace(2, and_after=True))  # putting datapackage.json back fails too
    code, err = run("set_version", ["9.0.0", "--root", str(package.root)], capsys)
    assert package.descriptor()["version"] == "9.0.0"
    assert code == 2
    one_line(err, "datapackage.json already hold")
    assert "nothing was written" not in err


# --- failures of our own and interruptions -----------------------------------------------------

@pytest.mark.parametrize("raised, words", [(KeyboardInterrupt(), "interrupted"),
                                           (RuntimeError("a defect"), "unexpected RuntimeError: a defect"),
                                           (RecursionError(), "nested too deeply"),
                                           (MemoryError(), "out of memory")])
def test_any_failure_while_drawing_is_one_line(package, tmp_path, capsys, monkeypatch, raised, words):
    import casekit.analysis.course as course

    def fail(*args, **kwargs):
        raise raised
    monkeypatch.setattr(course, "course_layers", fail)
    code, err = run("draw_clinical_course", ["--root", str(package.root), "--output-dir", str(tmp_path / "f")], capsys)
    assert code == 2
    one_line(err, words)


def _command(name: str, *args: str) -> list[str]:
    return [sys.executable, "-B", str(REPO / "scripts" / f"{name}.py"), *args]


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_drawing_ends_in_one_line_and_no_partial_file(package, tmp_path, sent):
    # A shell's background job inherits SIGINT ignored; give the command the terminal's default, as for a user.
    process = subprocess.Popen(_command("draw_clinical_course", "--output-dir", str(tmp_path / "figures")),
                               cwd=package.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.5)  # inside the imports or the drawing, after the guards are in place
    process.send_signal(sent)
    out, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the command finished before the signal arrived")
    assert process.returncode == 2 and "Traceback" not in err, err
    one_line(err, "terminated" if sent == signal.SIGTERM else "interrupted")
    assert not [path for path in tmp_path.rglob("*") if path.name.endswith(".tmp")]


@pytest.mark.parametrize("sent, words", [(signal.SIGTERM, "terminated"), (signal.SIGINT, "interrupted")])
def test_a_signal_a_library_turns_into_another_error_still_says_stopped(capsys, sent, words):
    # matplotlib caught the exception of the SIGTERM handler and raised
    # "ValueError: Invalid affine transformation matrix" in its place.
    from casekit.script_errors import one_line_errors

    def drawing():
        try:
            os.kill(os.getpid(), sent)
            time.sleep(5)
        except BaseException:
            raise ValueError("Invalid affine transformation matrix") from None
        return 0

    # The handlers of a fresh process, whatever an earlier test in this worker left behind.
    previous = {signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
                signal.SIGTERM: signal.signal(signal.SIGTERM, signal.SIG_DFL)}
    try:
        code = one_line_errors(drawing)()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert code == 2
    one_line(capsys.readouterr().err, words)


@pytest.mark.parametrize("stdout", ["closed", "/dev/full"])
def test_a_closed_or_full_standard_output_is_no_traceback(package, stdout):
    command = " ".join(f"'{part}'" for part in _command("refresh_hashes"))
    redirect = ">&-" if stdout == "closed" else ">/dev/full"
    result = subprocess.run(["sh", "-c", f"exec {command} {redirect}"], cwd=package.root, capture_output=True,
                            text=True, timeout=120)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert result.returncode == 0  # the hashes are checked either way; only the report could not be shown
    assert len(result.stderr.strip().splitlines()) <= 1
    if stdout == "/dev/full":
        assert "No space left on device" in result.stderr



@pytest.mark.parametrize("sent", ["SIGINT", "SIGTERM"])
def test_a_signal_after_the_work_is_done_does_not_change_the_exit_code(package, sent):
    # The process boundary is what is proven: a Ctrl-C or SIGTERM arriving once the command had printed
    # its last line (here from an exit handler, as while the interpreter shuts down) met the default
    # handlers the wrapper had put back and killed the process instead of exit 0.
    code = (f"import atexit, os, runpy, signal, sys; sys.argv = [{str(REPO / 'scripts' / 'refresh_hashes.py')!r}]; "
            f"atexit.register(lambda: os.kill(os.getpid(), signal.{sent})); "
            f"runpy.run_path(sys.argv[0], run_name='__main__')")
    done = subprocess.run([sys.executable, "-B", "-c", code], cwd=package.root, capture_output=True, text=True,
                          timeout=60, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert done.returncode == 0, (done.returncode, done.stdout[-300:], done.stderr[-300:])
    assert "Traceback" not in done.stderr and done.stderr == "", done.stderr


@pytest.mark.parametrize("stdout", ["closed", "/dev/full"])
def test_a_listing_that_cannot_be_printed_fails_in_one_line(stdout):
    # The list is list_uncovered's only product: with standard output closed or full it exited 0,
    # as if it had listed the numbers.
    command = " ".join(f"'{part}'" for part in _command("list_uncovered", "--root", str(PACKAGE),
                                                        "--source-text", str(PACKAGE_TEXTS)))
    redirect = ">&-" if stdout == "closed" else ">/dev/full"
    result = subprocess.run(["sh", "-c", f"exec {command} {redirect}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, (result.returncode, result.stderr)
    one_line(result.stderr, "cannot write to standard output")
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr

# --- optional libraries ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def without_libraries(tmp_path_factory) -> dict:
    """An environment in which pandas, matplotlib and pyarrow cannot be imported."""
    blocker = tmp_path_factory.mktemp("blocked")
    for library in ("pandas", "matplotlib", "pyarrow"):
        (blocker / library).mkdir()
        (blocker / library / "__init__.py").write_text(
            f"raise ModuleNotFoundError(\"No module named '{library}'\", name={library!r})\n")
    return {**os.environ, "PYTHONPATH": str(blocker)}


@pytest.mark.parametrize("name", ["build_data_dictionary", "build_release", "build_sqlite", "draw_clinical_course",
                                  "refresh_hashes", "set_version"])
def test_help_needs_no_optional_library(without_libraries, name):
    result = subprocess.run(_command(name, "--help"), capture_output=True, text=True, timeout=120,
                            env=without_libraries, cwd=REPO)
    assert result.returncode == 0 and "usage:" in result.stdout, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["build_data_dictionary", "build_sqlite", "draw_clinical_course"])
def test_a_missing_library_is_a_one_line_hint(without_libraries, tmp_path, name):
    args = [arg.format(out=tmp_path) for arg in TABLE_COMMANDS[name]]
    result = subprocess.run(_command(name, *args), capture_output=True, text=True, timeout=120,
                            env=without_libraries, cwd=REPO)
    assert result.returncode == 2
    one_line(result.stderr, "pip install -r requirements-dev.txt")
    assert "pandas" in result.stderr or "matplotlib" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- bounded work ------------------------------------------------------------------------------

def _relative_chain(package, length: int) -> None:
    """`length` undated events, each one day after the next; the last one day after a dated event."""
    events, relations = package.read_rows("clinical_events"), package.read_rows("relative_timings")
    dated, template = events[0], relations[0]
    for index in range(length):
        events.append({**dated, "event_id": f"ev-chain-{index}", "time_earliest": "", "time_latest": "",
                       "timing_as_stated": "a day later", "timing_basis": "relative", "note": ""})
        anchor = f"ev-chain-{index + 1}" if index + 1 < length else dated["event_id"]
        relations.append({**template, "relation_id": f"rt-chain-{index}", "subject_resource": "clinical_events",
                          "subject_id": f"ev-chain-{index}", "subject_point": "time",
                          "anchor_resource": "clinical_events", "anchor_id": anchor, "anchor_point": "time",
                          "comparator": "=", "offset_value": "1", "offset_unit": "d",
                          "counting_convention": "exclusive", "note": ""})
    package.write_rows("clinical_events", events)
    package.write_rows("relative_timings", relations)
    package.refresh_hashes()


def test_after_a_row_known_only_by_its_latest_day_the_analysis_returns(package):
    """A bridging therapy that ended on or before day 0, start unknown, and an undated row "after" it."""
    from casekit.analysis.relative import relative_times

    events, relations = package.read_rows("clinical_events"), package.read_rows("relative_timings")
    dated, template = events[0], relations[0]
    events.append({**dated, "event_id": "ev-bridging", "time_earliest": "", "time_latest": "0", "note": ""})
    events.append({**dated, "event_id": "ev-after-bridging", "time_earliest": "", "time_latest": "", "note": ""})
    relations.append({**template, "relation_id": "rt-after-bridging", "subject_resource": "clinical_events",
                      "subject_id": "ev-after-bridging", "subject_point": "time", "anchor_resource": "clinical_events",
                      "anchor_id": "ev-bridging", "anchor_point": "time", "comparator": ">=", "offset_value": "0",
                      "offset_unit": "d", "counting_convention": "exclusive", "note": ""})
    package.write_rows("clinical_events", events)
    package.write_rows("relative_timings", relations)
    package.refresh_hashes()
    with no_hang():
        resolved = relative_times(package.root)
    assert "ev-after-bridging" not in set(resolved["row_id"])
    assert len(resolved) == len(relative_times(PACKAGE))


def test_a_long_relative_timing_chain_is_drawn_within_the_bounds(package, tmp_path):
    _relative_chain(package, 1500)
    case = package.read_rows("clinical_events")[0]["case_id"]  # the chain's case
    assert sum(path.stat().st_size for path in (package.root / "data").iterdir()) < 1024 * 1024
    # A process of its own (tests/process_usage.py): its CPU time and peak memory are the command's alone,
    # whatever this worker held or ran before.
    # Only the case the chain is planted in: with every fixture case added, drawing the other six
    # figures is work in proportion to the cases, not to the hostile chain this test bounds.
    result = run_measured(_command("draw_clinical_course", "--root", str(package.root), "--case", case,
                                   "--output-dir", str(tmp_path / "f")), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # CPU time, not wall time, so that a busy machine does not fail the test; the pass loop took 42 s here.
    assert result.cpu_seconds < 10, result.cpu_seconds
    assert result.peak_kilobytes < 500 * 1024, result.peak_kilobytes
    assert (tmp_path / "f" / f"clinical-course-{case}.svg").stat().st_size < 2 * 1024 * 1024


def test_the_figure_counts_what_it_leaves_out():
    from casekit.analysis.course import CourseLayers, EventMark
    from casekit.analysis.figure import MAX_ROWS, _footnote, bounded

    layers = CourseLayers(case_id="x", events=[EventMark(f"e{day}", "Fever", day, day, False) for day in range(500)])
    shown, left_out = bounded(layers)
    assert len(shown.events) == MAX_ROWS and shown.events == layers.events[:MAX_ROWS]
    assert left_out == [f"{500 - MAX_ROWS} more clinical events"]
    assert f"{500 - MAX_ROWS} more clinical events" in _footnote(shown, left_out)


def test_one_lane_of_many_schedules_is_drawn_with_a_bounded_label(monkeypatch):
    from casekit.analysis import figure
    from casekit.analysis.course import CourseLayers, DrugBar

    bars = [DrugBar("Drug", day, day, "10 mg", True) for day in range(1000)]
    shown, left_out = figure.bounded(CourseLayers(case_id="x", drug_bars=bars, window=(-1, 1100)))
    assert len(shown.drug_bars) == figure.MAX_POINTS and left_out == [f"{1000 - figure.MAX_POINTS} more treatment bars"]
    labels = []
    monkeypatch.setattr(figure, "_label_after", lambda axis, row, span, window, text, **style: labels.append(text))
    axis = figure.plt.figure().add_subplot()
    figure._drugs_panel(axis, shown)
    figure.plt.close(axis.figure)
    assert labels[0].count("10 mg") == figure.MAX_LABELS_PER_LANE and labels[0].endswith(
        f"{figure.MAX_POINTS - figure.MAX_LABELS_PER_LANE} more")


def test_a_unit_code_of_thousands_of_characters_is_refused_unparsed():
    from casekit.ucum import MAX_UNIT_CHARACTERS, UnitError, dimensionality

    started = time.process_time()
    with pytest.raises(UnitError, match="characters long"):
        dimensionality(".".join(["mg"] * 5000))
    with pytest.raises(UnitError, match="characters long"):
        dimensionality("{" + "x" * 5 * MAX_UNIT_CHARACTERS + "}/uL")
    assert time.process_time() - started < 0.5
