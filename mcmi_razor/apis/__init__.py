from .tool_config import (apply_dataloader_defaults, build_runner,
                          resolve_work_dir)

__all__ = ['apply_dataloader_defaults', 'build_runner', 'resolve_work_dir']
