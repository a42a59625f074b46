"""A teacher's numbers for the many-class study, test and training split.

    python experiments/many_class/evaluate_teacher.py CKPT OUT_JSON

On the 10,000 test images: top-1, cross-entropy, CMI at tau 1 and 4, mean
max-probability; on the teacher's 18,000 training images without
augmentation (in order): top-1, cross-entropy, CMI and mean
max-probability. Every teacher kind has resnet20's state dict, so all are
evaluated with configs/font_glyphs/mll_teacher_r20.py.
"""
import json
import sys

import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
from mcmi_razor.evaluation.analysis.calibration import logit_summary
from mcmi_razor.evaluation.analysis.predictions import collect_logits
from mcmi_razor.evaluation.analysis.regime import regime_from_logits
from mcmi_razor.fileio import write_text_atomic

CONFIG = 'configs/font_glyphs/mll_teacher_r20.py'
UNAUGMENTED_TRAIN = {
    'train_dataloader.dataset.dataset.dataset.pipeline': [
        dict(type='PackInputs')],
    'train_dataloader.sampler': dict(type='DefaultSampler', shuffle=False),
}


def split_numbers(logits, labels, split: str) -> dict:
    summary = logit_summary(logits, labels)
    regime = regime_from_logits(logits, labels, split)
    return dict(top1=summary['top1'], ce=summary['nll'], cmi=summary['cmi'],
                cmi_t4=logit_summary(logits, labels, temperature=4.0)['cmi'],
                mean_max_prob=regime.mean_max_prob,
                num_samples=regime.num_samples)


def main() -> None:
    checkpoint, out = sys.argv[1:3]
    test = split_numbers(*collect_logits(CONFIG, checkpoint), 'test')
    train = split_numbers(*collect_logits(
        CONFIG, checkpoint, UNAUGMENTED_TRAIN, split='train_dataloader'),
        'train')
    write_text_atomic(out, json.dumps(
        dict(checkpoint=checkpoint, test=test, train=train), indent=1) + '\n')


if __name__ == '__main__':
    main()
