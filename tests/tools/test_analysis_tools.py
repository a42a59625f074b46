"""tools/analysis/*.py write their PNG and tables (from saved logits)."""
import csv

import pytest
import torch

pytestmark = pytest.mark.slow


@pytest.fixture
def logits_files(tmp_path):
    gen = torch.Generator().manual_seed(0)
    labels = torch.arange(10).repeat(20)
    files = {}
    for name, scale in (('MLL', 8.0), ('MCMI', 2.0)):
        logits = torch.randn(200, 10, generator=gen)
        logits[torch.arange(200), labels] += scale
        path = tmp_path / f'{name}.pth'
        torch.save(dict(logits=logits, labels=labels), path)
        files[name] = path
    return files


def _rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def test_cmi_vs_temperature_writes_one_row_per_model_and_temperature(
        run_tool, logits_files, tmp_path):
    out = tmp_path / 'out'
    run_tool('analysis/cmi_vs_temperature.py', '--logits', 'MLL',
             logits_files['MLL'], '--logits', 'MCMI', logits_files['MCMI'],
             '--temperatures', '1', '4', '--out-dir', out)
    rows = _rows(out / 'cmi_vs_temperature.csv')
    assert [(r['model'], float(r['temperature'])) for r in rows] == [
        ('MLL', 1.0), ('MLL', 4.0), ('MCMI', 1.0), ('MCMI', 4.0)]
    assert (out / 'cmi_vs_temperature.png').stat().st_size > 0
    assert (out / 'cmi_vs_temperature.md').read_text().startswith('| model')


def test_compare_teachers_reports_top1_nll_ece_cmi_ncmi(
        run_tool, logits_files, tmp_path):
    out = tmp_path / 'out'
    run_tool('analysis/compare_teachers.py', '--logits', 'MLL',
             logits_files['MLL'], '--logits', 'MCMI', logits_files['MCMI'],
             '--out-dir', out)
    rows = _rows(out / 'compare_teachers.csv')
    assert [r['name'] for r in rows] == ['MLL', 'MCMI']
    for row in rows:     # top-1 and CMI from their definitions
        saved = torch.load(logits_files[row['name']])
        probs = saved['logits'].double().softmax(1)
        labels = saved['labels']
        top1 = (probs.argmax(1) == labels).double().mean().item() * 100
        centroids = torch.stack([probs[labels == c].mean(0)
                                 for c in range(10)])
        cmi = (probs * (probs / centroids[labels]).log()).sum(1).mean()
        assert float(row['top1']) == pytest.approx(top1, abs=1e-3)
        assert float(row['cmi']) == pytest.approx(cmi.item(), rel=1e-3)
    # the less confident teacher has the larger CMI
    assert float(rows[1]['cmi']) > float(rows[0]['cmi'])
    assert (out / 'compare_teachers.png').stat().st_size > 0


def test_per_class_accuracy_marks_the_omitted_classes(
        run_tool, logits_files, tmp_path):
    out = tmp_path / 'out'
    result = run_tool('analysis/per_class_accuracy.py', '--logits', 'KD',
                      logits_files['MLL'], '--omit', '2', '7', '--out-dir',
                      out)
    rows = _rows(out / 'per_class_accuracy.csv')
    assert [r['omitted'] for r in rows] == [
        str(c in (2, 7)) for c in range(10)]
    assert 'Mean accuracy: omitted classes' in result.stdout
    assert (out / 'per_class_accuracy.png').stat().st_size > 0


def test_plot_pipeline_results_writes_the_demo_figure_with_its_caption(
        run_tool, tmp_path):
    import json
    demo = 'configs/fashion_mnist/demo/'
    runs = [dict(seed=0, metrics=dict(top1=70.0))]
    results = dict(
        settings=dict(mll_config=demo + 'mll_teacher_r20.py',
                      mcmi_config=demo + 'mcmi_teacher_r20.py',
                      distill_config=demo + 'kd_r20_r8.py',
                      cfg_options=[], teacher_options=[], student_options=[],
                      seeds=[0], teacher_seed=0),
        teachers={n: dict(metrics=dict(top1=80.0, cmi=0.3))
                  for n in ('mll', 'mcmi', 'control')},
        students={n: dict(runs=runs, top1=dict(mean=70.0, std=None))
                  for n in ('mll', 'mcmi', 'control')})
    path = tmp_path / 'results.json'
    path.write_text(json.dumps(results))
    out = tmp_path / 'demo_results.png'
    result = run_tool('analysis/plot_pipeline_results.py', path, '--out', out)
    assert out.stat().st_size > 0 and f'wrote {out}' in result.stdout
