"""PNG figures of the analysis tools (matplotlib, Agg backend).

matplotlib is the ``demo`` extra: ``pip install -e .[demo]``.
"""
import math
from typing import Dict, List, Sequence


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


def plot_temperature_sweep(sweeps: Dict[str, List[Dict]], path: str) -> None:
    """CMI (left) and NLL (right) against the softmax temperature, one line
    per model; the legend gives each model's top-1.

    Args:
        sweeps: model name -> rows of :func:`temperature_sweep`.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name, rows in sweeps.items():
        temps = [r['temperature'] for r in rows]
        label = f'{name} (top-1 {rows[0]["top1"]:.2f}%)'
        axes[0].plot(temps, [r['cmi'] for r in rows], marker='o', label=label)
        axes[1].plot(temps, [r['nll'] for r in rows], marker='o', label=label)
    for ax, what in zip(axes, ('CMI I(X; Ŷ | Y) (nats)', 'NLL (nats)')):
        ax.set_xscale('log')
        ax.set_xlabel('softmax temperature T')
        ax.set_ylabel(what)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_metric_bars(rows: List[Dict], metrics: Sequence[str], path: str,
                     name_key: str = 'name') -> None:
    """One panel per metric, one bar per row (model)."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(metrics),
                             figsize=(3.2 * len(metrics), 3.6))
    axes = [axes] if len(metrics) == 1 else list(axes)
    names = [str(r[name_key]) for r in rows]
    for ax, metric in zip(axes, metrics):
        values = [r.get(metric, math.nan) for r in rows]
        ax.bar(range(len(rows)), values, color=[f'C{i}' for i in
                                                range(len(rows))])
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels(names, rotation=30, ha='right', fontsize=8)
        ax.set_title(metric)
        ax.grid(axis='y', alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_per_class(rows: List[Dict], path: str, title: str = '') -> None:
    """Per-class accuracy bars (rows of :func:`per_class_rows`); omitted
    classes are hatched red and labelled '(omitted)'."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(rows)), 4))
    colors = ['C3' if r['omitted'] else 'C0' for r in rows]
    bars = ax.bar(range(len(rows)), [r['accuracy'] for r in rows],
                  color=colors)
    for x, (bar, row) in enumerate(zip(bars, rows)):
        if row['omitted']:
            bar.set_hatch('//')
            # visible even at 0%: a shaded column and the value
            ax.axvspan(x - 0.45, x + 0.45, color='C3', alpha=0.12)
            ax.annotate(f'{row["accuracy"]:.1f}%', (x, row['accuracy']),
                        ha='center', va='bottom', color='C3', fontsize=8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([r['name'] + (' (omitted)' if r['omitted'] else '')
                        for r in rows], rotation=40, ha='right', fontsize=8)
    ax.set_ylabel('top-1 accuracy (%)')
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.grid(axis='y', alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_lines_with_error(series: Dict[str, Dict[str, List]], path: str,
                          xlabel: str, ylabel: str, title: str = '',
                          logx: bool = False) -> None:
    """Lines with error bars. ``series``: name -> dict(x, mean, std)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, s in series.items():
        ax.errorbar(s['x'], s['mean'], yerr=s['std'], marker='o',
                    capsize=3, label=name)
    if logx:
        ax.set_xscale('log')
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_pipeline_results(results: Dict, path: str) -> None:
    """The demo's figure from ``tools/mcmi_pipeline.py``'s results.json:
    teacher top-1, teacher CMI and student top-1 (mean, std over seeds),
    one bar per teacher."""
    plt = _pyplot()
    names = list(results['teachers'])
    teacher_metrics = [results['teachers'][n]['metrics'] for n in names]
    students = [results['students'][n]['top1'] for n in names]
    panels = [
        ('teacher top-1 (%)',
         [m.get('accuracy/top1', math.nan) for m in teacher_metrics], None),
        ('teacher CMI (nats)',
         [m.get('cmi/cmi', math.nan) for m in teacher_metrics], None),
        ('KD student top-1 (%)',
         [math.nan if s['mean'] is None else s['mean'] for s in students],
         [0 if s['std'] is None else s['std'] for s in students]),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8))
    for ax, (title, values, errors) in zip(axes, panels):
        ax.bar(range(len(names)), values, yerr=errors, capsize=4,
               color=[f'C{i}' for i in range(len(names))])
        for x, v in enumerate(values):
            if not math.isnan(v):
                ax.annotate(f'{v:.3g}', (x, v), ha='center', va='bottom',
                            fontsize=8)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names)
        ax.set_title(title)
        ax.grid(axis='y', alpha=0.3)
        finite = [v for v in values if not math.isnan(v)]
        if finite and 'top-1' in title:
            ax.set_ylim(max(0, min(finite) - 10), min(100, max(finite) + 5))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
