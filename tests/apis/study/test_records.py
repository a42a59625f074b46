"""A study's records file: saved atomically and sorted, loaded only with
exactly its groups and each record's fields."""
import json

import pytest

from mcmi_razor.apis.study import RecordsFile

RECORDS = RecordsFile(study='toy', writer='toy/records.py',
                      groups=dict(teachers=('top1', 'cmi'),
                                  students=('top1', ), schedule=None))


def _records():
    return dict(teachers={'mll_seed0': dict(top1=88.0, cmi=0.29)},
                students={'kd_t0_s0': dict(top1=80.0)},
                schedule=dict(epochs=50, curve=[1, 2]))


def test_saved_records_load_back_as_they_were(tmp_path):
    path = str(tmp_path / 'runs.json')
    RECORDS.save(_records(), path)
    assert RECORDS.load(path) == _records()
    text = (tmp_path / 'runs.json').read_text()
    assert text.endswith('\n') and text.index('schedule') < text.index(
        'students') < text.index('teachers')     # sorted, diff-friendly


def test_wrong_groups_or_fields_are_refused_naming_run_and_fix(tmp_path):
    path = tmp_path / 'runs.json'
    path.write_text(json.dumps(dict(teachers={}, students={})))
    with pytest.raises(ValueError, match=r'not a records file of the toy '
                       r'study.*write it again with toy/records.py'):
        RECORDS.load(str(path))
    records = _records()
    records['students']['kd_t0_s0']['val'] = 1.0
    with pytest.raises(ValueError, match='students/kd_t0_s0 does not hold'):
        RECORDS.save(records, str(path))
    assert 'val' not in path.read_text()      # nothing written


def test_a_cut_short_file_or_nan_is_refused(tmp_path):
    path = tmp_path / 'runs.json'
    path.write_text('{"teachers": {')
    with pytest.raises(ValueError, match='runs.json is not JSON'):
        RECORDS.load(str(path))
    records = _records()
    records['teachers']['mll_seed0']['cmi'] = float('nan')
    with pytest.raises(ValueError, match='not JSON compliant'):
        RECORDS.save(records, str(path))
    assert path.read_text() == '{"teachers": {'
