"""The PNG of the PID report: Red and Uni(Y:T\\S) per student or epoch."""
from typing import Sequence

from mcmi_razor.evaluation.analysis.plots import _pyplot


def plot_pid(rows: Sequence[dict], path: str, title: str = '') -> None:
    """Red (already distilled) and Uni(Y:T\\S) (still distillable) per row,
    I(Y;T) dashed as their ceiling (Red + Uni_T = I(Y;T)); y from 0, bits.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(5, 0.8 * len(rows) + 2), 4))
    x = range(len(rows))
    ax.plot(x, [r['red'] for r in rows], marker='o',
            label='Red(Y:T,S), already distilled')
    ax.plot(x, [r['uni_t'] for r in rows], marker='s',
            label='Uni(Y:T\\S), still distillable')
    ax.axhline(rows[0]['i_yt'], color='k', linestyle='--',
               label=f'I(Y;T) = {rows[0]["i_yt"]:.3f} (ceiling)')
    ax.set_xticks(list(x))
    ax.set_xticklabels([str(r['name']) for r in rows], rotation=30,
                       ha='right', fontsize=8)
    ax.set_ylim(0, max(rows[0]['i_yt'], max(r['red'] for r in rows),
                       max(r['uni_t'] for r in rows)) * 1.1 + 1e-3)
    ax.set_ylabel('bits')
    ax.set_title(title or f'PID of teacher and student (k = {rows[0]["k"]})')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
