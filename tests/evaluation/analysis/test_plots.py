"""The figures' one style: zero-based axes, the same decimals on every
label of a metric, error bars only over >= 2 seeds, a caption."""
import pytest

from mcmi_razor.apis.pipeline_caption import pipeline_caption
from mcmi_razor.evaluation.analysis.plots import (
    format_value,
    lines_figure,
    pipeline_figure,
)

pytest.importorskip('matplotlib')


def _results(student_tops):
    runs = [dict(seed=i, metrics=dict(top1=t))
            for i, t in enumerate(student_tops)]
    mean = sum(student_tops) / len(student_tops)
    std = None if len(runs) < 2 else 0.5
    teachers = dict(mll=dict(metrics=dict(top1=69.03, cmi=0.28)),
                    mcmi=dict(metrics=dict(top1=68.8, cmi=0.2953)))
    return dict(teachers=teachers,
                students={n: dict(runs=runs, top1=dict(mean=mean, std=std))
                          for n in teachers})


def _has_error_bars(ax):
    from matplotlib.container import ErrorbarContainer
    return any(isinstance(c, ErrorbarContainer) and c.has_yerr
               for c in ax.containers)


def _labels(ax):
    return [t.get_text() for t in ax.texts]


def test_pipeline_figure_one_seed_zero_based_even_decimals_no_bars():
    fig = pipeline_figure(_results([70.0]), caption='5% of the data, 1 seed')
    teacher_top1, cmi, students = fig.axes
    assert _labels(teacher_top1) == ['69.03', '68.80']
    assert _labels(cmi) == ['0.2800', '0.2953']
    for ax in fig.axes:
        assert ax.get_ylim()[0] == 0
    assert teacher_top1.get_ylim() == (0, 100)
    assert not _has_error_bars(students)
    assert '5% of the data, 1 seed' in [t.get_text() for t in fig.texts]


def test_pipeline_figure_shows_error_bars_over_two_seeds():
    fig = pipeline_figure(_results([70.0, 71.0]))
    assert _has_error_bars(fig.axes[2])


def test_lines_figure_bars_only_at_points_with_two_seeds():
    series = dict(a=dict(x=[1, 10], mean=[60.0, 70.0], std=[0.0, 0.0],
                         n=[1, 1]))
    ax = lines_figure(series, 'x', 'y').axes[0]
    assert not _has_error_bars(ax)
    series['a']['n'] = [2, 3]
    ax = lines_figure(series, 'x', 'y').axes[0]
    assert _has_error_bars(ax) and ax.get_ylim()[0] == 0


def test_format_value_uses_the_metric_decimals():
    assert format_value(69, 'top1') == '69.00'
    assert format_value(0.28761, 'cmi') == '0.2876'


def test_caption_states_data_fraction_epochs_and_seeds():
    demo = 'configs/fashion_mnist/demo/'
    results = dict(
        settings=dict(mll_config=demo + 'mll_teacher_r20.py',
                      mcmi_config=demo + 'mcmi_teacher_r20.py',
                      distill_config=demo + 'kd_r20_r8.py',
                      cfg_options=[], teacher_options=[],
                      student_options=[], seeds=[0], teacher_seed=0),
        teachers=dict(mll={}, mcmi={}, control={}))
    assert pipeline_caption(results) == (
        'Teachers: a class-balanced 5% of the training set, MLL 6 epochs, '
        'then 2 epochs of MCMI / control fine-tune (seed 0). Students: a '
        'class-balanced 5% of the training set, 3 epochs, 1 seed (0): no '
        'error bars. Tested on the full test split.')
