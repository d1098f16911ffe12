"""Reading and checking incoming files: tolerant readers, the validation rules, packages, uploads, the drop-folder watcher."""
