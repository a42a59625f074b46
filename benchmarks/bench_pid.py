"""Time of pid(y, T, S) on N = 10,000, C = 10 (k = 10 by the rule).

Synthetic Gaussian classes, d_T = 64, d_S = 16; prints the seconds of each
stage measured in this run: the full default estimate (with the
permutation null), without the null, and the BROJA solve of its table.
    OMP_NUM_THREADS=1 python benchmarks/bench_pid.py
"""
import time

from mcmi_razor.evaluation.pid import pid, union_information
from mcmi_razor.evaluation.pid.codebook import fit_teacher_codebook
from mcmi_razor.evaluation.pid.estimator import joint_counts
from mcmi_razor.evaluation.pid.synthetic import gaussian_classes


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    y, teacher, rng = gaussian_classes(10000, 10, dim=64)
    student = teacher[:, :16] + rng.normal(size=(10000, 16))
    full = seconds(lambda: pid(y, teacher, student))
    no_null = seconds(lambda: pid(y, teacher, student, null=False))
    codebook = fit_teacher_codebook(y, teacher, 10, 10, null=False)
    codes, _ = codebook.encode(student, y)
    table = joint_counts(y, codebook.teacher_codes, codes, (10, 10, 10))
    solve = seconds(lambda: union_information(table))
    print(f'N = 10,000, C = 10, k = 10: pid() {full:.2f} s with the null, '
          f'{no_null:.2f} s without; BROJA solve {solve:.3f} s')


if __name__ == '__main__':
    main()
