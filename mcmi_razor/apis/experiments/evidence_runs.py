"""The run records of the evidence study (docs/evidence_protocol.md): what
each finished teacher and student measured, read from its work dir, and
the records file that carries them into the repository.

``tools/experiments/evidence_teachers.sh`` and ``evidence_students.sh``
write one work dir per run under ``work_dirs/evidence/{teachers,students}``.
A record is a JSON-able dict of the run's test metrics, its last logged
validation top-1 and ``cmi_weight`` and its training minutes, so the
report can be rebuilt from the committed records file alone
(``docs/results/evidence_runs.json``) and a test can check that the tables
in ``docs/results.md`` are exactly that report.
"""
import glob
import json
import os.path as osp
import re
from datetime import datetime
from typing import Dict, Optional

from mcmi_razor.fileio.atomic import write_text_atomic

OMITTED_CLASS = 2       # the zero-shot class, fixed by the protocol
GROUPS = ('teachers', 'students')
FIELDS = ('top1', 'cmi', 'ce', 'cmi_t4', 'omitted', 'val', 'cmi_weight',
          'minutes')
# The time stamp that starts each line of an mmengine run's log file.
LOG_TIME = re.compile(r'^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) - mmengine',
                      re.MULTILINE)
Records = Dict[str, Dict[str, dict]]


def _read_json(path: str, fix: str):
    """The JSON in ``path``; a file that is not JSON (e.g. cut short by an
    interrupted write) is an error naming it and ``fix``."""
    with open(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{path} is not JSON ({e}): {fix}.') from None


def training_minutes(work: str) -> Optional[float]:
    """Training time of a run, minutes: first to last line of each of its
    log files (one per start, resumes included), summed, so the gap before
    a resume is not counted; None without a log."""
    total = 0.0
    logs = glob.glob(osp.join(work, '*', '*.log'))
    for log in logs:
        with open(log, errors='replace') as f:
            stamps = LOG_TIME.findall(f.read())
        if stamps:
            first, last = (datetime.strptime(t, '%Y/%m/%d %H:%M:%S')
                           for t in (stamps[0], stamps[-1]))
            total += (last - first).total_seconds() / 60
    return total if logs else None


def last_logged(work: str) -> Dict[str, float]:
    """The last value of every scalar the run's training logged (its
    ``vis_data/scalars.json`` files, in the order the run wrote them).

    A run killed while writing leaves a partial last line; that line is
    skipped. A bad line anywhere else is an error naming the file.
    """
    values = {}
    for path in sorted(glob.glob(osp.join(work, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            lines = f.read().splitlines()
        for number, line in enumerate(lines, 1):
            try:
                values.update(json.loads(line))
            except json.JSONDecodeError:
                if number == len(lines):    # cut off by an interruption
                    break
                raise ValueError(f'{path}, line {number}, is not JSON: the '
                                 'log is damaged.') from None
    return values


def run_record(work: str) -> dict:
    """What a finished run (one with a ``test_metrics.json``) measured.

    Test top-1, CMI, CE and CMI at tau = 4 (teachers), the omitted class's
    accuracy (zero-shot students), the last validation top-1 and the last
    ``cmi_weight`` its training logged (budget teachers), and its training
    minutes. Missing values are None.
    """
    path = osp.join(work, 'test_metrics.json')
    metrics = _read_json(path, 'delete it and run the study\'s script '
                         'again: its test stage writes it anew')
    if not (isinstance(metrics, dict) and 'accuracy/top1' in metrics):
        raise ValueError(f'{path} has no accuracy/top1: it is not a '
                         'tools/test.py --out file of this study.')
    per_class = metrics.get('single-label/recall_classwise')
    logged = last_logged(work)
    return dict(top1=metrics['accuracy/top1'], cmi=metrics.get('cmi/cmi'),
                ce=metrics.get('cmi/ce'), cmi_t4=metrics.get('cmi_t4/cmi'),
                omitted=per_class[OMITTED_CLASS] if per_class else None,
                val=logged.get('accuracy/top1'),
                cmi_weight=logged.get('cmi_weight'),
                minutes=training_minutes(work))


def collect(root: str) -> Records:
    """``{'teachers': {run: record}, 'students': {run: record}}`` of every
    finished run under the study's work dir ``root``."""
    records = {}
    for group in GROUPS:
        found = {}
        for path in sorted(glob.glob(osp.join(root, group, '*',
                                              'test_metrics.json'))):
            work = osp.dirname(path)
            found[osp.basename(work)] = run_record(work)
        records[group] = found
    if not any(records.values()):
        raise FileNotFoundError(
            f'No finished teacher or student under {root}: give the study\'s '
            'work dir, or run tools/experiments/evidence_teachers.sh and '
            'evidence_students.sh first.')
    return records


def load_records(source: str) -> Records:
    """The records of a study's work dir, or of a records file written by
    :func:`save_records` (``*.json``)."""
    if osp.isdir(source):
        return collect(source)
    if not osp.isfile(source):
        raise FileNotFoundError(
            f'{source} is neither a study work dir nor a records file: give '
            'work_dirs/evidence or docs/results/evidence_runs.json.')
    records = _read_json(source, 'write it again with evidence_report.py '
                         '--save-records')
    if not (isinstance(records, dict) and set(records) == set(GROUPS)):
        raise ValueError(f'{source} is not an evidence records file: it '
                         f'must hold exactly the keys {GROUPS}.')
    for group, runs in records.items():
        for run, record in runs.items():
            if not (isinstance(record, dict) and set(record) == set(FIELDS)):
                raise ValueError(
                    f'{source}: the record of {group}/{run} does not hold '
                    f'exactly the fields {FIELDS}; write the file again '
                    'with evidence_report.py --save-records.')
    return records


def save_records(records: Records, path: str) -> None:
    """Write ``records`` as JSON (sorted keys, indented, so a new run shows
    as a few added lines in a diff); a write cut short leaves the old
    file in place."""
    write_text_atomic(path, json.dumps(records, indent=1, sort_keys=True,
                                       allow_nan=False) + '\n')
