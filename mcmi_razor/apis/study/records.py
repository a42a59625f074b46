"""A study's run records file: what each finished run measured, committed
as JSON so that the study's report (and a test of its results page) can be
rebuilt from the repository alone.

The file holds ``{group: {run name: record}}``; each record of a group is
a dict with exactly that group's fields. A group declared without fields
is kept as it is (e.g. a chosen schedule).
"""
import json
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Sequence

from mcmi_razor.fileio import write_text_atomic

from .run_logs import read_json

Records = Dict[str, Any]


@dataclass(frozen=True)
class RecordsFile:
    """The shape of one study's records file.

    Args:
        study (str): The study's name, for error messages.
        groups (dict): ``group -> fields of each of its records``, or
            ``group -> None`` for a group held as it is.
        writer (str): The command that writes the file again, for error
            messages.
    """
    study: str
    groups: Mapping[str, Optional[Sequence[str]]]
    writer: str

    def check(self, records: Any, source: str) -> Records:
        """``records`` if it has exactly the groups, and every record
        exactly its group's fields; else an error naming the run and the
        fix."""
        fix = f'write it again with {self.writer}'
        if not (isinstance(records, dict)
                and set(records) == set(self.groups)):
            raise ValueError(
                f'{source} is not a records file of the {self.study} study: '
                f'it must hold exactly the keys {tuple(self.groups)}; {fix}.')
        for group, fields in self.groups.items():
            if fields is None:
                continue
            for run, record in records[group].items():
                if not (isinstance(record, dict)
                        and set(record) == set(fields)):
                    raise ValueError(
                        f'{source}: the record of {group}/{run} does not '
                        f'hold exactly the fields {tuple(fields)}; {fix}.')
        return records

    def load(self, path: str) -> Records:
        """The checked records of the file at ``path``."""
        return self.check(read_json(path, f'write it again with '
                                    f'{self.writer}'), path)

    def save(self, records: Records, path: str) -> None:
        """Check ``records`` and write them as JSON (sorted keys, indented,
        so a new run shows as a few added lines in a diff; NaN refused); a
        write cut short leaves the old file in place."""
        self.check(records, path)
        write_text_atomic(path, json.dumps(records, indent=1, sort_keys=True,
                                           allow_nan=False) + '\n')
