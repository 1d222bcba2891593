// Adapters: the only code that reaches the outside world (podman, probes, files).
