from .cpu_threads import set_default_cpu_threads
from .setup_env import register_all_modules

__all__ = ['register_all_modules', 'set_default_cpu_threads']
