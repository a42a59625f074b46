"""The page of the grid's report (docs/results_grid.md), filled in by
``report.py``."""

TEMPLATE = """# Earlier grid: Fashion-MNIST, resnet20 -> resnet8

One teacher per kind and ~150-iteration students; the study that can decide
(issue 11) is [results.md](results.md).

Generated {generated} by `experiments/fashion_mnist_grid/report.py` from
the runs of `experiments/fashion_mnist_grid/run.py` that had finished;
'-' is a cell not (yet) run, `(n=k)` a cell with fewer seeds than planned.
{timing}
## Setup (what was actually run)

- Data: Debian's `dataset-fashion-mnist`, unzipped into `data/fashion_mnist/`.
  Test: the full 10,000-image test split (1,000 per class). Training pool:
  a class-balanced 10% of the 60,000 training images (600 per class,
  `FewShotDataset(fraction=0.1, seed=0)`); teachers train on it, and it is
  the students' "100%".
- Teachers (one each, seed 0, selected by the **last epoch**, never by
  test accuracy): MLL resnet20 `configs/fashion_mnist/mll_teacher_r20.py`
  (15 epochs, step decay at 9/11/13); from it, {finetune} epochs each
  (cosine from lr 0.05): MCMI `mcmi_teacher_r20.py` (cmi_weight 0.15, exact
  centroids once, frozen) and the control (the same fine-tune with plain
  cross-entropy and no centroid hooks, as `tools/mcmi_pipeline.py --control`
  builds it).
- Students: KD resnet8 `configs/fashion_mnist/kd_r20_r8.py` (T=4,
  1.0 CE + 0.9 KD as the config then built; now 0.1 CE), ~{iters}
  iterations of batch 64 whatever the data size
  (epochs = round({iters} / iterations per epoch)), cosine from lr 0.05;
  few-shot data `FewShotDataset(pool, fraction, seed)`; zero-shot data
  `ZeroShotDataset(pool, omit_classes)` (training set only; the test set
  keeps every class). Seeds 0, 1, 2 (the seed sets the subset and the
  training randomness). Label-only resnet8 baseline
  `configs/fashion_mnist/students/r8.py`: seed 0 only.
- All runs on 2 shared CPU cores, 1 thread per run, 2 runs at a time.
  Command (resumable; re-running skips finished runs):
  `{command}`, then
  `python experiments/fashion_mnist_grid/report.py`.
  Each run's exact `tools/train.py` command and wall time are in
  `work_dirs/fm_grid/results/<run>.json`.

## Teachers (test split, T=1)

CMI / NCMI in nats on the test split (class centroids of that split),
NLL in nats, ECE with 15 bins; `minutes`: wall time of training + test.

{teachers}
![teacher CMI vs temperature]({fig}/teacher_cmi_vs_temperature.png)

Teacher CMI, NLL and ECE against the softmax temperature (the paper's
Figure 1 analogue; top-1 does not depend on T):

{temperature}
## Few-shot students: test top-1 (%), mean ± std over seeds

{few_shot}
![few-shot students]({fig}/few_shot_students.png)

## Zero-shot students: test accuracy (%), mean ± std over seeds

The student never sees the omitted classes; it can only learn them from the
teacher's soft labels on the other images.

{zero_shot}
Per-class test accuracy (%) of the zero-shot students, mean over seeds
(`*` = omitted from the student's training data), and where the omitted
classes' 1,000 test images each go:

{zero_shot_detail}
## Ablations: centroid schedule, cmi_weight, centroid floor (teachers)

All fine-tuned from the same MLL teacher for {finetune} epochs, otherwise
as the MCMI teacher (first row). `collapsed` = stopped by
`CollapseGuardHook` (nothing saved, no test numbers).

{ablations}
Collapses:
{collapse}
"""
