"""`backup`: the pipeline (pipeline.py), and the command line (main.py) that picks one of its
subcommands, a module each: run, status, log, follow."""
