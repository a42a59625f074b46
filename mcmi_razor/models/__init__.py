from .backbones import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from . import distill_teacher  # noqa: F401  (frozen MCMI teachers)
