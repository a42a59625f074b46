"""torchrun worker: each rank evaluates its DefaultSampler shard of a split.

Writes {rank: cmi} to the JSON file given as argv[1] (rank 0 writes all).
"""
import json
import sys

import torch
import torch.distributed as torch_dist
from mmengine.dist import all_gather_object

from mcmi_razor.evaluation.metrics import CMIMetric

N, C = 45, 4


def main() -> None:
    torch_dist.init_process_group('gloo')
    rank, world_size = torch_dist.get_rank(), torch_dist.get_world_size()
    g = torch.Generator().manual_seed(0)
    probs = (torch.randn(N, C, generator=g) * 2).softmax(1)
    labels = torch.arange(N) % C
    total = -(-N // world_size) * world_size
    order = (list(range(N)) * 2)[:total][rank:total:world_size]
    metric = CMIMetric(num_classes=C)
    for start in range(0, len(order), 4):
        batch = order[start:start + 4]
        metric.process(None, [dict(pred_score=probs[i],
                                   gt_label=labels[i].view(1))
                              for i in batch])
    results = all_gather_object((rank, metric.evaluate(N)))
    if rank == 0:
        with open(sys.argv[1], 'w') as f:
            json.dump({str(r): v for r, v in results}, f)
    torch_dist.destroy_process_group()


if __name__ == '__main__':
    main()
