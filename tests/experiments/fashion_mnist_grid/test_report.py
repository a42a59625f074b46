"""The grid's report on a partial set of results."""
import json

from experiments.fashion_mnist_grid.report import write_report


def test_report_of_a_partial_grid_shows_n_and_missing_cells(tmp_path):
    results = tmp_path / 'grid' / 'results'
    results.mkdir(parents=True)
    per_class = [80.0] * 10
    for seed, top1 in ((0, 70.0), (1, 72.0)):
        (results / f'student_mll_f0.01_seed{seed}.json').write_text(
            json.dumps(dict(name=f'student_mll_f0.01_seed{seed}',
                            status='ok', wall_seconds=60,
                            metrics=dict(top1=top1, per_class=per_class))))
    (results / 'teacher_weight_1.0.json').write_text(json.dumps(dict(
        name='teacher_weight_1.0', status='collapsed', train_seconds=30,
        message='TeacherCollapseError: lower cmi_weight')))
    out = tmp_path / 'results.md'
    write_report(str(tmp_path / 'grid'), str(out),
                 str(tmp_path / 'figures'), str(tmp_path / 'none.md'))
    text = out.read_text()
    assert '| 0.01 (60 images) | 71.00 ± 1.41 (n=2) | - |' in text
    assert '`weight_1.0`: TeacherCollapseError: lower cmi_weight' in text
    assert (tmp_path / 'figures' / 'few_shot_students.png').exists()
