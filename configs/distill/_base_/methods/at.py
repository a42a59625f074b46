# AT (Zagoruyko & Komodakis, ICLR 2017) as RepDistiller runs it on CIFAR-100
# (--distill attention -a 0 -b 1000, p = 2):
#   loss = CE(student) + 1000 * sum_j mean((a(f_j^S) - a(f_j^T))^2),
#   a(f) = l2-normalised mean over channels of f^2, flattened,
# over RepDistiller's feat[1:-1], the output of every stage: f1..f3 for
# ResNets and WRNs (at_distiller), f1..f4 for VGGs (at_distiller_vgg).
# A method config records those stages as f1, f2, ... (../recorders.py):
#   model = dict(distiller=dict(_base_.at_distiller,
#       student_recorders=_base_.resnet_stage_recorders,
#       teacher_recorders=_base_.resnet_stage_recorders))
_base_ = ['../recorders.py']


def _stage_losses(num_stages):
    """One ATLoss per stage j, on recorders f<j> of student and teacher."""
    stages = range(1, num_stages + 1)
    return dict(
        distill_losses={
            f'loss_at{j}': dict(type='ATLoss', loss_weight=1000)
            for j in stages
        },
        loss_forward_mappings={
            f'loss_at{j}': dict(
                s_feature=dict(from_student=True, recorder=f'f{j}'),
                t_feature=dict(from_student=False, recorder=f'f{j}'))
            for j in stages
        })


at_distiller = _stage_losses(3)
at_distiller_vgg = _stage_losses(4)
