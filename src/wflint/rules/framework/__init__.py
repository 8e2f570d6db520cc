"""WFL9xx: framework usage — workflows written in a shape the framework cannot run."""
