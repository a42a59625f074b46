"""The run records of the many-class study: what every finished run
measured, read from its work dir, and the committed file that carries them.

    python experiments/many_class/records.py [--out RECORDS_JSON]

A teacher's record holds its ``teacher_metrics.json`` (test and training
split: top-1, CE, CMI at tau 1 and 4, mean max-probability), its last
validation top-1 and ``cmi_weight``, and its training minutes; a student's
its test top-1, the mean accuracy over the omitted classes (zero-shot), its
last validation top-1, epochs and minutes. The report (``report.py``) and
the results page are built from this file alone. New records are added
to the committed ones (``merge``): a run whose work dir is gone keeps its
record.
"""
import argparse
import copy
import sys
from pathlib import Path
from typing import Dict, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from experiments.many_class.runs import ROOT, all_runs  # noqa: E402
from mcmi_razor.apis.study import (  # noqa: E402
    RecordsFile,
    last_logged,
    read_json,
    training_minutes,
)

RECORDS_PATH = 'docs/results/many_class_runs.json'
OMITTED = (2, 7, 16, 34, 35, 36, 44, 60, 63, 77)   # _base_/zero_shot.py
RECORDS = RecordsFile(
    study='many-class',
    groups=dict(teachers=('test', 'train', 'val', 'cmi_weight', 'minutes'),
                students=('top1', 'omitted', 'val', 'epochs', 'minutes'),
                schedule=None),
    writer='experiments/many_class/records.py')
Records = Dict[str, dict]


def _minutes(work: Path) -> float:
    minutes = training_minutes(str(work))
    return round(minutes, 2) if minutes is not None else None


def teacher_record(work: Path) -> dict:
    metrics = read_json(work / 'teacher_metrics.json',
                        'delete it and run run.py again')
    logged = last_logged(str(work))
    return dict(test=metrics['test'], train=metrics['train'],
                val=logged.get('accuracy/top1'),
                cmi_weight=logged.get('cmi_weight'),
                minutes=_minutes(work))


def student_record(work: Path, setting: str) -> dict:
    path = work / 'test_metrics.json'
    metrics = read_json(path, 'delete it and run run.py again: its test '
                        'step writes it anew')
    per_class = metrics.get('single-label/recall_classwise')
    if 'accuracy/top1' not in metrics or per_class is None:
        raise ValueError(f'{path} lacks accuracy/top1 or per-class recall: '
                         'it is not a test of configs/font_glyphs/r8.py.')
    logged = last_logged(str(work))
    epochs = max((int(p.stem.split('_')[1]) for p in work.glob('epoch_*.pth')),
                 default=None)
    omitted = (sum(per_class[c] for c in OMITTED) / len(OMITTED)
               if setting == 'zero_shot' else None)
    return dict(top1=metrics['accuracy/top1'], omitted=omitted,
                val=logged.get('accuracy/top1'), epochs=epochs,
                minutes=_minutes(work))


def collect(root: Path = ROOT) -> Records:
    """The records of every run of ``runs.all_runs()`` whose work dir holds
    its result."""
    records: Records = dict(teachers={}, students={}, schedule=None)
    for run in all_runs():
        if not run.measured.exists():
            continue
        if run.name == 'curve':
            records['schedule'] = read_json(run.done, 'delete it and run '
                                            'run.py --only curve again')
            records['schedule']['minutes'] = _minutes(run.work)
        elif run.work.parent.name == 'teachers':
            records['teachers'][run.name] = teacher_record(run.work)
        else:
            setting = 'zero_shot' if 'zero_shot' in run.name else 'few_shot'
            records['students'][run.name] = student_record(run.work, setting)
    return records


def _measures(record: dict) -> dict:
    """What a run measured: its record without the minutes it took."""
    return {k: v for k, v in record.items() if k != 'minutes'}


def merge(committed: Records, fresh: Records,
          replace: Iterable[str] = ()) -> Records:
    """The committed records with the fresh ones added.

    A committed record stays when its work dir is gone (a new checkout) or
    when the run was redone and measured the same (training here is
    deterministic at one thread). A redone run that measured differently is
    not the run on record: refused, unless named in ``replace``.
    """
    merged = copy.deepcopy(committed)
    conflicts = []
    entries = [('schedule', 'curve', committed['schedule'],
                fresh['schedule'])]
    for group in ('teachers', 'students'):
        entries += [(group, name, committed[group].get(name), record)
                    for name, record in fresh[group].items()]
    for group, name, old, new in entries:
        if new is None or (old is not None and name not in replace
                           and _measures(old) == _measures(new)):
            continue
        if old is not None and name not in replace:
            changed = sorted(k for k in set(old) | set(new) if k != 'minutes'
                             and old.get(k) != new.get(k))
            conflicts.append(f'{name} ({", ".join(changed)})')
        elif group == 'schedule':
            merged['schedule'] = new
        else:
            merged[group][name] = new
    if conflicts:
        raise ValueError(
            f'Redone runs measured differently from their records in '
            f'{RECORDS_PATH}: {"; ".join(conflicts)}. They are not the runs '
            'on record, and students of a teacher on record must not be '
            'paired with those of another. Keep the records (delete those '
            'work dirs), or, with an amendment on the protocol page saying '
            'why, pass --replace with their names.')
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=RECORDS_PATH)
    parser.add_argument('--replace', nargs='*', default=(),
                        help='runs whose new records replace committed ones')
    args = parser.parse_args()
    committed = (RECORDS.load(args.out) if Path(args.out).exists()
                 else dict(teachers={}, students={}, schedule=None))
    records = merge(committed, collect(), args.replace)
    RECORDS.save(records, args.out)
    print(f'{args.out}: {len(records["teachers"])} teachers, '
          f'{len(records["students"])} students, schedule '
          f'{"chosen" if records["schedule"] else "pending"}')


if __name__ == '__main__':
    main()
