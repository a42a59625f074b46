"""Student gain against teacher confidence and CMI (the results page's
figure): one point per MCMI-style teacher (kind, seed), the mean paired
gain of its few-shot KD students over the control's of the same start
and seed, against its test mean max-probability and its test CMI."""
import statistics
from typing import Dict, List

from experiments.many_class.report import BASELINE, LABELS, students
from experiments.many_class.runs import TEACHER_SEEDS
from mcmi_razor.apis.study import paired_differences
from mcmi_razor.evaluation.analysis.plots import _layout, _pyplot, _save

KINDS = ('fixed', 'budget', 'fixed_e6', 'mll')


def gain_points(records) -> Dict[str, List[tuple]]:
    """``kind -> [(confidence, cmi, gain), ...]`` over teacher seeds."""
    points = {}
    for kind in KINDS:
        control = BASELINE.get(kind, 'control')
        for seed in TEACHER_SEEDS:
            teacher = records['teachers'].get(f'{kind}_t{seed}')
            runs = {k: r for k, r in
                    students(records, 'kd', kind, 'few_shot').items()
                    if k[0] == seed}
            diffs = paired_differences(
                runs, students(records, 'kd', control, 'few_shot'), 'top1')
            if teacher and diffs:
                points.setdefault(kind, []).append(
                    (teacher['test']['mean_max_prob'], teacher['test']['cmi'],
                     statistics.fmean(diffs)))
    return points


def plot_gain(records, path: str) -> None:
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    for kind, points in gain_points(records).items():
        for ax, index in zip(axes, (0, 1)):
            ax.scatter([p[index] for p in points], [p[2] for p in points],
                       label=LABELS[kind])
    for ax, xlabel in zip(axes, ('teacher test mean max-probability',
                                 'teacher test CMI (nats)')):
        ax.axhline(0, color='grey', linewidth=0.8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel('student gain over control (points)')
    axes[0].legend(fontsize=7)
    _layout(fig, 'FontGlyphs100, KD resnet20 -> resnet8, few-shot 10%; '
            'each point: one teacher seed, mean over its student seeds.')
    _save(fig, path)
