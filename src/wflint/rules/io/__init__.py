"""WFL3xx: I/O — files, network, processes, databases and the console."""
