"""The `tidal` command line (CONTRACTS section 1).

Exit status: 0 on success, 2 on bad input (the message names the file, line or
field), 1 on an internal error.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Tidal: an open, self-hosted, blended contact center.",
)
stderr = Console(stderr=True)
# Piped output has no terminal width; 120 columns keeps the summary tables whole.
stdout = Console() if sys.stdout.isatty() else Console(width=120)

EXIT_BAD_INPUT = 2


def _bad_input(message: str) -> NoReturn:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def tidal_home() -> Path:
    """Where Tidal keeps its files: `$TIDAL_HOME`, default `./.tidal`."""
    return Path(os.environ.get("TIDAL_HOME", ".tidal"))


def _run_simulation(scenario_path: Path, seed: int | None, quiet: bool) -> Any:
    from tidal.config import ConfigError, load_scenario
    from tidal.sim import Simulation, UnsupportedScenario

    try:
        scenario = load_scenario(scenario_path)
        simulation = Simulation(scenario, seed=seed)
    except ConfigError as error:
        _bad_input(str(error))
    except UnsupportedScenario as error:
        _bad_input(f"{scenario_path.name}: {error}")
    progress = Progress(
        TextColumn("[bold]simulating[/] {task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}% of simulated time"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=quiet,
    )
    with progress:
        task = progress.add_task(scenario.name, total=1.0)
        simulation.progress = lambda fraction: progress.update(task, completed=fraction)
        return simulation.run()


def _print_summary(figures: dict[str, Any]) -> None:
    from tidal.sim.summary import AGENT_HEADERS, QUEUE_HEADERS, agent_rows, queue_rows

    for title, headers, rows in (
        (f"{figures['scenario']} (seed {figures['seed']})", QUEUE_HEADERS, queue_rows(figures)),
        (None, AGENT_HEADERS, agent_rows(figures)),
    ):
        table = Table(title=title)
        for i, header in enumerate(headers):
            table.add_column(header, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*row)
        stdout.print(table)
    stdout.print(
        f"{figures['events_processed']:,} events, "
        f"{figures['simulated_seconds'] / 3600:.1f} simulated hours "
        f"in {figures['wall_seconds']:.2f} s"
    )


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object on stdout, nothing else.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write an HTML report with charts to this file.")
    ] = None,
) -> None:
    """Run a scenario in simulated time and report its figures."""
    result = _run_simulation(scenario, seed, quiet=False)
    figures = result.as_json()
    if report is not None:
        from tidal.sim.report import write_report

        write_report(result, report)
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        _print_summary(figures)
    if report is not None:
        stderr.print(f"report written to {report}")


@app.command()
def staff(
    rate: Annotated[float, typer.Option(help="Calls per hour.")],
    aht: Annotated[float, typer.Option(help="Average handle time, seconds.")],
    target: Annotated[float, typer.Option(help="Service-level target, e.g. 0.8.")] = 0.8,
    threshold: Annotated[float, typer.Option(help="Service-level threshold, seconds.")] = 20.0,
    patience: Annotated[
        float | None, typer.Option(help="Mean caller patience, seconds (Erlang A).")
    ] = None,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time not on the phones.")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Fewest agents that meet a service-level target (Erlang C, or Erlang A with patience)."""
    from tidal.wfm import staff as staff_for

    try:
        result = staff_for(rate, aht, target, threshold, patience=patience, shrinkage=shrinkage)
    except ValueError as error:
        _bad_input(str(error))
    figures = result.as_json()
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
        return
    model = "Erlang A" if patience is not None else "Erlang C"
    stdout.print(
        f"{model}: [bold]{figures['agents']}[/] agents on the phones "
        f"({figures['scheduled']} scheduled with {shrinkage:.0%} shrinkage)\n"
        f"service level {figures['service_level']:.1%} in {threshold:g} s, "
        f"ASA {figures['asa']:.1f} s, occupancy {figures['occupancy']:.1%}, "
        f"abandon rate {figures['abandon_rate']:.1%}"
    )


@app.command()
def demo(
    report: Annotated[
        Path | None, typer.Option(help="Where to write the report (default $TIDAL_HOME).")
    ] = None,
) -> None:
    """Simulate the demo center for a day and write its HTML report."""
    from tidal.sim.report import write_report

    scenario = resources.files("tidal.sim").joinpath("data/demo.yaml")
    with resources.as_file(scenario) as path:
        result = _run_simulation(path, None, quiet=False)
    target = report if report is not None else tidal_home() / "demo-report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_report(result, target)
    _print_summary(result.as_json())
    stdout.print(f"\n[bold green]demo report:[/] file://{target.resolve()}", soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
