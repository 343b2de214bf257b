"""Attacks of the second adversarial review of issue 18, each planted in a copy: the command gives
the right verdict in one line, writes nothing through a link and nothing outside its output."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from casekit.safety import UnsafePath, write_output


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
