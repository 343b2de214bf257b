"""Attacks of the second adversarial review of issue 18, each planted in a copy: the command gives
the right verdict in one line, writes nothing through a link and nothing outside its output."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from casekit.safety import UnsafePath, write_output
from test_rules_quotes import ARTICLE_FOLDER, needs_article


@pytest.mark.parametrize("folder", ["figures", "build", "docs", "build/nested"])
def test_an_output_folder_of_the_package_symlinked_elsewhere_is_not_written_through(tmp_path, folder):
    # A cloned package whose figures/ (or build/, docs/) is a link to another folder must not make a
    # command drop its product there: the link is refused like a linked output file.
    root, elsewhere = tmp_path / "package", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    linked = root / folder.split("/")[0]
    os.symlink(elsewhere, linked)
    with pytest.raises(UnsafePath, match="symlink"):
        write_output(root, root / folder / "product.svg", b"<svg/>")
    with pytest.raises(UnsafePath, match="symlink"):
        write_output(root, Path(os.path.relpath(root / folder / "product.svg")), b"<svg/>")
    assert list(elsewhere.rglob("*")) == []


def test_an_output_outside_the_package_may_lie_below_a_linked_folder(tmp_path):
    # The curator's own choice of output outside the package (e.g. /tmp on a system where it is a link) stands.
    root, real = tmp_path / "package", tmp_path / "real"
    root.mkdir()
    real.mkdir()
    os.symlink(real, tmp_path / "linked")
    write_output(root, tmp_path / "linked" / "case.sqlite", b"data")
    assert (real / "case.sqlite").read_bytes() == b"data"


def list_uncovered():
    import runpy

    from conftest import REPO

    return runpy.run_path(str(REPO / "scripts" / "list_uncovered.py"))["main"]


def article_copy(tmp_path, name: str = "source") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for path in ARTICLE_FOLDER.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@needs_article
@pytest.mark.parametrize("spoil", ["empty", "crlf", "not-utf-8", "beyond-the-file-limit"])
def test_list_uncovered_without_the_article_text_is_no_all_clear(package, tmp_path, capsys, spoil):
    # With no file holding the article (its line ends changed, another encoding, or read past the
    # 200-file bound), nothing can be listed: "0 uncovered" and exit 0 would be a false all-clear.
    folder = article_copy(tmp_path)
    for path in list(folder.iterdir()):
        if spoil == "empty":
            path.unlink()
        elif spoil == "crlf":
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        elif spoil == "not-utf-8":
            path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
        else:
            path.rename(folder / f"zz-{path.name}")
    if spoil == "beyond-the-file-limit":
        for number in range(250):
            (folder / f"a{number:03}.txt").write_text("other text\n")
    assert list_uncovered()(["--root", str(package.root), "--source-text", str(folder)]) == 2
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "baur-2022-jitc" in captured.err, captured.err
    assert "0 uncovered" not in captured.out


@needs_article
def test_list_uncovered_for_an_unknown_case_says_so(package, capsys):
    folder = package.root.parent / "no-such-folder"
    assert list_uncovered()(["--root", str(package.root), "--source-text", str(ARTICLE_FOLDER),
                             "--case", "no-such-case\nvalid: 0 errors"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and "no-such-case" in captured.err
    assert list_uncovered()(["--root", str(package.root), "--source-text", f"{folder}\nvalid: 0 errors"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a folder" in err, err


@needs_article
def test_an_article_past_the_file_limit_is_named_as_unread_not_absent(tmp_path):
    # The folder is read up to 200 files by name; an article after them was "no file has the sha256",
    # which sent the curator looking for a wrong hash instead of a crowded folder.
    from casekit.quotes.article_texts import Articles
    from conftest import REPO

    folder = article_copy(tmp_path)
    for path in list(folder.iterdir()):
        path.rename(folder / f"zz-{path.name}")
    for number in range(250):
        (folder / f"a{number:03}.txt").write_text("other text\n")
    sources = list(__import__("csv").DictReader((REPO / "data" / "sources.csv").open(encoding="utf-8")))
    why = Articles(folder, sources, []).missing_text[sources[0]["source_id"]]
    assert "only its first 200 files by name are read" in why and "more were not" in why, why


@pytest.mark.parametrize("ends, words", [
    (["\n", "\n", "\n"], None),
    (["\r\n", "\r\n", "\r\n"], None),
    (["\r\n", "\n", "\n"], "line 2 ends in LF, line 1 ends in CRLF"),
    (["\n", "\r", "\n"], "line 2 ends in a lone carriage return"),
    (["\r", "\r", "\r"], "line 1 ends in a lone carriage return"),
    (["\n", "\n", ""], None),
])
def test_line_ends_are_one_kind_as_duckdb_needs(tmp_path, ends, words):
    # Python's csv module reads a file that mixes LF, CRLF and CR; DuckDB cannot sniff one.
    from casekit.validation.limits import check_table_bounds

    path = tmp_path / "t.csv"
    path.write_bytes("".join(line + end for line, end in zip(["a,b", "x,1", "y,2"], ends)).encode("utf-8"))
    findings = check_table_bounds(path, "data/t.csv")
    assert [finding.rule for finding in findings] == ([] if words is None else ["csv-quoting"])
    if words:
        assert words in findings[0].message, findings[0].message


def test_a_data_file_with_a_lone_cr_is_refused_in_a_package_copy(package):
    from validator_checks import findings_of

    path = package.csv_path("drugs")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r", 3))
    package.refresh_hashes()
    [finding] = findings_of(package, "csv-quoting")
    assert finding.path == "data/drugs.csv" and "line 1 ends in a lone carriage return" in finding.message


def test_the_data_dictionary_never_replaces_a_file_it_did_not_write(package, capsys, monkeypatch):
    # --output README.md replaced the README (or a script of the validator) with the dictionary.
    import functools
    import runpy

    from casekit.analysis import dictionary
    from conftest import REPO

    # The schemas do not change between the four runs: render the dictionary once, not four times.
    monkeypatch.setattr(dictionary, "render", functools.cache(dictionary.render))
    main = runpy.run_path(str(REPO / "scripts" / "build_data_dictionary.py"))["main"]
    for target in ("README.md", "casekit/__init__.py"):
        path = package.root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kept\n", encoding="utf-8")
        assert main(["--root", str(package.root), "--output", str(path)]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "not a file this command wrote" in err, err
        assert path.read_text(encoding="utf-8") == "kept\n"
    fresh = package.root / "build" / "dictionary.md"
    assert main(["--root", str(package.root), "--output", str(fresh)]) == 0
    assert main(["--root", str(package.root), "--output", str(fresh)]) == 0  # its own file is rewritten


@pytest.mark.parametrize("value", ["kinase\u2028inhibitor", "kinase inhibitor\u2029", "x\u2028valid: 0 errors, 0 warnings"])
def test_a_unicode_line_or_paragraph_separator_in_text_is_a_control_character(package, value):
    # U+2028/U+2029 break a line for Python's splitlines(), editors and JavaScript as a line feed does.
    from validator_checks import findings_of

    rows = package.read_rows("drugs")
    rows[0]["drug_class"] = value
    package.write_rows("drugs", rows)
    package.refresh_hashes()
    findings = findings_of(package)
    assert [(f.rule, f.row, f.field) for f in findings] == [("control-character", 2, "drug_class")]


@pytest.mark.parametrize("sent", ["SIGINT", "SIGTERM"])
def test_a_signal_after_the_verdict_does_not_change_it(package, sent):
    # The process boundary is what is proven: a Ctrl-C arriving once the verdict is printed (here from
    # an exit handler, as while the interpreter shuts down) printed a second, "unusable" verdict and
    # exit 2, or killed the run by the signal, after "valid: 0 errors, 0 warnings".
    import subprocess
    import sys

    from conftest import REPO

    code = (f"import atexit, os, runpy, signal, sys; sys.argv = ['validate.py', '--package', {str(package.root)!r}]; "
            f"atexit.register(lambda: os.kill(os.getpid(), signal.{sent})); "
            f"runpy.run_path({str(REPO / 'validate.py')!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stdout[-300:], done.stderr[-300:])
    verdicts = [line for line in done.stdout.splitlines() if line.startswith(("valid:", "invalid:", "unusable:"))]
    assert verdicts == ["valid: 0 errors, 0 warnings"] and "Traceback" not in done.stderr


def test_list_uncovered_interrupted_while_importing_ends_in_one_line(tmp_path):
    # The process boundary is what is proven: a Ctrl-C while the script imported the package's modules
    # (before its one-line guard was installed) ended in a KeyboardInterrupt traceback.
    import subprocess
    import sys

    from conftest import REPO

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'casekit.quotes.article_texts':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "list_uncovered.py"), "--source-text", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=REPO,
                          env={**__import__("os").environ, "PYTHONPATH": str(hook)})
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-400:]
    assert len(done.stderr.strip().splitlines()) == 1 and "interrupted" in done.stderr
