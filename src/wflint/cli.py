"""The ``wflint`` command: parse options, call the engine, print.

Exit codes: 0 nothing to report, 1 findings remain, 2 usage, configuration or
internal error (``--exit-zero`` never hides a 2).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from wflint import __version__
from wflint.codes import BY_CODE, CATALOG, FILE_CODES
from wflint.frameworks import SELECTABLE
from wflint.output import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Options given several times and/or comma-separated: ``--select WFL1,WFL2``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _error(message: str) -> None:
    click.echo(f"wflint: error: {message}", err=True)


def _reach(targets: list[str], files: list[str], settings, markers) -> list[str]:
    """When only files are named (a pre-commit run on staged files), the workflow modules that
    call into them: a helper's hazard is reported at the workflow's call site."""
    if not files or any(os.path.isdir(target) for target in targets):
        return []
    from wflint.reach import reaching_modules

    root = str(settings.root) if getattr(settings, "root", None) else os.getcwd()
    named = {os.path.normpath(f) for f in files}
    found = reaching_modules(files, root, markers, settings.excluder)
    return [path for path in found if os.path.normpath(path) not in named]


def _through(diagnostics: list, helpers: list[str]) -> list:
    """The findings of a workflow module that come from one of ``helpers``."""
    places = tuple(f" at {os.path.normpath(path)}:" for path in helpers)
    return [d for d in diagnostics if any(place in d.message for place in places)]


def _config_options(values: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """``--config`` values: one configuration file, and ``key = value`` overrides (a value that
    names an existing file is the file)."""
    files = [v for v in values if "=" not in v or os.path.isfile(v)]
    if len(files) > 1:
        _error("--config: only one configuration file can be given")
        sys.exit(EXIT_ERROR)
    return (files[0] if files else None), tuple(v for v in values if v not in files)


def _settings_text(settings) -> str:
    """What ``--show-settings`` prints: each setting on a line of its own."""
    rows = [("configuration", settings.config_path or "none (defaults)"), ("root", settings.root),
            ("select", ", ".join(sorted(settings.codes))),
            ("frameworks", ", ".join(settings.frameworks) if settings.frameworks else "all"),
            ("exclude", ", ".join(settings.exclude) or "(defaults only)"),
            ("per-file-ignores", "; ".join(f"{p}: {', '.join(sorted(c))}"
                                           for p, c in settings.per_file_ignores) or "none"),
            ("workflow-decorators", ", ".join(settings.workflow_decorators) or "none"),
            ("activity-decorators", ", ".join(settings.activity_decorators) or "none"),
            ("nondeterministic", ", ".join(f"{n} = {c}" for n, c in settings.nondeterministic) or "none"),
            ("deterministic", ", ".join(settings.deterministic) or "none"),
            ("respect-gitignore", str(settings.respect_gitignore).lower())]
    return "".join(f"{key}: {value}\n" for key, value in rows)


def _use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="wflint", message="%(prog)s %(version)s")
def main() -> None:
    """wflint: find determinism hazards in durable-workflow code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (e.g. WFL1,WFL30). Replaces the configured selection.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--fix", "fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes; otherwise mark them fixable.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them (exit 1 if any).")
@click.option("--show-fixes", is_flag=True, help="Show each finding's fix (including display-only suggestions) and what --fix fixed.")
@click.option("--output-format", type=click.Choice(FORMATS), default="flake8", show_default=True,
              envvar="WFLINT_OUTPUT_FORMAT", help="How findings are printed.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True),
              help="Write the output to this file instead of stdout.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option("--exit-zero-on-warnings", is_flag=True,
              help="Exit 0 when the findings that remain are all warnings (WFL003, WFL5xx, WFL601...).")
@click.option("--statistics", is_flag=True, help="Print a count of findings per rule instead of the findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("-s", "--silent", is_flag=True, help="Print nothing; only the exit code tells.")
@click.option("--config", "config_options", multiple=True, metavar="FILE|KEY=VALUE",
              help="A configuration file to use instead of searching for one, or a 'key = value' "
                   "(TOML) that overrides a setting of the configuration (repeatable).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--framework", multiple=True,
              help=f"Only recognise workflows of these frameworks ({', '.join(SELECTABLE)}).")
@click.option("--exclude", multiple=True, help="Path patterns to exclude (replaces the configured 'exclude').")
@click.option("--extend-exclude", multiple=True, help="Path patterns to exclude in addition.")
@click.option("--force-exclude", is_flag=True, help="Apply the excludes to paths named on the command line too.")
@click.option("--no-respect-gitignore", "no_respect_gitignore", is_flag=True,
              help="Also check files that git ignores (.gitignore, .git/info/exclude).")
@click.option("--stdin-filename", "--stdin-display-name", "stdin_filename",
              help="The name of the file read from stdin ('-'), for messages and configuration.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache (.wflint_cache/).")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="WFLINT_CACHE_DIR",
              help="Where the result cache lives (default: .wflint_cache beside the configuration).")
@click.option("--fix-only", is_flag=True,
              help="Apply fixes (as --fix) without reporting or failing on the findings left.")
@click.option("--exit-non-zero-on-fix", is_flag=True,
              help="Exit 1 when a fix was applied, even if no finding is left.")
@click.option("--ignore-noqa", is_flag=True,
              help="Ignore '# noqa' and '# wflint: ignore[...]' comments (the cache is not used).")
@click.option("--add-noqa", is_flag=True,
              help="Add a '# noqa: CODES' comment to every line with a finding (unused "
                   "suppressions aside), then exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be checked, then exit.")
@click.option("--show-settings", is_flag=True,
              help="Print the settings the first file would be checked with, then exit.")
@click.option("-v", "--verbose", is_flag=True,
              help="Say which configuration is used, how many files are checked and how long it took.")
@click.option("--watch", "-w", is_flag=True,
              help="Check again whenever a checked file changes (stop with Ctrl-C).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for the analysis (default: all cores). The output does not depend on it.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="Colour the output (auto: only on a terminal; honours NO_COLOR and FORCE_COLOR).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings that are not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record every current finding in this baseline file, then exit 0.")
def check(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
          extend_select: tuple[str, ...], fix: bool, unsafe_fixes: bool, diff: bool,
          show_fixes: bool, output_format: str, output_file: str | None,
          exit_zero: bool, exit_zero_on_warnings: bool, statistics: bool, quiet: bool, silent: bool,
          config_options: tuple[str, ...], isolated: bool,
          framework: tuple[str, ...], exclude: tuple[str, ...], extend_exclude: tuple[str, ...],
          force_exclude: bool, no_respect_gitignore: bool, stdin_filename: str | None,
          no_cache: bool, cache_dir: str | None, fix_only: bool, exit_non_zero_on_fix: bool,
          ignore_noqa: bool, add_noqa: bool, show_files: bool, show_settings: bool, verbose: bool,
          watch: bool, jobs: int | None,
          color: str, baseline_file: str | None, write_baseline: str | None) -> None:
    """Check files and directories (default: the current directory; '-' reads stdin)."""
    if watch:
        from wflint.watch import watch as run_watching

        sys.exit(run_watching([arg for arg in sys.argv[2:] if arg not in ("--watch", "-w")]))
    started = time.perf_counter()
    if fix_only:
        fix = True
    config_file, config_overrides = _config_options(config_options)
    from wflint.config import ConfigError, settings_for
    from wflint.engine import Checker, FixMode, collect_rarely
    from wflint.output.summary import Report, emit_diff

    targets = list(paths) or ["."]
    reads_stdin = targets == ["-"]
    if "-" in targets and not reads_stdin:
        _error("'-' (stdin) cannot be combined with other paths")
        sys.exit(EXIT_ERROR)
    if write_baseline and (baseline_file or fix or diff):
        _error("--write-baseline cannot be combined with --baseline, --fix or --diff")
        sys.exit(EXIT_ERROR)
    baseline = None
    if baseline_file:
        from wflint.baseline import Baseline, BaselineError
        try:
            baseline = Baseline.load(Path(baseline_file))
        except BaselineError as exc:
            _error(str(exc))
            sys.exit(EXIT_ERROR)
    try:
        anchor = Path(stdin_filename).parent if reads_stdin and stdin_filename else (
            Path.cwd() if reads_stdin else Path(targets[0]))
        settings = settings_for(
            anchor, Path(config_file) if config_file is not None else None,
            isolated=isolated, config_overrides=config_overrides,
            select=_split(select) or None,
            ignore=_split(ignore),
            extend_select=_split(extend_select),
            exclude=_split(exclude) or None,
            extend_exclude=_split(extend_exclude),
            frameworks=_split(framework) or None,
            respect_gitignore=False if no_respect_gitignore else None,
        )
    except ConfigError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)

    if verbose:
        click.echo(f"wflint: configuration: {settings.config_path or 'none (defaults)'}", err=True)
    if show_settings:
        click.echo(_settings_text(settings), nl=False)
        sys.exit(EXIT_CLEAN)
    cache = None
    if not (no_cache or ignore_noqa or add_noqa) and not reads_stdin and not os.environ.get("WFLINT_NO_CACHE"):
        from wflint.cache import Cache
        cache = Cache(settings.root, settings, Path(cache_dir) if cache_dir else None)
    checker = Checker(settings, cache)
    checker.honour_suppressions = not ignore_noqa
    fix_mode = FixMode(unsafe=unsafe_fixes, write=not diff) if (fix or diff) else None
    status = EXIT_CLEAN
    outcomes = []
    stdin_outcome = None
    if reads_stdin:
        display = stdin_filename or "stdin"
        data = sys.stdin.buffer.read()
        if not (force_exclude and stdin_filename and settings.excluder.excludes(stdin_filename)):
            stdin_outcome = checker.check_bytes(data, display, fix_mode)
            outcomes.append(stdin_outcome)
        elif fix and not diff:
            sys.stdout.buffer.write(data)
    else:
        from wflint.files import collect_files

        file_set = collect_files(targets, settings, force_exclude)
        if show_files:
            for path in sorted(file_set.files):
                click.echo(path)
            sys.exit(EXIT_ERROR if file_set.missing else EXIT_CLEAN)
        for missing in file_set.missing:
            _error(f"{missing}: no such file or directory")
            status = EXIT_ERROR
        if not file_set.files and not file_set.missing and not silent:
            click.echo("wflint: warning: No Python files found under the given path(s)", err=True)
        reach = _reach(targets, file_set.files, settings, checker.markers)
        collect_rarely()
        checker.prepare(file_set.files + reach, jobs or os.cpu_count() or 1)
        outcomes.extend(checker.check_paths(file_set.files, fix_mode))
        if reach:  # checked for the named helpers' sake, never fixed (they were not named)
            for outcome in checker.check_paths(reach, None):
                outcome.diagnostics = _through(outcome.diagnostics, file_set.files)
                outcomes.append(outcome)

    from wflint.output.source import Sources

    diagnostics, fixed = [], []
    known_sources = {}
    for outcome in outcomes:
        if outcome.error is not None:
            _error(f"{outcome.path}: {outcome.error}")
            status = EXIT_ERROR
        diagnostics.extend(outcome.diagnostics)
        fixed.extend(outcome.fixed)
        text = outcome.fixed_source if outcome.fixed_source is not None else outcome.original
        if text is not None:
            known_sources[outcome.path] = text
    diagnostics.sort(key=lambda d: d.sort_key)
    fixed.sort(key=lambda d: d.sort_key)
    sources = Sources(known_sources)
    if verbose:
        click.echo(f"wflint: checked {len(outcomes)} file{'s' if len(outcomes) != 1 else ''} in "
                   f"{time.perf_counter() - started:.2f} s", err=True)
    if add_noqa:
        from wflint.noqa import add_noqa as write_noqa
        from wflint.suppression import UNUSED

        added = write_noqa([d for d in diagnostics if d.code != UNUSED])
        if not silent:
            click.echo(f"Added {added} noqa directive{'s' if added != 1 else ''}.", err=True)
        sys.exit(status)

    if write_baseline:
        from wflint.baseline import Baseline
        try:
            Baseline.from_diagnostics(diagnostics, sources.line, Path(write_baseline)).write(
                Path(write_baseline))
        except OSError as exc:
            _error(f"{write_baseline}: cannot write the baseline: {exc.strerror or exc}")
            sys.exit(EXIT_ERROR)
        if not silent:
            click.echo(f"Wrote {len(diagnostics)} finding{'s' if len(diagnostics) != 1 else ''} "
                       f"to the baseline {write_baseline}.", err=True)
        sys.exit(status)
    if baseline is not None:
        diagnostics, _ = baseline.new_findings(diagnostics, sources.line)

    if diff:
        changed = [o for o in outcomes if o.changed]
        if not silent:
            emit_diff(changed, fixed, diagnostics, unsafe_fixes, sys.stdout)
        sys.exit(EXIT_ERROR if status == EXIT_ERROR else EXIT_FINDINGS if changed else EXIT_CLEAN)

    if fix_only:
        if not silent:
            click.echo(f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}." if fixed
                       else "No fixes applied.")
        if status == EXIT_CLEAN and exit_non_zero_on_fix and fixed:
            status = EXIT_FINDINGS
        sys.exit(status)
    report = Report(diagnostics, fixed, fix, unsafe_fixes, show_fixes, sources,
                    failed=status == EXIT_ERROR)
    use_color = _use_color(color, sys.stderr if stdin_outcome is not None and fix else sys.stdout)
    if stdin_outcome is not None and fix:
        # the fixed source is the output; findings and the summary go to stderr
        source = stdin_outcome.fixed_source if stdin_outcome.fixed_source is not None else None
        if source is not None:
            sys.stdout.write(source)
        else:
            sys.stdout.buffer.write(data)
        sys.stdout.flush()
        if not silent:
            report.emit(output_format, None, statistics, quiet, use_color, sys.stderr)
    elif not silent:
        report.emit(output_format, output_file, statistics, quiet, use_color and not output_file,
                    sys.stdout)
    failing = diagnostics if not exit_zero_on_warnings else \
        [d for d in diagnostics if d.severity != "warning"]
    if status == EXIT_CLEAN and failing and not exit_zero:
        status = EXIT_FINDINGS
    if status == EXIT_CLEAN and exit_non_zero_on_fix and fixed:
        status = EXIT_FINDINGS
    sys.exit(status)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", help="The version to compare with: a git revision or a directory "
                             "(default: the merge base with the default branch).")
@click.option("--output-format", type=click.Choice(FORMATS), default="flake8", show_default=True,
              envvar="WFLINT_OUTPUT_FORMAT", help="How findings are printed.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option("--exit-zero-on-warnings", is_flag=True,
              help="Exit 0 when the only findings are warnings (a removed workflow, a version "
                   "not bumped, instances orphaned by a new application version).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this configuration file instead of searching for one.")
@click.option("--fix", "fix", is_flag=True, help="With --unsafe-fixes, gate inserted calls with a "
                                                 "fresh version-gate id (every such fix is unsafe).")
@click.option("--unsafe-fixes", is_flag=True, help="Allow the fixes: a person must confirm each gate.")
def compat(paths: tuple[str, ...], base: str | None, output_format: str, exit_zero: bool,
           exit_zero_on_warnings: bool, config_file: str | None, fix: bool, unsafe_fixes: bool) -> None:
    """Find edits since BASE that break workflow instances already in flight (default paths:
    the whole working tree)."""
    from wflint.compat import CompatError, apply, git_root, run
    from wflint.config import ConfigError, settings_for
    from wflint.output import TEXT_FORMATS, render

    cwd = Path.cwd()
    head_root = git_root(cwd) if base is None or not os.path.isdir(base) else None
    head_root = head_root or cwd
    try:
        settings = settings_for(Path(paths[0]) if paths else cwd,
                                Path(config_file) if config_file is not None else None)
        relative = [os.path.relpath(os.path.abspath(p), head_root) for p in paths]
        diagnostics = run(head_root, base, relative, settings)
        if fix and unsafe_fixes and apply(diagnostics):
            diagnostics = run(head_root, base, relative, settings)
    except (CompatError, ConfigError, OSError) as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    text = render(diagnostics, output_format, unsafe_fixes=unsafe_fixes)
    sys.stdout.write(text)
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    errors = len(diagnostics) - warnings
    if output_format in TEXT_FORMATS:
        parts = [f"{errors} replay-incompatible change{'s' if errors != 1 else ''}"] if errors else []
        parts += [f"{warnings} warning{'s' if warnings != 1 else ''}"] if warnings else []
        sys.stdout.write(f"Found {' and '.join(parts)}.\n" if parts else "No replay-incompatible changes.\n")
    failing = errors if exit_zero_on_warnings else len(diagnostics)
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


@main.command()
def lsp() -> None:
    """Run the language server on stdin/stdout (needs: pip install 'wflint[lsp]')."""
    try:
        from wflint.lsp import main as serve
    except ImportError as exc:
        _error(f"the language server needs pygls 2 ({exc}); install it with: pip install 'wflint[lsp]'")
        sys.exit(EXIT_ERROR)
    serve()


@main.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
def clean(path: str | None) -> None:
    """Remove the result cache (.wflint_cache/) of the project at PATH (default: here)."""
    from wflint.cache import clean as remove_cache
    from wflint.config import ConfigError, find_config

    root = Path(path or ".")
    try:
        found = find_config(root)
    except ConfigError:
        found = None
    if remove_cache(found.parent if found else root):
        click.echo("Removed the wflint cache.")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
def rules(fmt: str) -> None:
    """List every rule of the catalog."""
    from wflint.codes import COMPAT_CATALOG

    if fmt == "json":
        data = [{"code": e.code, "name": e.name, "severity": e.severity, "summary": e.summary,
                 "command": "compat" if e in COMPAT_CATALOG else "check"}
                for e in (*CATALOG, *COMPAT_CATALOG)]
        click.echo(json.dumps(data, indent=2))
    elif fmt == "markdown":
        from wflint.codes import markdown_table
        click.echo(markdown_table())
    else:
        width = max(len(e.name) for e in (*CATALOG, *COMPAT_CATALOG))
        for e in CATALOG:
            click.echo(f"{e.code}   {e.name:<{width}}  {e.severity:<7}  {e.summary}")
        click.echo("\nReported by wflint compat:")
        for e in COMPAT_CATALOG:
            click.echo(f"{e.code}  {e.name:<{width}}  {e.severity:<7}  {e.summary}")


@main.command()
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule(code: str, fmt: str) -> None:
    """Explain a rule (by code or name): what it flags, why, an example, and what to use per
    framework."""
    from wflint.docs import per_framework, rule_markdown

    from wflint.codes import COMPAT_CATALOG, entry_of

    by_name = {entry.name: entry.code for entry in (*CATALOG, *COMPAT_CATALOG)}
    code = by_name.get(code.lower(), code.upper())  # a rule's name works as well as its code
    entry = entry_of(code)
    if entry is None:
        _error(f"unknown rule code '{code}'; see 'wflint rules' for the codes and names")
        sys.exit(EXIT_ERROR)
    if fmt == "json":
        from wflint.docs import rule_docstring
        click.echo(json.dumps({
            "code": code, "name": entry.name, "severity": entry.severity, "summary": entry.summary,
            "explanation": rule_docstring(code),
            "frameworks": [{"framework": t, "instead": s} for t, s in per_framework(code)]
            if code in BY_CODE and code not in FILE_CODES else [],
        }, indent=2))
    else:
        click.echo(rule_markdown(code), nl=False)


def run() -> None:
    """The ``wflint`` command (and ``python -m wflint``): :func:`main`, then an immediate exit
    once the output is flushed. A run that built large trees (a long module and its fixed
    text) would otherwise spend seconds after its work is done, while Python frees them one
    by one at shutdown; everything the run writes (the output, the cache, fixed files) is
    written and closed before :func:`main` returns."""
    try:
        main.main(prog_name="wflint")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else (0 if code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a reader that stopped reading (``wflint check | head``)
    os._exit(status)
