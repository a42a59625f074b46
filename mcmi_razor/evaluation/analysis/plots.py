"""PNG figures of the analysis tools, the demo and the studies, in
one style (matplotlib, Agg backend).

The style, so that no figure exaggerates a difference:

- value axes start at zero (accuracy runs 0-100 %);
- every value label of a metric has the same decimals (:data:`DECIMALS`);
- error bars only where a value is a mean over at least 2 seeds;
- a caption under the figure says what was run: data, seeds, schedule.

Each ``*_figure`` function returns the figure (tests inspect it); the
``plot_*`` functions write it to a PNG. matplotlib is the ``demo`` extra:
``pip install -e .[demo]``.
"""
import math
from typing import Dict, List, Optional, Sequence

#: Decimals of each metric's value labels: top-1 in %, the rest in nats or
#: fractions.
DECIMALS = {'top1': 2, 'nll': 3, 'ece': 3, 'cmi': 4, 'ncmi': 4}


def _pyplot():
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            'The analysis figures need matplotlib: pip install matplotlib '
            "(or pip install -e '.[demo]').") from error
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def format_value(value: float, metric: str) -> str:
    """``value`` with the decimals of ``metric`` (:data:`DECIMALS`)."""
    return f'{value:.{DECIMALS.get(metric, 2)}f}'


def _value_axis(ax, metric: str, values: Sequence[float]) -> None:
    """Zero-based value axis; 0-100 for accuracies."""
    if metric == 'top1':
        ax.set_ylim(0, 100)
        return
    finite = [v for v in values if not math.isnan(v)]
    top = max(finite) if finite else 1.0
    ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)


def _error_bars(stds: Sequence[Optional[float]],
                counts: Sequence[int]) -> Optional[List[float]]:
    """Error bars where a value is a mean of >= 2 seeds, else None."""
    if not any(n >= 2 and s is not None for s, n in zip(stds, counts)):
        return None
    return [s if n >= 2 and s is not None else 0.0
            for s, n in zip(stds, counts)]


def _save(fig, path: str) -> None:
    plt = _pyplot()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _layout(fig, caption: str) -> None:
    """Tight layout, leaving room for ``caption`` at the bottom."""
    if caption:
        fig.text(0.01, 0.01, caption, ha='left', va='bottom', fontsize=7,
                 wrap=True)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
    else:
        fig.tight_layout()


def bars_figure(names: Sequence[str], panels: Sequence[Dict],
                caption: str = ''):
    """One panel per metric, one bar per name, value labels on the bars.

    Args:
        names: the bars' names.
        panels: dicts with ``title``, ``metric`` (a :data:`DECIMALS` key),
            ``values`` and optionally ``std`` and ``n`` (seeds per value).
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels),
                             figsize=(max(3.4 * len(panels), 5), 4.0))
    axes = [axes] if len(panels) == 1 else list(axes)
    for ax, panel in zip(axes, panels):
        values = [math.nan if v is None else float(v)
                  for v in panel['values']]
        errors = _error_bars(panel.get('std', [None] * len(values)),
                             panel.get('n', [1] * len(values)))
        ax.bar(range(len(names)), values, yerr=errors, capsize=4,
               color=[f'C{i}' for i in range(len(names))])
        for x, value in enumerate(values):
            if not math.isnan(value):
                ax.annotate(format_value(value, panel['metric']),
                            (x, value), ha='center', va='bottom',
                            fontsize=8)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=20, ha='right', fontsize=8)
        ax.set_title(panel['title'], fontsize=10)
        ax.grid(axis='y', alpha=0.3)
        _value_axis(ax, panel['metric'], values)
    _layout(fig, caption)
    return fig


def plot_metric_bars(rows: List[Dict], metrics: Sequence[str], path: str,
                     name_key: str = 'name', caption: str = '') -> None:
    """One panel per metric, one bar per row (model)."""
    names = [str(r[name_key]) for r in rows]
    panels = [dict(title=metric, metric=metric,
                   values=[r.get(metric, math.nan) for r in rows])
              for metric in metrics]
    _save(bars_figure(names, panels, caption), path)


def pipeline_figure(results: Dict, caption: str = ''):
    """The demo's figure from ``tools/mcmi_pipeline.py``'s results:
    teacher top-1, teacher CMI and student top-1 (error bars only over
    >= 2 seeds), one bar per teacher."""
    names = list(results['teachers'])
    metrics = [results['teachers'][n]['metrics'] for n in names]
    students = [results['students'][n] for n in names]
    panels = [
        dict(title='teacher top-1 (%)', metric='top1',
             values=[m.get('top1', math.nan) for m in metrics]),
        dict(title='teacher CMI (nats)', metric='cmi',
             values=[m.get('cmi', math.nan) for m in metrics]),
        dict(title='KD student top-1 (%)', metric='top1',
             values=[s['top1']['mean'] for s in students],
             std=[s['top1']['std'] for s in students],
             n=[len(s['runs']) for s in students]),
    ]
    return bars_figure(names, panels, caption)


def plot_pipeline_results(results: Dict, path: str,
                          caption: str = '') -> None:
    """Write :func:`pipeline_figure` to ``path``."""
    _save(pipeline_figure(results, caption), path)


def temperature_figure(sweeps: Dict[str, List[Dict]], caption: str = ''):
    """CMI (left) and NLL (right) against the softmax temperature, one line
    per model; the legend gives each model's top-1.

    Args:
        sweeps: model name -> rows of :func:`temperature_sweep`.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    for name, rows in sweeps.items():
        temps = [r['temperature'] for r in rows]
        label = f'{name} (top-1 {format_value(rows[0]["top1"], "top1")}%)'
        axes[0].plot(temps, [r['cmi'] for r in rows], marker='o', label=label)
        axes[1].plot(temps, [r['nll'] for r in rows], marker='o', label=label)
    for ax, what in zip(axes, ('CMI I(X; Ŷ | Y) (nats)', 'NLL (nats)')):
        ax.set_xscale('log')
        ax.set_xlabel('softmax temperature T')
        ax.set_ylabel(what)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    _layout(fig, caption)
    return fig


def plot_temperature_sweep(sweeps: Dict[str, List[Dict]], path: str,
                           caption: str = '') -> None:
    """Write :func:`temperature_figure` to ``path``."""
    _save(temperature_figure(sweeps, caption), path)


def plot_per_class(rows: List[Dict], path: str, title: str = '',
                   caption: str = '') -> None:
    """Per-class accuracy bars (rows of :func:`per_class_rows`); omitted
    classes are hatched red and labelled '(omitted)'."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(rows)), 4.2))
    colors = ['C3' if r['omitted'] else 'C0' for r in rows]
    bars = ax.bar(range(len(rows)), [r['accuracy'] for r in rows],
                  color=colors)
    for x, (bar, row) in enumerate(zip(bars, rows)):
        if row['omitted']:
            bar.set_hatch('//')
            # visible even at 0%: a shaded column and the value
            ax.axvspan(x - 0.45, x + 0.45, color='C3', alpha=0.12)
            ax.annotate(f'{format_value(row["accuracy"], "top1")}%',
                        (x, row['accuracy']), ha='center', va='bottom',
                        color='C3', fontsize=8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([r['name'] + (' (omitted)' if r['omitted'] else '')
                        for r in rows], rotation=40, ha='right', fontsize=8)
    ax.set_ylabel('top-1 accuracy (%)')
    _value_axis(ax, 'top1', [])
    ax.set_title(title)
    ax.grid(axis='y', alpha=0.3)
    _layout(fig, caption)
    _save(fig, path)


def lines_figure(series: Dict[str, Dict[str, List]], xlabel: str,
                 ylabel: str, title: str = '', logx: bool = False,
                 caption: str = '', metric: str = 'top1'):
    """Lines of means; error bars (std) only at points with ``n`` >= 2.

    Args:
        series: name -> dict(x, mean, std, n) (``n``: seeds per point;
            without it, no error bars).
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for name, s in series.items():
        errors = _error_bars(s.get('std', [None] * len(s['x'])),
                             s.get('n', [1] * len(s['x'])))
        ax.errorbar(s['x'], s['mean'], yerr=errors, marker='o', capsize=3,
                    label=name)
    if logx:
        ax.set_xscale('log')
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _value_axis(ax, metric, [v for s in series.values() for v in s['mean']])
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    _layout(fig, caption)
    return fig


def plot_lines_with_error(series: Dict[str, Dict[str, List]], path: str,
                          xlabel: str, ylabel: str, title: str = '',
                          logx: bool = False, caption: str = '') -> None:
    """Write :func:`lines_figure` (top-1 axis) to ``path``."""
    _save(lines_figure(series, xlabel, ylabel, title, logx, caption), path)
