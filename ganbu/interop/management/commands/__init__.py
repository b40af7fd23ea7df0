"""``ganbu lrmx``: import, export and check 任免审批表 files from the command line."""
