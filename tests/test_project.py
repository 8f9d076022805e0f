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


def test_every_test_states_the_rule_it_checks():
    """Every test function has a docstring: the rule it checks, in words."""
    import ast

    silent = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test") and not ast.get_docstring(node)
    ]
    assert silent == []


def test_the_tests_mirror_the_namespaces():
    """Each namespace of the package has its folder of tests, and every folder of tests is a namespace's."""
    package = ROOT / "src" / "incident_process"
    namespaces = {path.parent.name for path in package.glob("*/__init__.py")}
    folders = {path.name for path in (ROOT / "tests").iterdir() if path.is_dir() and path.name[0].isalpha()}
    folders -= {"corpus", "fixtures", "typing"}
    assert folders == namespaces
