"""WFL7xx: concurrency — threads, processes and asyncio tasks."""
