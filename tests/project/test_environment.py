"""Issue 16, class 9: the suite gives the same result whatever the machine's environment holds.

Debian and Nix package builds set SOURCE_DATE_EPOCH; CI machines set GITHUB_TOKEN; people
set TZ, LANG and NO_COLOR. Tests that once depended on them are run again here in a
child pytest with all of them set to unusual values.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

SENSITIVE = [
    "tests/mkdocs/test_site_build.py::test_the_same_input_builds_the_same_bytes_twice",
    "tests/sources/test_github_source.py::test_without_a_token_it_reads_anonymously_and_says_how_little_that_allows",
    "tests/core/test_text_checks.py::test_ordinary_text_with_joiners_tabs_and_right_to_left_marks_is_fine",
]


def test_tests_do_not_depend_on_the_machines_environment():
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000", "GITHUB_TOKEN": "ghp_not_a_real_token",
                   "TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C", "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SENSITIVE],
                            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"{len(SENSITIVE)} passed" in result.stdout
