"""WFL803: shared state — module-level state mutated from workflow code."""
