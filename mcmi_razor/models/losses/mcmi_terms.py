"""The per-sample MCMI loss and its analytic gradient, in few O(N C) passes."""
from typing import Tuple

import torch

from ..utils import LabelTargets

# Stands in for log 0 (a -inf logit): finite, so 0 * log 0 counts as 0 and
# its gradient stays finite, yet below any real log-probability.
LOG_ZERO = -1e30


def softmax_and_log(logits: torch.Tensor, row_max: torch.Tensor
                    ) -> Tuple[torch.Tensor, torch.Tensor]:
    """softmax(z) and log softmax(z) of z (N, C) from one exp pass.

    ``row_max`` is max_c z, (N, 1). log P is floored at ``LOG_ZERO`` (a
    -inf logit); P, its exp, is then exactly 0 there.
    """
    shifted = (logits - row_max).clamp_min_(LOG_ZERO)
    probs = shifted.exp()
    total = probs.sum(1, keepdim=True)
    return probs.div_(total), shifted.sub_(total.log_())


class MCMITerms(torch.autograd.Function):
    r"""``loss = CE - lambda * KL`` per sample, from logits z (N, C).

    With P = softmax(z), the tempered P^tau = softmax(z / tau), targets t
    (mass m = sum_y t_y) and the target-mixed log centroids
    ``Lbar = sum_y t_y log Q_y`` (N, C), Q the class means of P^tau, in nats:

    .. math::
        CE = -\sum_c t_c \log P_c, \quad
        KL = \sum_c P^\tau_c g_c, \quad g = m \log P^\tau - \bar L,

    and, since ``dP^tau_c / dz_j = P^tau_c (delta_cj - P^tau_j) / tau``,

    .. math::
        \partial CE / \partial z = m P - t, \quad
        \partial KL / \partial z = (h - P^\tau KL) / \tau, \quad
        h = P^\tau \odot g.

    P and log P come from one exp pass (:func:`softmax_and_log`), not
    ``log_softmax`` and then ``exp``: at large C the exp pass is the
    dearest of all. At tau = 1, P^tau is P and one buffer serves both
    terms; otherwise P is kept too, one more (N, C) buffer. h is made in
    place of g, so KL is a row sum (no (N, C) temporary) and the backward
    two passes over it.
    Autograd through the same expression takes about twice the passes over
    (N, C) memory; at C = 21,841 those passes are the cost of the loss. The
    backward reuses the saved buffers in place: one backward per forward.

    Args (of ``apply``):
        logits (Tensor): z, (N, C) float32.
        targets (LabelTargets): the (unsmoothed) targets t0.
        smoothing (float): a; t = (1 - a) t0 + a / C.
        mixed_log_q (Tensor): Lbar for t, (N, C) float32, no gradient.
        cmi_weight (float): lambda.
        temperature (float): tau > 0 of the KL term; CE stays at 1.

    Returns:
        (loss, cross_entropy, kl, row_max), each (N,); only ``loss`` has a
        gradient. ``row_max`` (max logit per sample) gives the top-1
        accuracy without another pass over z.
    """

    @staticmethod
    def forward(ctx, logits: torch.Tensor, targets: LabelTargets,
                smoothing: float, mixed_log_q: torch.Tensor,
                cmi_weight: float, temperature: float = 1.0
                ) -> Tuple[torch.Tensor, ...]:
        row_max = logits.amax(1, keepdim=True)
        probs, log_p = softmax_and_log(logits, row_max)
        num_classes = logits.size(1)
        cross_entropy = -targets.weighted_sum(log_p)
        if smoothing:
            cross_entropy = ((1 - smoothing) * cross_entropy
                             - smoothing / num_classes * log_p.sum(1))
        probs_ce = None                     # P^tau is P
        if temperature != 1:
            probs_ce = probs                # P, for the CE gradient
            probs, log_p = softmax_and_log(logits / temperature,
                                           row_max / temperature)
        mass = None if targets.hard else (
            (1 - smoothing) * targets.mass() + smoothing)
        if mass is not None:
            log_p.mul_(mass.unsqueeze(1))
        h = log_p.sub_(mixed_log_q).mul_(probs)  # P^tau * g, in place
        kl = h.sum(1)
        loss = cross_entropy - cmi_weight * kl
        ctx.save_for_backward(probs, h, kl, probs_ce)
        ctx.targets, ctx.mass = targets, mass
        ctx.smoothing, ctx.cmi_weight = smoothing, cmi_weight
        ctx.temperature = temperature
        row_max = row_max.squeeze(1)
        ctx.mark_non_differentiable(cross_entropy, kl, row_max)
        ctx.used = False
        return loss, cross_entropy, kl, row_max

    @staticmethod
    def backward(ctx, grad_loss, *_unused):
        if ctx.used:
            raise RuntimeError('MCMILoss supports one backward per forward '
                               '(no retain_graph=True double backward).')
        ctx.used = True
        probs, grad, kl, probs_ce = ctx.saved_tensors
        targets, a = ctx.targets, ctx.smoothing
        weight = ctx.cmi_weight / ctx.temperature              # lambda / tau
        scale = grad_loss.unsqueeze(1)                         # s, (N, 1)
        mass = 1.0 if ctx.mass is None else ctx.mass.unsqueeze(1)
        if probs_ce is None:
            # s * (m P - t - lambda (h - P KL))
            #   = s (m + lambda KL) P - s lambda h - s t, in two passes
            grad.mul_(-weight * scale).addcmul_(
                probs, scale * (mass + weight * kl.unsqueeze(1)))
        else:
            # s * (m P - t - lambda / tau (h - P^tau KL)): one pass more
            grad.mul_(-weight * scale).addcmul_(
                probs, scale * (weight * kl.unsqueeze(1))).addcmul_(
                    probs_ce, scale * mass)
        if a:
            grad.sub_(scale * (a / probs.size(1)))
        if targets.dense is not None:
            grad.sub_(scale * (1 - a) * targets.dense)
        else:
            grad.index_put_((targets.rows, targets.cols),
                            -(1 - a) * targets.weights
                            * grad_loss[targets.rows], accumulate=True)
        return grad, None, None, None, None, None
