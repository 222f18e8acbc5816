"""``wuye import units FILE``: bulk import of units and owners from CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import click

from core.cli import echo_json, pass_state


def register(cli: click.Group) -> None:
    @cli.group("import")
    def import_():
        """Bulk import from CSV or XLSX."""

    @import_.command("units")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Validate and count, write nothing.")
    @click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the rejected rows with their reasons to this CSV file.")
    @click.option("--json", "as_json", is_flag=True)
    @pass_state
    def units(state, file, dry_run, report, as_json):
        """Import units (and their owners) from FILE.

        Columns: estate, building, entrance, room_no, floor, unit_type, built_area, interior_area,
        status, delivered_on, owner_name, owner_id_type, owner_id_number, owner_phone (Chinese
        headers such as 小区编码, 楼栋, 房号, 建筑面积, 业主姓名 are accepted too). A rejected row
        writes nothing; the exit code is 1 when any row was rejected.
        """
        from core.services.importer import import_units, read_columns, rejected_report_csv

        rows = read_columns(file)  # column by column: a dict per row costs time and memory on big files
        with state.wuye.session() as s:
            result = import_units(s, rows, dry_run=dry_run)
        if report:
            report.write_text(rejected_report_csv(result), encoding="utf-8")
        if as_json:
            echo_json(result.to_dict())
        else:
            verb = "would create" if dry_run else "created"
            click.echo(f"{result.rows} rows: {verb} {result.units_created} units, {result.buildings_created} "
                       f"buildings, {result.owners_created} owners ({result.owners_reused} existing owners reused); "
                       f"{len(result.rejected)} rejected")
            for r in result.rejected[:20]:
                click.echo(f"  line {r.line}: {r.column}: {r.reason}", err=True)
            if len(result.rejected) > 20:
                click.echo(f"  ... {len(result.rejected) - 20} more (use --report FILE)", err=True)
        if result.rejected:
            raise SystemExit(1)
