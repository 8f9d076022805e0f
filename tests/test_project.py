"""The project's promises about itself: README commands, CI and changelog stay in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    """The shell commands of the README's 'Set up' section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_the_two_setup_commands():
    """One installs and runs the main job, one installs and runs the tests."""
    main_job, tests = readme_commands()
    assert main_job.endswith("incident-process demo --policy examples/policy.toml examples/records/*.json")
    assert tests.endswith("pytest")


def test_ci_runs_the_readme_main_job():
    """CI runs the README's main job (the demo on the examples) as a newcomer would."""
    main_job, _ = readme_commands()
    demo = main_job.split(" && ")[-1]
    assert demo in (ROOT / ".ci" / "run").read_text()


def test_ci_runs_the_readme_test_command_verbatim():
    """CI must call the exact test command written in the README."""
    _, tests = readme_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in ci_lines


def test_changelog_follows_keep_a_changelog():
    """An Unreleased section comes first."""
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "keepachangelog.com" in changelog
    assert re.search(r"^## \[Unreleased\]$", changelog, re.MULTILINE)
