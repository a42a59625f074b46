"""What :func:`pid` returns."""
from dataclasses import asdict, dataclass, field
from typing import Dict, Optional, Tuple

from .broja import PIDAtoms


@dataclass(frozen=True)
class PIDResult(PIDAtoms):
    """PID of a teacher T and a student S about labels Y, in bits: the atoms
    of :class:`PIDAtoms` and how they were measured.

    Attributes:
        red: Red(Y: T, S), what both know about Y (already distilled).
        uni_t: Uni(Y: T \\ S), what only the teacher knows (still
            distillable).
        uni_s: Uni(Y: S \\ T), what only the student knows.
        syn: Syn(Y: T, S). Unreliable after per-source quantisation: report
            it with care; Red and Uni are the headline numbers.
        i_yt, i_ys, i_yts: I(Y;T'), I(Y;S'), I(Y;T',S') of the codes.
        h_y: H(Y), the ceiling of every information.
        probe_t, probe_s: quantisation-free probe bounds ``H(Y) - CE`` of
            each representation (None in ``paper`` mode).
        null: the atoms with permuted labels (the bias floor), or None.
        null_floor: the largest null atom (0 without a null).
        intervals: atom name -> (2.5%, 97.5%) bootstrap percentiles with the
            codes fixed; empty without bootstrap.
        k: codebook size; num_samples: N; num_classes: C.
        mode: ``'probe'`` or ``'paper'``; bias_corrected: Miller-Madow on.
    """

    h_y: float
    probe_t: Optional[float]
    probe_s: Optional[float]
    null: Optional[PIDAtoms]
    k: int
    num_samples: int
    num_classes: int
    mode: str
    bias_corrected: bool
    intervals: Dict[str, Tuple[float, float]] = field(default_factory=dict)

    @property
    def null_floor(self) -> float:
        if self.null is None:
            return 0.0
        return max(self.null.red, self.null.uni_t, self.null.uni_s,
                   self.null.syn)

    def as_dict(self) -> dict:
        """JSON-ready: every field, ``null`` as a dict, plus null_floor."""
        out = asdict(self)
        out['null_floor'] = self.null_floor
        out['intervals'] = {k: list(v) for k, v in self.intervals.items()}
        return out
