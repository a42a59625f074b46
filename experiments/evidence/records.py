"""The run records of the evidence study (docs/evidence_protocol.md): what
each finished teacher and student measured, read from its work dir, and
the records file that carries them into the repository.

``experiments/evidence/teachers.sh`` and ``students.sh`` write one work
dir per run under ``work_dirs/evidence/{teachers,students}``. A record is a
JSON-able dict of the run's test metrics, its last logged validation top-1
and ``cmi_weight`` and its training minutes, so the report can be rebuilt
from the committed records file alone (``docs/results/evidence_runs.json``)
and a test can check that the tables in ``docs/results.md`` are exactly
that report.
"""
import glob
import os.path as osp

from mcmi_razor.apis.study import (
    Records,
    RecordsFile,
    last_logged,
    read_test_metrics,
    training_minutes,
)

OMITTED_CLASS = 2       # the zero-shot class, fixed by the protocol
FIELDS = ('top1', 'cmi', 'ce', 'cmi_t4', 'omitted', 'val', 'cmi_weight',
          'minutes')
RECORDS = RecordsFile(
    study='evidence', groups=dict(teachers=FIELDS, students=FIELDS),
    writer='experiments/evidence/report.py --save-records')


def run_record(work: str) -> dict:
    """What a finished run (one with a ``test_metrics.json``) measured.

    Test top-1, CMI, CE and CMI at tau = 4 (teachers), the omitted class's
    accuracy (zero-shot students), the last validation top-1 and the last
    ``cmi_weight`` its training logged (budget teachers), and its training
    minutes. Missing values are None.
    """
    metrics = read_test_metrics(work)
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
    for group in RECORDS.groups:
        found = {}
        for path in sorted(glob.glob(osp.join(root, group, '*',
                                              'test_metrics.json'))):
            work = osp.dirname(path)
            found[osp.basename(work)] = run_record(work)
        records[group] = found
    if not any(records.values()):
        raise FileNotFoundError(
            f'No finished teacher or student under {root}: give the study\'s '
            'work dir, or run experiments/evidence/teachers.sh and '
            'students.sh first.')
    return records


def load_records(source: str) -> Records:
    """The records of a study's work dir, or of a records file written by
    ``RECORDS.save`` (``*.json``)."""
    if osp.isdir(source):
        return collect(source)
    if not osp.isfile(source):
        raise FileNotFoundError(
            f'{source} is neither a study work dir nor a records file: give '
            'work_dirs/evidence or docs/results/evidence_runs.json.')
    return RECORDS.load(source)
