from .mcmi_loss import MCMILoss
from .rid_loss import RIDLoss

__all__ = ['MCMILoss', 'RIDLoss']
